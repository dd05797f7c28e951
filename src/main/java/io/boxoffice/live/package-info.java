/**
 * Live updates: Server-Sent Events streams of an event's availability and seat map. Each
 * instance polls the database, once per event with subscribers and tick, so a change
 * committed through any instance reaches the subscribers of every instance, and the sale
 * path knows nothing of the streams.
 */
@NullMarked
package io.boxoffice.live;

import org.jspecify.annotations.NullMarked;
