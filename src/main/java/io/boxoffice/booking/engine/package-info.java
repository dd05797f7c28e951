/**
 * The sale engine, inside the booking module: the batched strategy every sale path of the
 * default configuration goes through. One lane per event ({@code GroupCommit}, a bounded
 * {@code Lane} and one worker while there is work) gathers holds, one-step bookings and
 * confirmations as {@code Pending} sales; {@code BatchTransaction} decides a batch in one
 * transaction, reading once in the global lock order, letting the pure {@code Allotment}
 * decide every request in arrival order, and writing the outcome set-based. The holds,
 * bookings, idempotency keys and customer tallies it reads and writes are the booking
 * module's own.
 */
@NullMarked
package io.boxoffice.booking.engine;

import org.jspecify.annotations.NullMarked;
