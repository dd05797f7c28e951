package io.boxoffice.booking;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.boxoffice.booking.inventory.Inventory;

import org.springframework.stereotype.Component;

/**
 * Gives tickets back when holds end (released, expired, cancelled) or bookings are
 * cancelled: customers' tallies first, then inventory, each in a fixed order: the order
 * every sale takes its locks in, so returns and sales never deadlock.
 */
@Component
class Returns {

	private final CustomerLimits limits;

	private final Inventory inventory;

	Returns(CustomerLimits limits, Inventory inventory) {
		this.limits = limits;
		this.inventory = inventory;
	}

	void heldTickets(Collection<Hold> holds) {
		giveBack(holds, List.of());
	}

	void soldTickets(Collection<Booking> bookings) {
		giveBack(List.of(), bookings);
	}

	void giveBack(Collection<Hold> holds, Collection<Booking> bookings) {
		Map<Owner, Integer> tallies = new TreeMap<>(
				Comparator.comparing(Owner::eventId).thenComparing(Owner::customerId));
		holds.forEach(
				hold -> tallies.merge(new Owner(hold.eventId(), hold.customerId()), hold.quantity(), Integer::sum));
		bookings.forEach(booking -> tallies.merge(new Owner(booking.eventId(), booking.customerId()),
				booking.quantity(), Integer::sum));
		tallies.forEach((owner, tickets) -> this.limits.give(owner.eventId(), owner.customerId(), tickets));
		this.inventory.giveBack(holds, bookings);
	}

	private record Owner(UUID eventId, UUID customerId) {
	}

}
