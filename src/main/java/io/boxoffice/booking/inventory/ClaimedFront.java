package io.boxoffice.booking.inventory;

import io.boxoffice.booking.inventory.SeatRepository.Seat;
import org.jspecify.annotations.Nullable;

/**
 * The claimed front of a reserved category: every seat before ({@code rowRank},
 * {@code number}) in seat-map order had an active claim in a read that saw the event's
 * seats given back {@code returns} times. A claim ends only with a new return, counted in
 * the same transaction, so a later read that sees the same count may start its search for
 * unclaimed seats here instead of passing every claimed seat of the front rows again.
 *
 * @param returns how many times the event's seats had been given back, as that read saw
 * @param rowRank the row of the first seat that may be unclaimed
 * @param number its number
 */
record ClaimedFront(long returns, int rowRank, int number) {

	/** Where every search starts when nothing is known: before the first seat. */
	static final ClaimedFront NONE = new ClaimedFront(-1, Integer.MIN_VALUE, Integer.MIN_VALUE);

	/**
	 * What a read from a valid front found: unclaimed seats from {@code first}, or none
	 * at all (a row rank counts the rows of the seat map, so no seat is in the last
	 * possible row).
	 */
	static ClaimedFront found(long returns, @Nullable Seat first) {
		return (first != null) ? new ClaimedFront(returns, first.rowRank(), first.number())
				: new ClaimedFront(returns, Integer.MAX_VALUE, Integer.MIN_VALUE);
	}

	/**
	 * The front to keep of two: the one that saw more returns (the other may be wrong
	 * now), or, at one count, the further one (both are right, and it skips more).
	 */
	static ClaimedFront later(ClaimedFront a, ClaimedFront b) {
		if (a.returns != b.returns) {
			return (a.returns > b.returns) ? a : b;
		}
		int byRow = Integer.compare(a.rowRank, b.rowRank);
		return (byRow > 0 || (byRow == 0 && a.number >= b.number)) ? a : b;
	}

}
