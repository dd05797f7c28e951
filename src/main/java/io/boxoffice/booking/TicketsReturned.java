package io.boxoffice.booking;

import java.util.Map;
import java.util.UUID;

/**
 * Tickets of one event came back, published inside the transaction that returned them,
 * after the pools and seats took them back and while their locks are still held: a
 * listener that hands them on (the waiting list) does so in the same transaction, before
 * anyone else can take them.
 *
 * @param eventId the event
 * @param tickets how many tickets came back per category id (general admission and seats)
 * @param endedHolds the holds that ended and how (RELEASED, EXPIRED or CANCELLED)
 * @param eventCancelled whether they came back because the whole event is being cancelled
 */
public record TicketsReturned(UUID eventId, Map<UUID, Integer> tickets, Map<UUID, HoldStatus> endedHolds,
		boolean eventCancelled) {

	public TicketsReturned {
		tickets = Map.copyOf(tickets);
		endedHolds = Map.copyOf(endedHolds);
	}

}
