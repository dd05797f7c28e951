/**
 * Events and their categories: general-admission pools and reserved seat maps, as
 * organizers publish them. What is sold lives in the booking module, reached through
 * {@link io.boxoffice.event.EventInventory}.
 */
@NullMarked
package io.boxoffice.event;

import org.jspecify.annotations.NullMarked;
