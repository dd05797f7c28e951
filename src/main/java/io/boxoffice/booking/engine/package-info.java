/**
 * The sale engine, inside the booking module: the batched strategy every sale path of the
 * default configuration goes through. One lane per event ({@code GroupCommit}, a bounded
 * {@code Lane} and one worker while there is work) gathers holds, one-step bookings and
 * confirmations as {@code Pending} sales; {@code BatchTransaction} decides a batch in one
 * transaction, reading once in the global lock order, letting the pure {@code Allotment}
 * decide every request in arrival order, and writing the outcome set-based. The
 * strategies that decide each request in a transaction of its own run in {@code Sales},
 * the per-request frame; both commit through {@code Commits}, which learns what became of
 * a COMMIT whose acknowledgement was lost. The holds, bookings, idempotency keys and
 * customer tallies they read and write are the booking module's own
 * ({@code booking.store}).
 */
@NullMarked
package io.boxoffice.booking.engine;

import org.jspecify.annotations.NullMarked;
