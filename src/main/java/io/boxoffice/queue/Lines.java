package io.boxoffice.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventService;
import io.boxoffice.event.QueueSettings;
import io.boxoffice.shared.BoxofficeException;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * What this instance keeps in memory of the queues, for speed only (the database decides
 * every admission): the events and their queue settings, and each queued event's
 * {@link Line} as the last admission step read it.
 */
@Component
class Lines {

	/**
	 * How long an event read from the database is used for its status and sales window
	 * before it is read again, in the background: the requests that find it older are
	 * answered from the copy meanwhile, so that hundreds of them in flight at that moment
	 * do not each read it (and wait for a connection to).
	 */
	private static final Duration EVENT_FRESH = Duration.ofSeconds(1);

	/** An event not asked for this long is read again before it is used. */
	private static final Duration EVENT_KEPT = Duration.ofSeconds(10);

	/**
	 * How long a turn ended here is kept out of a line read that may have begun before.
	 */
	private static final long ENDED_KEPT_NANOS = TimeUnit.SECONDS.toNanos(10);

	/** Bound of the event cache. */
	private static final int MAX_EVENTS = 10_000;

	private final LoadingCache<UUID, Event> cachedEvents;

	private final Map<UUID, Line> lines = new ConcurrentHashMap<>();

	/** Turns this instance ended (by event and buyer), with when, in nanoseconds. */
	private final Map<Turn, Long> ended = new ConcurrentHashMap<>();

	private volatile Consumer<UUID> turnEnded = eventId -> {
	};

	Lines(EventService events) {
		this.cachedEvents = Caffeine.newBuilder()
			.maximumSize(MAX_EVENTS)
			.refreshAfterWrite(EVENT_FRESH)
			.expireAfterWrite(EVENT_KEPT)
			.build(events::get);
	}

	/**
	 * The event, read again once the copy here is older than a second; 404 if there is
	 * none.
	 */
	Event event(UUID eventId) {
		return this.cachedEvents.get(eventId);
	}

	/**
	 * The event's queue settings (they never change), from memory after the first ask;
	 * empty for an event without a queue or that does not exist.
	 */
	Optional<QueueSettings> settings(UUID eventId) {
		Event cached = this.cachedEvents.getIfPresent(eventId);
		if (cached != null) {
			return Optional.ofNullable(cached.queue());
		}
		try {
			return Optional.ofNullable(event(eventId).queue());
		}
		catch (BoxofficeException notFound) {
			return Optional.empty();
		}
	}

	@Nullable Line line(UUID eventId) {
		return this.lines.get(eventId);
	}

	Collection<Line> all() {
		return this.lines.values();
	}

	/** Keeps the lines of these events only. */
	void retain(Collection<UUID> eventIds) {
		this.lines.keySet().retainAll(eventIds);
		long now = System.nanoTime();
		this.ended.values().removeIf(at -> now - at > ENDED_KEPT_NANOS);
	}

	/**
	 * The line as read now; turns this instance ended lately stay ended, whatever the
	 * read began before.
	 */
	void update(Line line) {
		line.passes().keySet().removeIf(customerId -> this.ended.containsKey(new Turn(line.eventId(), customerId)));
		this.lines.put(line.eventId(), line);
	}

	/**
	 * Whether the buyer holds a pass of the event that is valid at {@code now}, as known
	 * here.
	 */
	boolean hasPass(UUID eventId, UUID customerId, Instant now) {
		Line line = this.lines.get(eventId);
		Instant expires = (line != null) ? line.pass(customerId) : null;
		return expires != null && now.isBefore(expires) && !this.ended.containsKey(new Turn(eventId, customerId));
	}

	/** A pass learned of from the database, kept until the next read of the line. */
	void rememberPass(UUID eventId, UUID customerId, Instant expires) {
		Line line = this.lines.get(eventId);
		if (line != null && !this.ended.containsKey(new Turn(eventId, customerId))) {
			line.passes().put(customerId, expires);
		}
	}

	/**
	 * The buyer's turn is ending through this instance: the pass is forgotten here before
	 * the end is written, so that an admission into the room it frees never finds it
	 * still counted.
	 */
	void turnEnding(UUID eventId, UUID customerId) {
		this.ended.put(new Turn(eventId, customerId), System.nanoTime());
		Line line = this.lines.get(eventId);
		if (line != null) {
			line.passes().remove(customerId);
		}
	}

	/** A turn of the event ended through this instance; the listener hears of it. */
	void turnEnded(UUID eventId) {
		this.turnEnded.accept(eventId);
	}

	/**
	 * The admitted buyers' passes as the database has them now, replacing those in memory
	 * but for the turns this instance ended lately.
	 */
	void passes(UUID eventId, Map<UUID, Instant> passes) {
		Line line = this.lines.get(eventId);
		if (line == null) {
			return;
		}
		Map<UUID, Instant> fresh = new ConcurrentHashMap<>(passes);
		fresh.keySet().removeIf(customerId -> this.ended.containsKey(new Turn(eventId, customerId)));
		this.lines.put(eventId, line.withPasses(fresh));
	}

	/** Who hears of a turn that ended through this instance (the admission step). */
	void onTurnEnded(Consumer<UUID> listener) {
		this.turnEnded = listener;
	}

	private record Turn(UUID eventId, UUID customerId) {
	}

}
