/**
 * The rows of holds and bookings, inside the booking module: {@code HoldRepository} and
 * {@code BookingRepository}, one named method per SQL statement, with the items of each
 * and the tickets of each booking; {@code Idempotency}, the Idempotency-Keys and the
 * answers they replay; {@code CustomerLimits}, each customer's held plus booked tickets
 * per event. They read and write the module's domain records; the sale paths and the
 * engine call them inside their own transactions.
 */
@NullMarked
package io.boxoffice.booking.store;

import org.jspecify.annotations.NullMarked;
