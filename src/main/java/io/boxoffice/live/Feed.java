package io.boxoffice.live;

import java.util.BitSet;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.boxoffice.event.Event;
import org.jspecify.annotations.Nullable;

/**
 * What one event's streams of one kind show, as this instance last polled it, and who
 * listens. A feed lives while it has subscribers; once the last one left it is retired
 * and a new subscriber starts a new feed.
 */
abstract sealed class Feed permits AvailabilityFeed, SeatFeed {

	private final Event event;

	private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

	private boolean retired;

	Feed(Event event) {
		this.event = event;
	}

	final Event event() {
		return this.event;
	}

	final Collection<Subscriber> subscribers() {
		return this.subscribers;
	}

	/**
	 * Adds a subscriber unless the feed was retired (then the caller starts a new one).
	 */
	final synchronized boolean add(Subscriber subscriber) {
		if (this.retired) {
			return false;
		}
		this.subscribers.add(subscriber);
		return true;
	}

	/** Removes a subscriber; returns whether that retired the feed, its last one gone. */
	final synchronized boolean remove(Subscriber subscriber) {
		if (this.subscribers.remove(subscriber) && this.subscribers.isEmpty()) {
			this.retired = true;
			return true;
		}
		return false;
	}

	final void changed(BitSet which) {
		this.subscribers.forEach((subscriber) -> subscriber.changed(which));
	}

	/** Whether the feed was polled at least once, so it has something to show. */
	abstract boolean ready();

	/** The name of the SSE events of this stream. */
	abstract String name();

	/**
	 * The document for one subscriber: everything when {@code full}, else what changed
	 * among {@code changed}; {@code null} when there is nothing for it (or nothing polled
	 * yet).
	 * @param category the only category the subscriber wants, or {@code null} for all
	 */
	abstract @Nullable Object render(boolean full, BitSet changed, @Nullable String category);

}
