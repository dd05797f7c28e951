package io.boxoffice.booking;

import java.time.Instant;
import java.util.List;

import io.boxoffice.shared.Money;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shapes of holds and bookings (docs/api.md); also what an Idempotency-Key
 * replays.
 */
public final class Views {

	private Views() {
	}

	public record ItemView(String category, int quantity, List<String> seats) {

		static List<ItemView> of(List<Item> items) {
			return items.stream().map(item -> new ItemView(item.category(), item.quantity(), item.seats())).toList();
		}

	}

	public record HoldView(String id, String eventId, String customerId, String status, Instant expiresAt,
			List<ItemView> items, Money total) {

		static HoldView of(Hold hold, Instant now) {
			return new HoldView(hold.id().toString(), hold.eventId().toString(), hold.customerId().toString(),
					hold.statusAt(now).name(), hold.expiresAt(), ItemView.of(hold.items()),
					Money.of(hold.total(), hold.currency()));
		}

	}

	public record BookingView(String id, String eventId, String customerId, @Nullable String holdId, String status,
			List<ItemView> items, Money total, Instant createdAt, @Nullable Instant cancelledAt) {

		static BookingView of(Booking booking) {
			return new BookingView(booking.id().toString(), booking.eventId().toString(),
					booking.customerId().toString(), (booking.holdId() != null) ? booking.holdId().toString() : null,
					booking.status().name(), ItemView.of(booking.items()),
					Money.of(booking.total(), booking.currency()), booking.createdAt(), booking.cancelledAt());
		}

	}

	/** A stored answer to an Idempotency-Key: status, JSON body and Location. */
	public record Replay(int status, String body, @Nullable String location) {
	}

	/**
	 * The answer to a create: a new resource, or, for a repeated Idempotency-Key, the
	 * stored answer of the first request.
	 */
	public record Outcome<V>(@Nullable V created, @Nullable String location, @Nullable Replay replay) {

		static <V> Outcome<V> created(V view, String location) {
			return new Outcome<>(view, location, null);
		}

		static <V> Outcome<V> replayed(Replay replay) {
			return new Outcome<>(null, null, replay);
		}

	}

}
