package io.boxoffice.support;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;

/**
 * One mutable clock for the whole test JVM, registered as the {@code Clock} bean of every
 * context that asks for it (so two instances read the same time). It never runs behind
 * the real clock, so the sweepers of contexts on the real clock never touch holds made on
 * this one while a test runs, and tokens it issues are valid.
 */
public final class TestClock extends Clock {

	public static final TestClock CLOCK = new TestClock();

	private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

	private TestClock() {
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("The test clock is UTC");
	}

	@Override
	public Instant instant() {
		return this.now.get();
	}

	public void set(Instant instant) {
		this.now.set(instant);
	}

	/** Not behind the real clock, and not behind where it was. */
	public void catchUp() {
		this.now.updateAndGet(current -> current.isAfter(Instant.now()) ? current : Instant.now());
	}

	/** Registers {@link #CLOCK}; the application's own clock then steps aside. */
	public static class Initializer implements ApplicationContextInitializer<GenericApplicationContext> {

		@Override
		public void initialize(GenericApplicationContext context) {
			context.registerBean("testClock", Clock.class, () -> CLOCK);
		}

	}

}
