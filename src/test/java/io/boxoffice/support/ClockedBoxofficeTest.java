package io.boxoffice.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * The service on a random port against the shared test PostgreSQL, reading time from
 * {@link TestClock#CLOCK}, with a sweeper that never runs during a test (it runs once at
 * start-up), so what a test sees is lazy expiry only unless it sweeps itself.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { ClockedBoxofficeTest.SWEEP_INTERVAL, ClockedBoxofficeTest.SWEEP_BATCH })
@ContextConfiguration(initializers = { TestDatabase.Initializer.class, TestClock.Initializer.class })
public @interface ClockedBoxofficeTest {

	String SWEEP_INTERVAL = "boxoffice.booking.sweep-interval=PT1H";

	/** Small sweep batches, so that sweepers racing each other share the work. */
	String SWEEP_BATCH = "boxoffice.booking.sweep-batch=5";

}
