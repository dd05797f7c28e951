package io.boxoffice.booking;

import java.time.Instant;
import java.util.List;

import io.boxoffice.shared.Money;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shapes of holds and bookings (docs/api.md), which an Idempotency-Key replays.
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

		public static HoldView of(Hold hold, Instant now) {
			return new HoldView(hold.id().toString(), hold.eventId().toString(), hold.customerId().toString(),
					hold.statusAt(now).name(), hold.expiresAt(), ItemView.of(hold.items()),
					Money.of(hold.total(), hold.currency()));
		}

	}

	public record BookingView(String id, String eventId, String customerId, @Nullable String holdId, String status,
			List<ItemView> items, Money total, Instant createdAt, @Nullable Instant cancelledAt,
			List<TicketView> tickets) implements Resource {

		public static BookingView of(Booking booking) {
			return new BookingView(booking.id().toString(), booking.eventId().toString(),
					booking.customerId().toString(), (booking.holdId() != null) ? booking.holdId().toString() : null,
					booking.status().name(), ItemView.of(booking.items()),
					Money.of(booking.total(), booking.currency()), booking.createdAt(), booking.cancelledAt(),
					booking.tickets().stream().map(TicketView::of).toList());
		}

	}

	/** A ticket of a booking: its code is the entry pass. */
	public record TicketView(String id, String code, String category, @Nullable String seat, String status) {

		public static TicketView of(Ticket ticket) {
			return new TicketView(ticket.id().toString(), ticket.code(), ticket.category(), ticket.seat(),
					ticket.status().name());
		}

	}

	/**
	 * A stored answer to an Idempotency-Key: status and JSON body, and the Location of
	 * answers stored before the web layer set it (none now).
	 */
	public record Replay(int status, String body, @Nullable String location) {

		public static Replay created(String body) {
			return new Replay(201, body, null);
		}

	}

	/**
	 * The answer to a create: a new resource, or, for a repeated Idempotency-Key, the
	 * stored answer of the first request.
	 */
	public sealed interface Outcome<V> {

		static <V> Outcome<V> created(V view) {
			return new Created<>(view);
		}

		static <V> Outcome<V> replayed(Replay replay) {
			return new Replayed<>(replay);
		}

		/** A new resource. */
		record Created<V>(V view) implements Outcome<V> {
		}

		/** The stored answer of the first request with the same Idempotency-Key. */
		record Replayed<V>(Replay replay) implements Outcome<V> {
		}

	}

}
