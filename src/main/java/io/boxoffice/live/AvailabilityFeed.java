package io.boxoffice.live;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventInventory.Counts;
import io.boxoffice.event.EventService.EventWithCounts;
import org.jspecify.annotations.Nullable;

/** An event's availability: the document of {@code GET /events/{id}/availability}. */
final class AvailabilityFeed extends Feed {

	/** What a subscriber marks when the document changed: it has a single part. */
	static final BitSet DOCUMENT = BitSet.valueOf(new long[] { 1 });

	private volatile @Nullable AvailabilityDocument current;

	AvailabilityFeed(Event event) {
		super(event);
	}

	/**
	 * Takes the counts of a poll (by category id, as the event module reads them);
	 * returns whether the document changed.
	 */
	synchronized boolean update(Map<UUID, Counts> counts) {
		EventWithCounts found = new EventWithCounts(event(), counts);
		AvailabilityDocument next = new AvailabilityDocument(event().id().toString(),
				event().categories().stream().map((category) -> CategoryCounts.of(category, found)).toList());
		if (next.equals(this.current)) {
			return false;
		}
		this.current = next;
		return true;
	}

	@Override
	boolean ready() {
		return this.current != null;
	}

	@Override
	String name() {
		return "availability";
	}

	@Override
	@Nullable Object render(boolean full, BitSet changed, @Nullable String category) {
		return (full || !changed.isEmpty()) ? this.current : null;
	}

	record AvailabilityDocument(String eventId, List<CategoryCounts> categories) {
	}

	record CategoryCounts(String code, int capacity, int available, int held, int sold) {

		static CategoryCounts of(Category category, EventWithCounts found) {
			Counts counts = found.counts(category);
			return new CategoryCounts(category.code(), counts.capacity(), counts.available(), counts.held(),
					counts.sold());
		}

	}

}
