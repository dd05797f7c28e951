package io.boxoffice.booking;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** Sold tickets. */
public record Booking(UUID id, UUID eventId, UUID customerId, @Nullable UUID holdId, BookingStatus status,
		List<Item> items, BigDecimal total, String currency, Instant createdAt, @Nullable Instant cancelledAt) {

	int quantity() {
		return this.items.stream().mapToInt(Item::quantity).sum();
	}

	Booking cancelled(Instant at) {
		return new Booking(this.id, this.eventId, this.customerId, this.holdId, BookingStatus.CANCELLED, this.items,
				this.total, this.currency, this.createdAt, at);
	}

}
