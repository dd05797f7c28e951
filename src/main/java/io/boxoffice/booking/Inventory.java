package io.boxoffice.booking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import io.boxoffice.booking.Cart.Line;
import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventInventory.Counts;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;

import org.springframework.stereotype.Component;

/**
 * Takes tickets from and returns them to inventory, inside the caller's transaction. Rows
 * are always locked in one global order (pools by category id), so two sales can never
 * deadlock.
 */
@Component
class Inventory {

	private final PoolRepository pools;

	Inventory(PoolRepository pools) {
		this.pools = pools;
	}

	/** Where claimed tickets go. */
	enum Target {

		HELD, SOLD

	}

	/**
	 * Claims every line of the cart, all or nothing: a line that cannot be satisfied
	 * throws, and the transaction rolls back whatever was claimed before it.
	 * @return the claimed items, in the order asked
	 */
	List<Item> claim(Event event, Cart cart, Target target, Instant now) {
		return claim(event, cart, target, PoolClaim.GUARDED, now);
	}

	/**
	 * Like {@link #claim(Event, Cart, Target, Instant)}, selling pool tickets the
	 * strategy's way.
	 */
	List<Item> claim(Event event, Cart cart, Target target, PoolClaim sale, Instant now) {
		List<Item> items = new ArrayList<>();
		for (Line line : cart.lines()) {
			if (line.isSeats() || line.category().isReserved()) {
				throw new BoxofficeException(ErrorCode.VALIDATION_FAILED,
						"Reserved seats cannot be booked yet; only general-admission categories are on sale",
						Map.of("errors", List
							.of(new BoxofficeException.FieldError("items", "reserved seating is not on sale yet"))));
			}
			items.add(new Item(line.category().id(), line.category().code(), line.quantity(), List.of()));
		}
		for (Map.Entry<UUID, Integer> pool : byCategory(items).entrySet()) {
			boolean claimed = (target == Target.HELD) ? this.pools.hold(pool.getKey(), pool.getValue())
					: sale.sell(this.pools, pool.getKey(), pool.getValue());
			if (!claimed) {
				throw soldOut(event, pool.getKey(), now);
			}
		}
		return items;
	}

	void confirmHeld(List<Item> items) {
		byCategory(items).forEach(this.pools::confirmHeld);
	}

	/** Held tickets become available, then sold ones, per pool in lock order. */
	void giveBack(List<Item> held, List<Item> sold) {
		TreeMap<UUID, Integer> heldByPool = byCategory(held);
		TreeMap<UUID, Integer> soldByPool = byCategory(sold);
		TreeSet<UUID> pools = new TreeSet<>(heldByPool.keySet());
		pools.addAll(soldByPool.keySet());
		for (UUID pool : pools) {
			this.pools.giveBack(pool, heldByPool.getOrDefault(pool, 0), soldByPool.getOrDefault(pool, 0));
		}
	}

	BoxofficeException soldOut(Event event, UUID categoryId, Instant now) {
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
	 * Tickets per pool in lock order; a sorted map is what keeps concurrent sales
	 * deadlock-free.
	 */
	private static TreeMap<UUID, Integer> byCategory(List<Item> items) {
		TreeMap<UUID, Integer> pools = new TreeMap<>(Comparator.naturalOrder());
		for (Item item : items) {
			if (item.seats().isEmpty()) {
				pools.merge(item.categoryId(), item.quantity(), Integer::sum);
			}
		}
		return pools;
	}

}
