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

	/** A created resource: where it lives is the web layer's to say, from its id. */
	public interface Resource {

		String id();

	}

	public record HoldView(String id, String eventId, String customerId, String status, Instant expiresAt,
			List<ItemView> items, Money total) implements Resource {

		static HoldView of(Hold hold, Instant now) {
			return new HoldView(hold.id().toString(), hold.eventId().toString(), hold.customerId().toString(),
					hold.statusAt(now).name(), hold.expiresAt(), ItemView.of(hold.items()),
					Money.of(hold.total(), hold.currency()));
		}

	}

	public record BookingView(String id, String eventId, String customerId, @Nullable String holdId, String status,
			List<ItemView> items, Money total, Instant createdAt, @Nullable Instant cancelledAt) implements Resource {

		static BookingView of(Booking booking) {
			return new BookingView(booking.id().toString(), booking.eventId().toString(),
					booking.customerId().toString(), (booking.holdId() != null) ? booking.holdId().toString() : null,
					booking.status().name(), ItemView.of(booking.items()),
					Money.of(booking.total(), booking.currency()), booking.createdAt(), booking.cancelledAt());
		}

	}

	/**
	 * A stored answer to an Idempotency-Key: status and JSON body, and the Location of
	 * answers stored before the web layer set it (none now).
	 */
	public record Replay(int status, String body, @Nullable String location) {

		static Replay created(String body) {
			return new Replay(201, body, null);
		}

	}

	/**
	 * The answer to a create: a new resource, or, for a repeated Idempotency-Key, the
	 * stored answer of the first request.
	 */
	public record Outcome<V>(@Nullable V created, @Nullable Replay replay) {

		static <V> Outcome<V> created(V view) {
			return new Outcome<>(view, null);
		}

		static <V> Outcome<V> replayed(Replay replay) {
			return new Outcome<>(null, replay);
		}

	}

}
