package io.boxoffice.booking;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Selling rules and housekeeping ({@code boxoffice.booking.*}).
 *
 * @param maxTicketsPerRequest tickets in all items of one hold or booking together
 * (API.md: 50)
 * @param maxItemsPerRequest items of one request
 * @param idempotencyRetention how long an Idempotency-Key is remembered (at least 24
 * hours)
 * @param sweepInterval how often each instance tidies expired holds; correctness never
 * waits on it
 * @param sweepBatch holds expired per sweep transaction
 */
@ConfigurationProperties("boxoffice.booking")
public record BookingProperties(@DefaultValue("50") int maxTicketsPerRequest,
		@DefaultValue("20") int maxItemsPerRequest, @DefaultValue("25h") Duration idempotencyRetention,
		@DefaultValue("5s") Duration sweepInterval, @DefaultValue("500") int sweepBatch) {
}
