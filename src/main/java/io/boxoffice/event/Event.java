package io.boxoffice.event;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import org.jspecify.annotations.Nullable;

/** A published event with its categories. */
public record Event(UUID id, UUID organizerId, String name, @Nullable String venue, Instant startsAt,
		Instant salesOpenAt, Instant salesCloseAt, EventStatus status, int holdTtlSeconds,
		@Nullable Integer maxTicketsPerCustomer, List<Category> categories, Instant createdAt,
		@Nullable QueueSettings queue) {

	/** An event without an on-sale queue. */
	public Event(UUID id, UUID organizerId, String name, @Nullable String venue, Instant startsAt, Instant salesOpenAt,
			Instant salesCloseAt, EventStatus status, int holdTtlSeconds, @Nullable Integer maxTicketsPerCustomer,
			List<Category> categories, Instant createdAt) {
		this(id, organizerId, name, venue, startsAt, salesOpenAt, salesCloseAt, status, holdTtlSeconds,
				maxTicketsPerCustomer, categories, createdAt, null);
	}

	public Optional<Category> category(String code) {
		return this.categories.stream().filter(category -> category.code().equals(code)).findFirst();
	}

	public String currency() {
		return this.categories.get(0).currency();
	}

	/**
	 * Refuses a sale unless the event is on sale and {@code now} is in its sales window.
	 */
	public void checkSalesOpen(Instant now) {
		if (this.status == EventStatus.CANCELLED) {
			throw new BoxofficeException(ErrorCode.EVENT_CANCELLED, "The event is cancelled");
		}
		if (now.isBefore(this.salesOpenAt) || !now.isBefore(this.salesCloseAt)) {
			throw new BoxofficeException(ErrorCode.SALES_CLOSED,
					"Sales are open from " + this.salesOpenAt + " until " + this.salesCloseAt);
		}
	}

	public boolean isOrganizedBy(UUID accountId) {
		return this.organizerId.equals(accountId);
	}

	Event cancelled() {
		return new Event(this.id, this.organizerId, this.name, this.venue, this.startsAt, this.salesOpenAt,
				this.salesCloseAt, EventStatus.CANCELLED, this.holdTtlSeconds, this.maxTicketsPerCustomer,
				this.categories, this.createdAt, this.queue);
	}

}
