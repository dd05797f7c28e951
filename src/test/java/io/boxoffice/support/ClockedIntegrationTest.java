package io.boxoffice.support;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * An {@link IntegrationTest} whose service reads time from {@link TestClock#CLOCK}, with
 * a sweeper that never runs during a test (it runs once at start-up), so what a test sees
 * is lazy expiry only unless it sweeps itself.
 */
@ContextConfiguration(initializers = TestClock.Initializer.class)
@TestPropertySource(properties = { ClockedIntegrationTest.SWEEP_INTERVAL, ClockedIntegrationTest.SWEEP_BATCH })
public abstract class ClockedIntegrationTest extends IntegrationTest {

	public static final String SWEEP_INTERVAL = "boxoffice.booking.sweep-interval=PT1H";

	/** Small sweep batches, so that sweepers racing each other share the work. */
	public static final String SWEEP_BATCH = "boxoffice.booking.sweep-batch=5";

	protected static final TestClock clock = TestClock.CLOCK;

	/** Each test starts at the real time or later, whatever the previous one set. */
	@BeforeEach
	void catchUpWithTheRealClock() {
		clock.catchUp();
	}

}
