/**
 * Selling: inventory (general-admission pools, seats), holds that expire, bookings,
 * per-customer limits and idempotent retries. Every promise of docs/design.md is kept
 * here, with the database as the last line.
 */
@NullMarked
package io.boxoffice.booking;

import org.jspecify.annotations.NullMarked;
