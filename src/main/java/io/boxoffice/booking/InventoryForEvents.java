package io.boxoffice.booking;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.booking.inventory.PoolRepository;
import io.boxoffice.booking.inventory.SeatRepository;
import io.boxoffice.booking.store.BookingRepository;
import io.boxoffice.booking.store.HoldRepository;
import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventInventory;
import io.boxoffice.event.SeatRange;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/** The event module's view of inventory. */
@Component
class InventoryForEvents implements EventInventory {

	/**
	 * Seats of a new event from which the seat table's statistics are gathered again
	 * ({@link SeatRepository#analyze()}): below it a misjudged hall costs little.
	 */
	private static final int ANALYZED_HALL = 1_000;

	private final PoolRepository pools;

	private final SeatRepository seats;

	private final HoldRepository holds;

	private final BookingRepository bookings;

	private final Returns returns;

	private final Clock clock;

	InventoryForEvents(PoolRepository pools, SeatRepository seats, HoldRepository holds, BookingRepository bookings,
			Returns returns, Clock clock) {
		this.pools = pools;
		this.seats = seats;
		this.holds = holds;
		this.bookings = bookings;
		this.returns = returns;
		this.clock = clock;
	}

	@Override
	public void stock(Event event, Map<UUID, List<SeatRange>> seatMaps) {
		Map<String, Integer> rowRanks = new LinkedHashMap<>();
		long seated = 0;
		for (Category category : event.categories()) {
			if (!category.isReserved()) {
				this.pools.insert(event.id(), category.id(), category.capacity());
				continue;
			}
			List<SeatRange> ranges = seatMaps.get(category.id());
			if (ranges == null) {
				throw new IllegalArgumentException("No seat map for reserved category " + category.code());
			}
			for (SeatRange range : ranges) {
				int rank = rowRanks.computeIfAbsent(range.row(), row -> rowRanks.size());
				this.seats.insert(event.id(), category.id(), rank, range);
				seated += range.to() - range.from() + 1;
			}
		}
		if (seated >= ANALYZED_HALL) {
			// in the creating transaction, which counts its own new seats; the statistics
			// are seen by every connection once it commits
			this.seats.analyze();
		}
	}

	@Override
	public Map<UUID, Counts> counts(Collection<Event> events) {
		List<UUID> eventIds = events.stream().map(Event::id).toList();
		Instant now = Sql.now(this.clock);
		Map<UUID, Counts> counts = new HashMap<>(this.pools.counts(eventIds, now));
		counts.putAll(this.seats.counts(eventIds, now));
		return counts;
	}

	@Override
	public List<SeatState> seats(Event event, @Nullable Category category) {
		return this.seats.states(event.id(), (category != null) ? category.id() : null, Sql.now(this.clock));
	}

	@Override
	public void cancelAll(Event event) {
		List<Hold> active = this.holds.lockActive(event.id());
		this.holds.setStatus(active.stream().map(Hold::id).toList(), HoldStatus.CANCELLED);
		List<Booking> confirmed = this.bookings.lockConfirmed(event.id());
		this.bookings.cancel(confirmed, Sql.now(this.clock));
		this.returns.eventCancelled(active, confirmed);
	}

}
