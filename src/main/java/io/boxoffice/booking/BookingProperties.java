package io.boxoffice.booking;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Selling rules, strategy and housekeeping ({@code boxoffice.booking.*}).
 *
 * @param maxTicketsPerRequest most tickets in one hold or booking, all items together
 * @param maxItemsPerRequest most items in one hold or booking
 * @param idempotencyRetention how long an Idempotency-Key is remembered; at least a day
 * @param sweepInterval how often each instance tidies expired holds; correctness never
 * waits for it
 * @param sweepBatch holds expired per sweep transaction
 * @param strategy how one-step bookings take general-admission tickets
 * @param allowUnsafe must be true to start with an unsafe strategy, which can oversell
 * @param maxRetries tries of the optimistic and serializable strategies before they
 * answer 503 OVERLOADED
 * @param batch the group commit of the batched strategy
 */
@ConfigurationProperties("boxoffice.booking")
public record BookingProperties(@DefaultValue("50") int maxTicketsPerRequest,
		@DefaultValue("20") int maxItemsPerRequest, @DefaultValue("25h") Duration idempotencyRetention,
		@DefaultValue("5s") Duration sweepInterval, @DefaultValue("500") int sweepBatch,
		@DefaultValue("batched") Strategy strategy, @DefaultValue("false") boolean allowUnsafe,
		@DefaultValue("100") int maxRetries, @DefaultValue Batch batch) {

	public BookingProperties {
		if (!strategy.isSafe() && !allowUnsafe) {
			throw new IllegalStateException("boxoffice.booking.strategy="
					+ strategy.name().toLowerCase().replace('_', '-')
					+ " can oversell; it starts only with boxoffice.booking.allow-unsafe=true (demonstrations)");
		}
	}

	/**
	 * @param maxSize requests committed together at most
	 * @param maxWait the longest an accepted request should wait for its commit: a
	 * request that would wait longer (judged from the queue ahead of it and how long
	 * batches take now) is shed at once with 503 OVERLOADED, so accepted requests keep a
	 * bounded latency at any load
	 * @param queueCapacity requests waiting per pool at most, whatever the estimate
	 */
	public record Batch(@DefaultValue("256") int maxSize, @DefaultValue("1s") Duration maxWait,
			@DefaultValue("4096") int queueCapacity) {
	}

}
