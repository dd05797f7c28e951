package io.boxoffice.queue;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.boxoffice.event.QueueSettings;
import io.boxoffice.queue.QueueRepository.Pass;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The streams of buyers' places (Server-Sent Events, event {@code queue}): the current
 * place at once, then again whenever it changed, checked a few times a second (so at most
 * that often; a buyer far back in a long line gets its position less often, and a buyer
 * this instance admits is told at once), and a comment line when nothing was sent for a
 * while. A stream holds no thread while it waits: one pass serves every stream of the
 * instance, from the line in memory, and asks the database only for the places the line
 * cannot tell (a turn that ended, a new joiner).
 */
@Component
public class QueueStreams implements SmartLifecycle {

	/** How often a buyer far back in the line is sent its position at most. */
	private static final long FAR_BACK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

	private final QueueService service;

	private final Lines lines;

	private final QueueProperties properties;

	private final Clock clock;

	private volatile boolean running;

	/** The open streams, by event and buyer (a buyer may have several). */
	private final Map<UUID, Map<UUID, Set<Subscriber>>> streams = new ConcurrentHashMap<>();

	QueueStreams(QueueService service, Lines lines, QueueProperties properties, Clock clock) {
		this.service = service;
		this.lines = lines;
		this.properties = properties;
		this.clock = clock;
	}

	/** Opens a stream of the buyer's place; 404 if the buyer never joined. */
	public SseEmitter open(UUID eventId, UUID customerId) {
		PlaceView first = this.service.me(eventId, customerId);
		SseEmitter emitter = new SseEmitter(this.properties.streamTimeout().toMillis());
		Subscriber subscriber = new Subscriber(eventId, customerId, emitter);
		this.streams.computeIfAbsent(eventId, id -> new ConcurrentHashMap<>())
			.computeIfAbsent(customerId, id -> ConcurrentHashMap.newKeySet())
			.add(subscriber);
		Runnable close = () -> {
			Map<UUID, Set<Subscriber>> ofEvent = this.streams.get(eventId);
			if (ofEvent != null) {
				ofEvent.computeIfPresent(customerId, (id, ofBuyer) -> {
					ofBuyer.remove(subscriber);
					return ofBuyer.isEmpty() ? null : ofBuyer;
				});
			}
		};
		emitter.onCompletion(close);
		emitter.onTimeout(close);
		emitter.onError(error -> close.run());
		subscriber.send(first);
		return emitter;
	}

	/** Sends every stream whose place changed its new place. */
	@Scheduled(fixedDelayString = "${boxoffice.queue.tick-interval:250ms}", initialDelayString = "1s")
	void push() {
		this.streams.values().removeIf(Map::isEmpty);
		Instant now = Sql.now(this.clock);
		long nanos = System.nanoTime();
		this.streams.forEach((eventId, subscribers) -> push(eventId, subscribers, now, nanos));
	}

	/**
	 * Buyers this instance admitted a moment ago are told at once, not at the next push.
	 */
	void admitted(UUID eventId, Collection<UUID> customerIds) {
		Map<UUID, Set<Subscriber>> ofEvent = this.streams.get(eventId);
		Line line = this.lines.line(eventId);
		if (ofEvent == null || line == null) {
			return;
		}
		Instant now = Sql.now(this.clock);
		long nanos = System.nanoTime();
		for (UUID customerId : customerIds) {
			for (Subscriber subscriber : ofEvent.getOrDefault(customerId, Set.of())) {
				PlaceView last = subscriber.last();
				PlaceView known = (last != null) ? fromLine(line, last, customerId, now) : null;
				if (known != null) {
					subscriber.send(known, nanos);
				}
			}
		}
	}

	/**
	 * Buyers another instance admitted a moment ago (its signal read here, with their
	 * passes) are told at once, not at the next push after this instance's next step.
	 */
	void admittedElsewhere(UUID eventId, Collection<Pass> passes) {
		Map<UUID, Set<Subscriber>> ofEvent = this.streams.get(eventId);
		if (ofEvent == null) {
			return;
		}
		Instant now = Sql.now(this.clock);
		long nanos = System.nanoTime();
		for (Pass pass : passes) {
			if (!now.isBefore(pass.expiresAt())) {
				continue;
			}
			for (Subscriber subscriber : ofEvent.getOrDefault(pass.customerId(), Set.of())) {
				PlaceView last = subscriber.last();
				if (last != null && !last.status().isFinal()) {
					subscriber.send(new PlaceView(last.eventId(), QueueStatus.ADMITTED, null, 0L, last.joinedAt(),
							pass.admittedAt(), pass.expiresAt()), nanos);
				}
			}
		}
	}

	private void push(UUID eventId, Map<UUID, Set<Subscriber>> subscribers, Instant now, long nanos) {
		Line line = this.lines.line(eventId);
		List<Subscriber> unknown = new ArrayList<>();
		subscribers.values().forEach(ofBuyer -> ofBuyer.forEach(subscriber -> {
			PlaceView last = subscriber.last();
			if (last == null || last.status().isFinal()) {
				return;
			}
			if (line == null) {
				unknown.add(subscriber);
				return;
			}
			if (farBackAndSentLately(line, last, subscriber, nanos)
					|| drawPendingAndAskedLately(line, last, subscriber, nanos)) {
				return;
			}
			PlaceView known = fromLine(line, last, subscriber.customerId(), now);
			if (known == null) {
				unknown.add(subscriber);
			}
			else {
				subscriber.send(known, nanos);
			}
		}));
		if (unknown.isEmpty()) {
			return;
		}
		Map<UUID, PlaceView> places = this.service.places(eventId,
				unknown.stream().map(Subscriber::customerId).distinct().toList());
		for (Subscriber subscriber : unknown) {
			subscriber.asked(nanos);
			PlaceView place = places.get(subscriber.customerId());
			if (place != null) {
				subscriber.send(place, nanos);
			}
		}
	}

	/**
	 * Whether only the position of a buyer far back changed, and the buyer was sent one
	 * lately: such a buyer gets the position every {@link #FAR_BACK_INTERVAL_NANOS} at
	 * most, so that a line of tens of thousands costs a few sends a second per thousand
	 * buyers, not four per buyer. Near the front, within twice the admitted buyers, every
	 * change is sent.
	 */
	private static boolean farBackAndSentLately(Line line, PlaceView last, Subscriber subscriber, long nanos) {
		if (last.status() != QueueStatus.WAITING || nanos - subscriber.sentAt() >= FAR_BACK_INTERVAL_NANOS) {
			return false;
		}
		Integer position = line.positions().get(subscriber.customerId());
		return position != null && position > 2L * line.settings().maxActiveBuyers();
	}

	/**
	 * Whether the buyer joined before sales open, the line has not been drawn yet, and
	 * the buyer's place was read lately: such a buyer, whom the line in memory cannot
	 * tell, is read from the database every {@link #FAR_BACK_INTERVAL_NANOS} at most (to
	 * learn that the buyer left, or that the line closed), not at every pass, so that a
	 * crowd waiting for the opening costs a few reads a second per thousand buyers. The
	 * draw places them all in the line in memory.
	 */
	private static boolean drawPendingAndAskedLately(Line line, PlaceView last, Subscriber subscriber, long nanos) {
		return last.status() == QueueStatus.WAITING && last.position() == null && line.unplaced() > 0
				&& nanos - subscriber.askedAt() < FAR_BACK_INTERVAL_NANOS;
	}

	/** The place as the line in memory tells it, or null when it cannot. */
	private static @Nullable PlaceView fromLine(Line line, PlaceView last, UUID customerId, Instant now) {
		Instant expires = line.pass(customerId);
		if (expires != null && now.isBefore(expires)) {
			QueueSettings settings = line.settings();
			return new PlaceView(last.eventId(), QueueStatus.ADMITTED, null, 0L, last.joinedAt(),
					expires.minusSeconds(settings.passTtlSeconds()), expires);
		}
		Integer position = line.positions().get(customerId);
		if (position != null) {
			return new PlaceView(last.eventId(), QueueStatus.WAITING, position.longValue(),
					line.estimatedWaitSeconds(position), last.joinedAt(), null, null);
		}
		return null;
	}

	/**
	 * A comment line on every stream that was sent nothing for a while, so that proxies
	 * and clients see it is alive.
	 */
	@Scheduled(fixedDelayString = "${boxoffice.queue.stream-heartbeat:15s}",
			initialDelayString = "${boxoffice.queue.stream-heartbeat:15s}")
	void heartbeat() {
		long nanos = System.nanoTime();
		long idle = this.properties.streamHeartbeat().toNanos() / 2;
		this.streams.values()
			.forEach(ofEvent -> ofEvent.values()
				.forEach(ofBuyer -> ofBuyer.forEach(subscriber -> subscriber.heartbeat(nanos, idle))));
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Ends every stream before the web server waits for open requests to finish, so that
	 * a graceful shutdown is not held up by buyers who would listen for an hour; their
	 * clients reconnect to another instance.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.streams.values()
			.forEach(ofEvent -> ofEvent.values().forEach(ofBuyer -> ofBuyer.forEach(Subscriber::complete)));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** How many streams are open on this instance. */
	int open() {
		return this.streams.values().stream().flatMap(ofEvent -> ofEvent.values().stream()).mapToInt(Set::size).sum();
	}

	/**
	 * One buyer's stream; sends are serialized, and a place is sent only when it changed.
	 */
	private static final class Subscriber {

		private final UUID eventId;

		private final UUID customerId;

		private final SseEmitter emitter;

		private @Nullable PlaceView last;

		/** When a place was last sent, in nanoseconds. */
		private long sentAt;

		/** When anything (a place or a comment) was last written, in nanoseconds. */
		private long writtenAt = System.nanoTime();

		/** When the place was last read from the database, in nanoseconds. */
		private long askedAt = this.writtenAt;

		Subscriber(UUID eventId, UUID customerId, SseEmitter emitter) {
			this.eventId = eventId;
			this.customerId = customerId;
			this.emitter = emitter;
		}

		UUID customerId() {
			return this.customerId;
		}

		synchronized @Nullable PlaceView last() {
			return this.last;
		}

		synchronized long sentAt() {
			return this.sentAt;
		}

		synchronized long askedAt() {
			return this.askedAt;
		}

		synchronized void asked(long nanos) {
			this.askedAt = nanos;
		}

		synchronized void send(PlaceView place) {
			send(place, System.nanoTime());
		}

		synchronized void send(PlaceView place, long nanos) {
			if (Objects.equals(place, this.last)) {
				return;
			}
			try {
				this.emitter.send(SseEmitter.event().name("queue").data(place, MediaType.APPLICATION_JSON));
				this.last = place;
				this.sentAt = nanos;
				this.writtenAt = nanos;
			}
			catch (IOException | IllegalStateException gone) {
				this.emitter.completeWithError(gone);
			}
		}

		synchronized void complete() {
			this.emitter.complete();
		}

		/** A comment line, unless something was written within {@code idleNanos}. */
		synchronized void heartbeat(long nanos, long idleNanos) {
			if (nanos - this.writtenAt < idleNanos) {
				return;
			}
			try {
				this.emitter.send(SseEmitter.event().comment("queue " + this.eventId));
				this.writtenAt = nanos;
			}
			catch (IOException | IllegalStateException gone) {
				this.emitter.completeWithError(gone);
			}
		}

	}

}
