package io.boxoffice.booking;

import java.util.Map;
import java.util.UUID;

/**
 * Holds of one event became bookings: published once per confirming transaction, which
 * may confirm many (a batch of the sale engine).
 *
 * @param eventId the event
 * @param bookings each confirmed hold's id and the id of the booking made from it
 */
public record HoldsConfirmed(UUID eventId, Map<UUID, UUID> bookings) {

	public HoldsConfirmed {
		bookings = Map.copyOf(bookings);
	}

}
