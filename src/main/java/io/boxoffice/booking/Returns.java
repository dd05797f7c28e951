package io.boxoffice.booking;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.boxoffice.booking.inventory.Inventory;
import io.boxoffice.booking.store.CustomerLimits;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Gives tickets back when holds end (released, expired, cancelled) or bookings are
 * cancelled: customers' tallies first, then inventory, each in a fixed order: the order
 * every sale takes its locks in, so returns and sales never deadlock. Every return of
 * tickets passes here, and ends by publishing {@link TicketsReturned} per event, in the
 * same transaction, in event id order: the waiting list offers them on before anyone else
 * can take them.
 */
@Component
class Returns {

	private final CustomerLimits limits;

	private final Inventory inventory;

	private final ApplicationEventPublisher publisher;

	Returns(CustomerLimits limits, Inventory inventory, ApplicationEventPublisher publisher) {
		this.limits = limits;
		this.inventory = inventory;
		this.publisher = publisher;
	}

	/**
	 * The tickets of holds that ended, each {@code ended} (RELEASED or EXPIRED), come
	 * back.
	 */
	void heldTickets(Collection<Hold> holds, HoldStatus ended) {
		giveBack(holds, ended, List.of(), false);
	}

	void soldTickets(Collection<Booking> bookings) {
		giveBack(List.of(), HoldStatus.CANCELLED, bookings, false);
	}

	/** The event is being cancelled: its active holds and confirmed bookings end. */
	void eventCancelled(Collection<Hold> holds, Collection<Booking> bookings) {
		giveBack(holds, HoldStatus.CANCELLED, bookings, true);
	}

	private void giveBack(Collection<Hold> holds, HoldStatus ended, Collection<Booking> bookings,
			boolean eventCancelled) {
		Map<Owner, Integer> tallies = new TreeMap<>(
				Comparator.comparing(Owner::eventId).thenComparing(Owner::customerId));
		holds.forEach(
				hold -> tallies.merge(new Owner(hold.eventId(), hold.customerId()), hold.quantity(), Integer::sum));
		bookings.forEach(booking -> tallies.merge(new Owner(booking.eventId(), booking.customerId()),
				booking.quantity(), Integer::sum));
		tallies.forEach((owner, tickets) -> this.limits.give(owner.eventId(), owner.customerId(), tickets));
		this.inventory.giveBack(holds, bookings);
		Map<UUID, Returned> byEvent = new TreeMap<>();
		for (Hold hold : holds) {
			Returned returned = byEvent.computeIfAbsent(hold.eventId(), id -> new Returned());
			returned.add(hold.items());
			returned.endedHolds.put(hold.id(), ended);
		}
		for (Booking booking : bookings) {
			byEvent.computeIfAbsent(booking.eventId(), id -> new Returned()).add(booking.items());
		}
		byEvent.forEach((eventId, returned) -> this.publisher
			.publishEvent(new TicketsReturned(eventId, returned.tickets, returned.endedHolds, eventCancelled)));
	}

	private record Owner(UUID eventId, UUID customerId) {
	}

	/** What came back to one event. */
	private static final class Returned {

		final Map<UUID, Integer> tickets = new HashMap<>();

		final Map<UUID, HoldStatus> endedHolds = new HashMap<>();

		void add(List<Item> items) {
			items.forEach(item -> this.tickets.merge(item.categoryId(), item.quantity(), Integer::sum));
		}

	}

}
