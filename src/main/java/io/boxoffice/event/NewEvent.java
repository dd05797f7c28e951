package io.boxoffice.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An organizer's request to publish an event, shape-checked by the web layer;
 * {@link EventService} checks the rules between fields.
 */
public record NewEvent(String name, @Nullable String venue, Instant startsAt, @Nullable Instant salesOpenAt,
		@Nullable Instant salesCloseAt, @Nullable Integer holdTtlSeconds, @Nullable Integer maxTicketsPerCustomer,
		List<NewCategory> categories, @Nullable QueueSettings queue) {

	/** A request for an event without an on-sale queue. */
	public NewEvent(String name, @Nullable String venue, Instant startsAt, @Nullable Instant salesOpenAt,
			@Nullable Instant salesCloseAt, @Nullable Integer holdTtlSeconds, @Nullable Integer maxTicketsPerCustomer,
			List<NewCategory> categories) {
		this(name, venue, startsAt, salesOpenAt, salesCloseAt, holdTtlSeconds, maxTicketsPerCustomer, categories, null);
	}

	/**
	 * Has either {@code capacity} (general admission) or {@code seats} (reserved).
	 */
	public record NewCategory(String code, String name, BigDecimal price, String currency, @Nullable Integer capacity,
			@Nullable List<SeatRange> seats) {
	}

}
