package io.boxoffice.queue;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.boxoffice.event.Event;
import io.boxoffice.event.EventStatus;
import io.boxoffice.event.QueueSettings;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

/** Joining, reading and leaving an event's queue. */
@Service
public class QueueService {

	private final QueueRepository queue;

	private final Lines lines;

	private final QueueMetrics metrics;

	private final Clock clock;

	QueueService(QueueRepository queue, Lines lines, QueueMetrics metrics, Clock clock) {
		this.queue = queue;
		this.lines = lines;
		this.metrics = metrics;
		this.clock = clock;
	}

	/**
	 * Joins the line, or returns the place the buyer has: a place per buyer per event.
	 * Before sales open the place is drawn at the opening; a closed line (nothing left to
	 * sell) places a new joiner CLOSED at once.
	 */
	public Joined join(UUID eventId, UUID customerId) {
		Event event = queuedEvent(eventId);
		Instant now = Sql.now(this.clock);
		Optional<Place> existing = this.queue.find(eventId, customerId);
		if (existing.isPresent()) {
			return new Joined(view(existing.get(), now), false);
		}
		if (event.status() == EventStatus.CANCELLED) {
			throw new BoxofficeException(ErrorCode.EVENT_CANCELLED, "The event is cancelled");
		}
		if (!now.isBefore(event.salesCloseAt())) {
			throw new BoxofficeException(ErrorCode.SALES_CLOSED, "Sales closed at " + event.salesCloseAt());
		}
		boolean late = !now.isBefore(event.salesOpenAt());
		Optional<Place> inserted = this.queue.insert(eventId, customerId, late, now);
		if (inserted.isPresent()) {
			return new Joined(view(inserted.get(), now), true);
		}
		// joined at the same moment through another request
		return new Joined(view(this.queue.find(eventId, customerId).orElseThrow(), now), false);
	}

	/** The buyer's place; 404 if the buyer never joined. */
	public PlaceView me(UUID eventId, UUID customerId) {
		queuedEvent(eventId);
		return view(find(eventId, customerId), Sql.now(this.clock));
	}

	/** The places of several buyers of one event, those who joined. */
	public Map<UUID, PlaceView> places(UUID eventId, Collection<UUID> customerIds) {
		Instant now = Sql.now(this.clock);
		Map<UUID, PlaceView> views = new HashMap<>();
		for (Place place : this.queue.findAll(eventId, customerIds)) {
			views.put(place.customerId(), view(place, now));
		}
		return views;
	}

	/**
	 * The buyer leaves the line, or ends an admitted turn; a place that is no longer
	 * waiting or admitted stays as it is. 404 if the buyer never joined.
	 */
	public void leave(UUID eventId, UUID customerId) {
		queuedEvent(eventId);
		find(eventId, customerId);
		Optional<Boolean> left = this.queue.leave(eventId, customerId, Sql.now(this.clock));
		if (left.isPresent() && left.get()) {
			this.metrics.left();
			this.lines.turnEnded(eventId, customerId);
		}
	}

	/** The line's public counts. */
	public Counts counts(UUID eventId) {
		QueueSettings settings = queuedEvent(eventId).queue();
		Line line = this.lines.line(eventId);
		if (settings == null) {
			throw new IllegalStateException("queuedEvent returns queued events only");
		}
		if (line == null) {
			// not read yet on this instance (the admission step reads it within moments)
			return new Counts(settings.maxActiveBuyers(), 0, 0, 0);
		}
		return new Counts(settings.maxActiveBuyers(), line.active(), line.waiting(), line.done());
	}

	/** The queue's public counts. */
	public record Counts(int maxActiveBuyers, long active, long waiting, long done) {
	}

	/** A place, and whether joining made it now. */
	public record Joined(PlaceView place, boolean created) {
	}

	private Event queuedEvent(UUID eventId) {
		Event event = this.lines.event(eventId);
		if (event.queue() == null) {
			throw new BoxofficeException(ErrorCode.NOT_FOUND, "The event has no queue");
		}
		return event;
	}

	private Place find(UUID eventId, UUID customerId) {
		return this.queue.find(eventId, customerId)
			.orElseThrow(() -> new BoxofficeException(ErrorCode.NOT_FOUND, "You have not joined this queue"));
	}

	PlaceView view(Place place, Instant now) {
		QueueStatus status = place.statusAt(now);
		Long position = null;
		Long estimate = null;
		Line line = this.lines.line(place.eventId());
		if (status == QueueStatus.WAITING) {
			position = position(place, line);
			if (position != null && line != null) {
				estimate = line.estimatedWaitSeconds(position);
			}
		}
		else if (status == QueueStatus.ADMITTED) {
			estimate = 0L;
		}
		return new PlaceView(place.eventId().toString(), status, position, estimate, place.joinedAt(),
				place.admittedAt(), place.passExpiresAt());
	}

	/**
	 * The place's position: from the line in memory when the buyer is in it; for a newer
	 * later joiner, those in memory plus those who joined since ahead of the buyer; else
	 * read from the database.
	 */
	private @Nullable Long position(Place place, @Nullable Line line) {
		Long key = place.place();
		if (key == null) {
			return null;
		}
		if (line != null) {
			Integer known = line.positions().get(place.customerId());
			if (known != null) {
				return known.longValue();
			}
			if (place.late()) {
				return line.positions().size() + this.queue.countLateBetween(place.eventId(), line.lastLatePlace(), key)
						+ 1;
			}
		}
		return this.queue.countAhead(place.eventId(), place.late(), key) + 1;
	}

}
