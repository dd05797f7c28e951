package io.boxoffice.booking;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** Sold tickets. */
public record Booking(UUID id, UUID eventId, UUID customerId, @Nullable UUID holdId, BookingStatus status,
		List<Item> items, BigDecimal total, String currency, Instant createdAt, @Nullable Instant cancelledAt,
		List<Ticket> tickets) {

	public Booking {
		items = List.copyOf(items);
		tickets = List.copyOf(tickets);
	}

	/**
	 * A new booking of the items, with its tickets issued: one per admission, each with a
	 * fresh code. Its answer (which an Idempotency-Key may store before the insert) and
	 * its rows carry the same tickets.
	 */
	public Booking(UUID id, UUID eventId, UUID customerId, @Nullable UUID holdId, BookingStatus status,
			List<Item> items, BigDecimal total, String currency, Instant createdAt, @Nullable Instant cancelledAt) {
		this(id, eventId, customerId, holdId, status, items, total, currency, createdAt, cancelledAt,
				Ticket.issue(items));
	}

	public int quantity() {
		return this.items.stream().mapToInt(Item::quantity).sum();
	}

	/** Cancelled at the instant: its tickets are revoked. */
	Booking cancelled(Instant at) {
		return new Booking(this.id, this.eventId, this.customerId, this.holdId, BookingStatus.CANCELLED, this.items,
				this.total, this.currency, this.createdAt, at, this.tickets.stream().map(Ticket::revoked).toList());
	}

}
