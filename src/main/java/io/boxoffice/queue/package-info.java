/**
 * The on-sale queue: a fair waiting room in front of a hot event. Buyers join and get a
 * place; a bounded number of them at a time are admitted to buy, in order, by an
 * admission step that every instance runs and that stays correct when they run it at
 * once. Booking asks it one cheap question per sale through
 * {@link io.boxoffice.booking.SaleGate}.
 */
@NullMarked
package io.boxoffice.queue;

import org.jspecify.annotations.NullMarked;
