package io.boxoffice.booking;

import java.util.UUID;

/**
 * A hold became a booking: published inside the confirming transaction.
 *
 * @param eventId the event
 * @param holdId the confirmed hold
 * @param bookingId the booking made from it
 */
public record HoldConfirmed(UUID eventId, UUID holdId, UUID bookingId) {
}
