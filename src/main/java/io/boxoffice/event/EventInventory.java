package io.boxoffice.event;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What is on sale, held and sold; implemented by the booking module, which owns
 * inventory. Every method runs in the caller's transaction.
 */
public interface EventInventory {

	/**
	 * Puts a new event's tickets on sale, with the seat maps of its reserved categories
	 * (by category id).
	 */
	void stock(Event event, Map<UUID, List<SeatRange>> seatMaps);

	/** Counts per category id, with expired holds counted as available. */
	Map<UUID, Counts> counts(Collection<Event> events);

	/** The seats of an event (of one category when given), in seat-map order. */
	List<SeatState> seats(Event event, @Nullable Category category);

	/**
	 * Cancels every active hold and confirmed booking of the event; their tickets return.
	 */
	void cancelAll(Event event);

	/** {@code capacity = available + held + sold}. */
	record Counts(int capacity, int available, int held, int sold) {
	}

	record SeatState(String label, String category, String status) {
	}

}
