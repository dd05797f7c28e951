package io.boxoffice.live;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import io.boxoffice.event.Event;
import io.boxoffice.event.EventInventory.SeatState;
import org.jspecify.annotations.Nullable;

/**
 * An event's seat map: each seat's status as last polled, in seat-map order (a seat map
 * never changes once published, so a seat keeps its index from one poll to the next and a
 * diff is a comparison of two byte arrays).
 */
final class SeatFeed extends Feed {

	private static final List<String> STATUSES = List.of("AVAILABLE", "HELD", "SOLD");

	private volatile @Nullable SeatMap current;

	SeatFeed(Event event) {
		super(event);
	}

	/**
	 * Takes the seat states of a poll; returns the indexes of the seats whose status
	 * changed (every seat on the first poll).
	 */
	synchronized BitSet update(List<SeatState> states) {
		int size = states.size();
		byte[] statuses = new byte[size];
		for (int i = 0; i < size; i++) {
			statuses[i] = status(states.get(i).status());
		}
		BitSet changed = new BitSet(size);
		SeatMap previous = this.current;
		if (previous == null || !previous.hasSeats(states)) {
			String[] labels = new String[size];
			String[] categories = new String[size];
			for (int i = 0; i < size; i++) {
				labels[i] = states.get(i).label();
				categories[i] = states.get(i).category();
			}
			changed.set(0, size);
			this.current = new SeatMap(labels, categories, statuses);
			return changed;
		}
		byte[] before = previous.statuses();
		for (int i = 0; i < size; i++) {
			if (statuses[i] != before[i]) {
				changed.set(i);
			}
		}
		this.current = new SeatMap(previous.labels(), previous.categories(), statuses);
		return changed;
	}

	private static byte status(String status) {
		int index = STATUSES.indexOf(status);
		if (index < 0) {
			throw new IllegalStateException("Unknown seat status " + status);
		}
		return (byte) index;
	}

	@Override
	boolean ready() {
		return this.current != null;
	}

	@Override
	String name() {
		return "seats";
	}

	@Override
	@Nullable Object render(boolean full, BitSet changed, @Nullable String category) {
		SeatMap map = this.current;
		if (map == null) {
			return null;
		}
		List<SeatChange> seats = new ArrayList<>();
		int size = map.labels().length;
		for (int i = (full) ? 0 : changed.nextSetBit(0); i >= 0
				&& i < size; i = (full) ? i + 1 : changed.nextSetBit(i + 1)) {
			if (category == null || category.equals(map.categories()[i])) {
				seats.add(new SeatChange(map.labels()[i], STATUSES.get(map.statuses()[i])));
			}
		}
		return (full || !seats.isEmpty()) ? new SeatsDocument(seats) : null;
	}

	/** Three arrays by seat index; never changed once made. */
	private record SeatMap(String[] labels, String[] categories, byte[] statuses) {

		/** Whether these are the same seats in the same order. */
		boolean hasSeats(List<SeatState> states) {
			if (states.size() != this.labels.length) {
				return false;
			}
			for (int i = 0; i < this.labels.length; i++) {
				if (!this.labels[i].equals(states.get(i).label())) {
					return false;
				}
			}
			return true;
		}

	}

	record SeatsDocument(List<SeatChange> seats) {
	}

	record SeatChange(String label, String status) {
	}

}
