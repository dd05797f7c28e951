package io.boxoffice;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The warm-up of a freshly started instance before it reports ready
 * ({@code boxoffice.warm-up.*}).
 *
 * @param enabled whether a started instance warms its sale path up before it reports
 * healthy and ready
 * @param duration how long the warm-up runs, the instance is healthy that much later:
 * half of it the sale engine's batches in a transaction that is rolled back, half
 * requests of a sale sent to itself that are answered 404
 * @param clients requests to itself the warm-up keeps in flight at once
 */
@ConfigurationProperties("boxoffice.warm-up")
public record WarmUpProperties(@DefaultValue("true") boolean enabled, @DefaultValue("2s") Duration duration,
		@DefaultValue("8") int clients) {

	public WarmUpProperties {
		if (duration.isNegative()) {
			throw new IllegalStateException("boxoffice.warm-up.duration must not be negative");
		}
		if (clients < 1) {
			throw new IllegalStateException("boxoffice.warm-up.clients must be at least 1");
		}
	}

}
