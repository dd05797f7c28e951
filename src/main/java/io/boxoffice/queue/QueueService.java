package io.boxoffice.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.boxoffice.event.Event;
import io.boxoffice.event.EventStatus;
import io.boxoffice.event.QueueSettings;
import io.boxoffice.queue.QueueRepository.Join;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Joining, reading and leaving an event's queue. */
@Service
public class QueueService implements DisposableBean {

	/** Joins queued at most on this instance before a join is refused with 503. */
	private static final int JOINS_QUEUED = 50_000;

	/** Joins written in one transaction at most. */
	private static final int JOINS_PER_BATCH = 1_000;

	/** How long a join waits for its batch before it is refused with 503. */
	private static final Duration JOIN_WAIT = Duration.ofSeconds(5);

	/**
	 * Reads of places queued at most on this instance before a read is refused with 503.
	 */
	private static final int READS_QUEUED = 50_000;

	/** Places read with one statement at most. */
	private static final int READS_PER_BATCH = 1_000;

	/** How long a read of a place waits for its batch before it is refused with 503. */
	private static final Duration READ_WAIT = Duration.ofSeconds(5);

	private final QueueRepository queue;

	private final Lines lines;

	private final QueueMetrics metrics;

	private final Clock clock;

	private final TransactionTemplate tx;

	private final Batches<Join, Joined> joins;

	/**
	 * Reads of buyers' places (polls, streams opening, leaving), made together: thousands
	 * of buyers opening their streams at once cost a few statements and one connection,
	 * not a connection each.
	 */
	private final Batches<Key, Optional<Place>> reads;

	QueueService(QueueRepository queue, Lines lines, QueueMetrics metrics, Clock clock, TransactionTemplate tx) {
		this.queue = queue;
		this.lines = lines;
		this.metrics = metrics;
		this.clock = clock;
		this.tx = tx;
		this.joins = new Batches<>("joins", JOINS_QUEUED, JOINS_PER_BATCH, JOIN_WAIT, this::join);
		this.reads = new Batches<>("place-reads", READS_QUEUED, READS_PER_BATCH, READ_WAIT, this::find);
	}

	@Override
	public void destroy() {
		this.joins.close();
		this.reads.close();
	}

	/**
	 * Joins the line, or returns the place the buyer has: a place per buyer per event.
	 * Before sales open the place is drawn at the opening; a closed line (nothing left to
	 * sell) places a new joiner CLOSED at once.
	 */
	public Joined join(UUID eventId, UUID customerId) {
		Event event = queuedEvent(eventId);
		Instant now = Sql.now(this.clock);
		boolean cancelled = event.status() == EventStatus.CANCELLED;
		if (cancelled || !now.isBefore(event.salesCloseAt())) {
			Optional<Place> existing = this.queue.find(eventId, customerId);
			if (existing.isPresent()) {
				return new Joined(view(existing.get(), now), false);
			}
			throw cancelled ? new BoxofficeException(ErrorCode.EVENT_CANCELLED, "The event is cancelled")
					: new BoxofficeException(ErrorCode.SALES_CLOSED, "Sales closed at " + event.salesCloseAt());
		}
		boolean late = !now.isBefore(event.salesOpenAt());
		return this.joins.submit(new Join(eventId, customerId, late, now));
	}

	/**
	 * Writes a batch of joins in one transaction, in the order they came: a new place for
	 * each buyer who has none, the place there is for the others (a buyer may even be in
	 * the batch twice). Then answers each with its place and position, reading the later
	 * joiners the line in memory does not know yet once per event.
	 */
	private List<Joined> join(List<Join> batch) {
		List<Written> written = Objects.requireNonNull(this.tx.execute(status -> {
			this.queue.lockJoins(batch.stream().map(Join::eventId).toList());
			Map<Key, Place> created = new HashMap<>();
			for (Place place : this.queue.insertAll(batch)) {
				created.put(new Key(place.eventId(), place.customerId()), place);
			}
			Map<Key, Place> existing = new HashMap<>();
			if (created.size() < batch.size()) {
				for (Place place : this.queue.findAll(batch)) {
					existing.put(new Key(place.eventId(), place.customerId()), place);
				}
			}
			List<Written> places = new ArrayList<>(batch.size());
			for (Join join : batch) {
				Key key = new Key(join.eventId(), join.customerId());
				Place place = created.remove(key);
				places.add((place != null) ? new Written(place, true)
						: new Written(Objects.requireNonNull(existing.get(key)), false));
			}
			return places;
		}));
		Map<UUID, Long> lastKeys = new HashMap<>();
		for (Written place : written) {
			Long key = place.place().place();
			if (place.place().late() && key != null) {
				lastKeys.merge(place.place().eventId(), key, Math::max);
			}
		}
		LateJoiners lateJoiners = new LateJoiners(lastKeys);
		List<Joined> joined = new ArrayList<>(batch.size());
		for (int i = 0; i < batch.size(); i++) {
			Written place = written.get(i);
			joined.add(new Joined(view(place.place(), batch.get(i).at(), lateJoiners), place.created()));
		}
		return joined;
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
		this.lines.turnEnding(eventId, customerId);
		Optional<Boolean> left = this.queue.leave(eventId, customerId, Sql.now(this.clock));
		if (left.isPresent() && left.get()) {
			this.metrics.left();
			this.lines.turnEnded(eventId);
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
		return this.reads.submit(new Key(eventId, customerId))
			.orElseThrow(() -> new BoxofficeException(ErrorCode.NOT_FOUND, "You have not joined this queue"));
	}

	/** Reads a batch of places with one statement: each one's, if the buyer joined. */
	private List<Optional<Place>> find(List<Key> batch) {
		Map<Key, Place> found = new HashMap<>();
		for (Place place : this.queue.findAll(batch.stream().map(Key::eventId).toList(),
				batch.stream().map(Key::customerId).toList())) {
			found.put(new Key(place.eventId(), place.customerId()), place);
		}
		return batch.stream().map(key -> Optional.ofNullable(found.get(key))).toList();
	}

	PlaceView view(Place place, Instant now) {
		return view(place, now, this.queue::countLateBetween);
	}

	private PlaceView view(Place place, Instant now, LateCount lateCount) {
		QueueStatus status = place.statusAt(now);
		Long position = null;
		Long estimate = null;
		Line line = this.lines.line(place.eventId());
		if (status == QueueStatus.WAITING) {
			position = position(place, line, lateCount);
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
	private @Nullable Long position(Place place, @Nullable Line line, LateCount lateCount) {
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
				return line.positions().size() + lateCount.between(place.eventId(), line.lastLatePlace(), key) + 1;
			}
		}
		return this.queue.countAhead(place.eventId(), place.late(), key) + 1;
	}

	/**
	 * How many later joiners wait between two places of an event's line (both excluded).
	 */
	@FunctionalInterface
	private interface LateCount {

		long between(UUID eventId, long after, long before);

	}

	/**
	 * The later joiners a batch of joins needs to count, read once per event up to the
	 * batch's last place.
	 */
	private final class LateJoiners implements LateCount {

		private final Map<UUID, Long> lastKeys;

		private final Map<UUID, Read> read = new HashMap<>();

		LateJoiners(Map<UUID, Long> lastKeys) {
			this.lastKeys = lastKeys;
		}

		@Override
		public long between(UUID eventId, long after, long before) {
			Long last = this.lastKeys.get(eventId);
			if (last == null || before > last) {
				return QueueService.this.queue.countLateBetween(eventId, after, before);
			}
			Read places = this.read.get(eventId);
			if (places == null || places.after() != after) {
				places = new Read(after, QueueService.this.queue.latePlacesBetween(eventId, after, last + 1));
				this.read.put(eventId, places);
			}
			int index = Collections.binarySearch(places.places(), before);
			return (index >= 0) ? index : -index - 1;
		}

		/** The places of the later joiners after {@code after}, in order. */
		private record Read(long after, List<Long> places) {
		}

	}

	private record Key(UUID eventId, UUID customerId) {
	}

	private record Written(Place place, boolean created) {
	}

}
