/**
 * Inventory, inside the booking module: general-admission pools (one guarded counter row
 * per category), seats and their claims (one row per seat, one active claim per seat by a
 * unique index), the cart a sale claims, and the global lock order every sale keeps
 * (pools by category id, then seats by seat id), so that no two sales can deadlock.
 */
@NullMarked
package io.boxoffice.booking.inventory;

import org.jspecify.annotations.NullMarked;
