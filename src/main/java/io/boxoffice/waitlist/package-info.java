/**
 * The waiting list of sold-out categories: customers join in line, and tickets that come
 * back to a category (a booking cancelled, a hold released or expired, an offer lapsed)
 * are offered, in order of joining, as holds to each entry they fit, in the transaction
 * that returned them.
 */
@NullMarked
package io.boxoffice.waitlist;

import org.jspecify.annotations.NullMarked;
