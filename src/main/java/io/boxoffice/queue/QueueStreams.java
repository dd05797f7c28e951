package io.boxoffice.queue;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.boxoffice.event.QueueSettings;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The streams of buyers' places (Server-Sent Events, event {@code queue}): the current
 * place at once, then again whenever it changed, checked a few times a second (so at most
 * that often), and a comment line when nothing was sent for a while. A stream holds no
 * thread while it waits: one pass serves every stream of the instance, from the line in
 * memory, and asks the database only for the places the line cannot tell (a turn that
 * ended, a new joiner).
 */
@Component
public class QueueStreams {

	private final QueueService service;

	private final Lines lines;

	private final QueueProperties properties;

	private final Clock clock;

	/** The open streams, by event. */
	private final Map<UUID, Set<Subscriber>> streams = new ConcurrentHashMap<>();

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
		Set<Subscriber> ofEvent = this.streams.computeIfAbsent(eventId, id -> ConcurrentHashMap.newKeySet());
		ofEvent.add(subscriber);
		Runnable close = () -> ofEvent.remove(subscriber);
		emitter.onCompletion(close);
		emitter.onTimeout(close);
		emitter.onError(error -> close.run());
		subscriber.send(first);
		return emitter;
	}

	/** Sends every stream whose place changed its new place. */
	@Scheduled(fixedDelayString = "${boxoffice.queue.tick-interval:250ms}", initialDelayString = "1s")
	void push() {
		this.streams.values().removeIf(Set::isEmpty);
		Instant now = Sql.now(this.clock);
		this.streams.forEach((eventId, subscribers) -> push(eventId, subscribers, now));
	}

	private void push(UUID eventId, Set<Subscriber> subscribers, Instant now) {
		Line line = this.lines.line(eventId);
		List<Subscriber> unknown = new ArrayList<>();
		for (Subscriber subscriber : subscribers) {
			PlaceView last = subscriber.last();
			if (last == null || last.status().isFinal()) {
				continue;
			}
			PlaceView known = (line != null) ? fromLine(line, last, subscriber.customerId(), now) : null;
			if (known != null) {
				subscriber.send(known);
			}
			else {
				unknown.add(subscriber);
			}
		}
		if (unknown.isEmpty()) {
			return;
		}
		Map<UUID, PlaceView> places = this.service.places(eventId,
				unknown.stream().map(Subscriber::customerId).toList());
		for (Subscriber subscriber : unknown) {
			PlaceView place = places.get(subscriber.customerId());
			if (place != null) {
				subscriber.send(place);
			}
		}
	}

	/** The place as the line in memory tells it, or null when it cannot. */
	private static @Nullable PlaceView fromLine(Line line, PlaceView last, UUID customerId, Instant now) {
		Integer position = line.positions().get(customerId);
		if (position != null) {
			return new PlaceView(last.eventId(), QueueStatus.WAITING, position.longValue(),
					line.estimatedWaitSeconds(position), last.joinedAt(), null, null);
		}
		Instant expires = line.pass(customerId);
		if (expires != null && now.isBefore(expires)) {
			QueueSettings settings = line.settings();
			return new PlaceView(last.eventId(), QueueStatus.ADMITTED, null, 0L, last.joinedAt(),
					expires.minusSeconds(settings.passTtlSeconds()), expires);
		}
		return null;
	}

	/** A comment line on every stream, so that proxies and clients see it is alive. */
	@Scheduled(fixedDelayString = "${boxoffice.queue.stream-heartbeat:15s}",
			initialDelayString = "${boxoffice.queue.stream-heartbeat:15s}")
	void heartbeat() {
		this.streams.values().forEach(subscribers -> subscribers.forEach(Subscriber::heartbeat));
	}

	/** How many streams are open on this instance. */
	int open() {
		return this.streams.values().stream().mapToInt(Set::size).sum();
	}

	/**
	 * One buyer's stream; sends are serialized, and a place is sent only when it changed.
	 */
	private static final class Subscriber {

		private final UUID eventId;

		private final UUID customerId;

		private final SseEmitter emitter;

		private @Nullable PlaceView last;

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

		synchronized void send(PlaceView place) {
			if (Objects.equals(place, this.last)) {
				return;
			}
			try {
				this.emitter.send(SseEmitter.event().name("queue").data(place, MediaType.APPLICATION_JSON));
				this.last = place;
			}
			catch (IOException | IllegalStateException gone) {
				this.emitter.completeWithError(gone);
			}
		}

		synchronized void heartbeat() {
			try {
				this.emitter.send(SseEmitter.event().comment("queue " + this.eventId));
			}
			catch (IOException | IllegalStateException gone) {
				this.emitter.completeWithError(gone);
			}
		}

	}

}
