package io.boxoffice.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * A clock the test moves by hand; {@link Configuration} makes it the service's clock.
 */
public final class MutableClock extends Clock {

	private final AtomicReference<Instant> now;

	public MutableClock(Instant start) {
		this.now = new AtomicReference<>(start);
	}

	public void advance(Duration duration) {
		this.now.updateAndGet(instant -> instant.plus(duration));
	}

	public void advance(int seconds) {
		advance(Duration.ofSeconds(seconds));
	}

	@Override
	public Instant instant() {
		return this.now.get();
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

	/**
	 * For {@code @Import} only; deliberately not a {@code @Configuration}, so that the
	 * component scan of a {@link SecondInstance} never picks it up.
	 */
	public static class Configuration {

		@Bean
		@Primary
		MutableClock mutableClock() {
			// starts at the real time: tokens are checked against the system clock
			return new MutableClock(Instant.now());
		}

	}

}
