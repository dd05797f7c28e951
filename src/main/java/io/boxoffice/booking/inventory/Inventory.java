package io.boxoffice.booking.inventory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import io.boxoffice.booking.Booking;
import io.boxoffice.booking.Hold;
import io.boxoffice.booking.Item;
import io.boxoffice.booking.inventory.Cart.Line;
import io.boxoffice.booking.inventory.SeatRepository.Seat;
import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventInventory.Counts;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;

import org.springframework.stereotype.Component;

/**
 * Takes tickets from and returns them to inventory, inside the caller's transaction. Rows
 * are always locked in one global order, pools by category id and then seats by seat id,
 * so two sales can never deadlock.
 */
@Component
public class Inventory {

	private final PoolRepository pools;

	private final Seating seating;

	Inventory(PoolRepository pools, Seating seating) {
		this.pools = pools;
		this.seating = seating;
	}

	/**
	 * Claims every line of the cart, all or nothing: a line that cannot be satisfied
	 * throws, and the transaction rolls back whatever was claimed before it. Named seats
	 * are checked against the seat map before anything is claimed.
	 * @return the claimed items, in the order asked
	 */
	public List<Item> claim(Event event, Cart cart, Claimant claimant, Instant now) {
		return claim(event, cart, claimant, PoolClaim.GUARDED, now);
	}

	/**
	 * Like {@link #claim(Event, Cart, Claimant, Instant)}, but pool tickets are sold the
	 * given strategy's way.
	 */
	public List<Item> claim(Event event, Cart cart, Claimant claimant, PoolClaim sale, Instant now) {
		Map<Integer, List<Seat>> named = this.seating.resolve(event, cart);
		Map<Integer, Item> items = new TreeMap<>();
		for (int i = 0; i < cart.lines().size(); i++) {
			Line line = cart.lines().get(i);
			Category category = line.category();
			if (category != null && !category.isReserved()) {
				items.put(i, new Item(category.id(), category.code(), line.quantity(), List.of()));
			}
		}
		for (Map.Entry<UUID, Integer> pool : byCategory(items.values()).entrySet()) {
			boolean claimed = (claimant.target() == Claimant.Target.HELD)
					? this.pools.hold(pool.getKey(), pool.getValue())
					: sale.sell(this.pools, pool.getKey(), pool.getValue());
			if (!claimed) {
				throw soldOut(event, pool.getKey(), now);
			}
		}
		if (sale == PoolClaim.LOCKING_READ) {
			// the textbook design for seats too: every buyer of a category waits on its
			// row
			TreeSet<UUID> reserved = new TreeSet<>();
			cart.lines()
				.stream()
				.filter(line -> line.category() != null && line.category().isReserved())
				.forEach(line -> reserved.add(line.category().id()));
			named.values().forEach(seats -> seats.forEach(seat -> reserved.add(seat.categoryId())));
			reserved.forEach(this.pools::lockCategory);
		}
		items.putAll(this.seating.claim(event, cart, named, claimant, now));
		return new ArrayList<>(items.values());
	}

	/**
	 * Claims {@code quantity} tickets of one category for an offer to the waiting list,
	 * inside a transaction that already holds pool or seat locks (it is returning
	 * tickets), so without waiting for any lock: from the pool, whose row that
	 * transaction has already locked, or the best available seats no other transaction
	 * has locked.
	 * @return the claimed item, or nothing (too few, or the free seats are locked by
	 * others) when nothing was claimed
	 */
	public Optional<Item> claimWithoutWaiting(Event event, Category category, int quantity, Claimant claimant,
			Instant now) {
		if (!category.isReserved()) {
			return this.pools.hold(category.id(), quantity)
					? Optional.of(new Item(category.id(), category.code(), quantity, List.of())) : Optional.empty();
		}
		return this.seating.claimBestWithoutWaiting(category, quantity, claimant, now);
	}

	/** A confirmed hold: held tickets and seats become sold. */
	public void confirmHeld(Hold hold, UUID bookingId, Instant now) {
		byCategory(hold.items()).forEach(this.pools::confirmHeld);
		this.seating.confirm(hold, bookingId, now);
	}

	/**
	 * The tickets of ended holds become available, then those of cancelled bookings, per
	 * pool in lock order; then their seats.
	 */
	public void giveBack(Collection<Hold> holds, Collection<Booking> bookings) {
		TreeMap<UUID, Integer> heldByPool = byCategory(holds.stream().flatMap(hold -> hold.items().stream()).toList());
		TreeMap<UUID, Integer> soldByPool = byCategory(
				bookings.stream().flatMap(booking -> booking.items().stream()).toList());
		TreeSet<UUID> pools = new TreeSet<>(heldByPool.keySet());
		pools.addAll(soldByPool.keySet());
		for (UUID pool : pools) {
			this.pools.giveBack(pool, heldByPool.getOrDefault(pool, 0), soldByPool.getOrDefault(pool, 0));
		}
		this.seating.giveBack(holds, bookings);
	}

	public BoxofficeException soldOut(Event event, UUID categoryId, Instant now) {
		Category category = event.categories()
			.stream()
			.filter(c -> c.id().equals(categoryId))
			.findFirst()
			.orElseThrow();
		Counts counts = this.pools.counts(List.of(event.id()), now).get(categoryId);
		int available = (counts != null) ? counts.available() : 0;
		return new BoxofficeException(ErrorCode.SOLD_OUT,
				"Only " + available + " tickets of " + category.code() + " are available",
				Map.of("available", available, "category", category.code()));
	}

	/**
	 * General-admission tickets per pool in lock order; a sorted map is what keeps
	 * concurrent sales deadlock-free. Seated items have no pool.
	 */
	private static TreeMap<UUID, Integer> byCategory(Collection<Item> items) {
		TreeMap<UUID, Integer> pools = new TreeMap<>(Comparator.naturalOrder());
		for (Item item : items) {
			if (!Seating.seated(item)) {
				pools.merge(item.categoryId(), item.quantity(), Integer::sum);
			}
		}
		return pools;
	}

}
