/**
 * The rows of holds and bookings, inside the booking module: {@code HoldRepository} and
 * {@code BookingRepository}, one named method per SQL statement, with the items of each
 * and the tickets of each booking. They read and write the module's domain records; the
 * sale paths and the engine call them inside their own transactions.
 */
@NullMarked
package io.boxoffice.booking.store;

import org.jspecify.annotations.NullMarked;
