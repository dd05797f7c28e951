/**
 * Ticketing: what happens to the tickets the booking module issues. Check-in at the gates
 * (exactly one admitting scan per ticket, on any number of instances), counts per gate,
 * and the QR image of a ticket's code for its customer.
 */
@NullMarked
package io.boxoffice.ticketing;

import org.jspecify.annotations.NullMarked;
