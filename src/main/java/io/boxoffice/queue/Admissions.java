package io.boxoffice.queue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventInventory.Counts;
import io.boxoffice.event.EventService;
import io.boxoffice.event.EventService.EventWithCounts;
import io.boxoffice.event.EventStatus;
import io.boxoffice.event.QueueSettings;
import io.boxoffice.queue.QueueRepository.Pass;
import io.boxoffice.queue.QueueRepository.Ranked;
import io.boxoffice.queue.QueueRepository.Turns;
import io.boxoffice.shared.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The admission step, run by every instance a few times a second for every queued event,
 * with no instance in charge: under the event's advisory lock (the instance that does not
 * get it skips the event this time) it expires lapsed passes, closes the line when
 * nothing is left to sell, shuffles the early joiners at sales open, and admits the next
 * buyers in one guarded statement that counts every admitted buyer in the database. Then
 * it reads the line into memory ({@link Lines}).
 */
@Component
class Admissions implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(Admissions.class);

	/** The window of the rate of turns. */
	private static final Duration RATE_WINDOW = Duration.ofMinutes(1);

	private final QueueRepository queue;

	private final Lines lines;

	private final EventService events;

	private final QueueMetrics metrics;

	private final QueueProperties properties;

	private final TransactionTemplate tx;

	private final Clock clock;

	private final Random secureRandom = new SecureRandom();

	private final QueueStreams streams;

	private final AdmissionSignals signals;

	/** The events whose admission after a turn ended is waiting to run. */
	private final Set<UUID> nudged = ConcurrentHashMap.newKeySet();

	/** The events whose admission by another instance is waiting to be read here. */
	private final Set<UUID> heard = ConcurrentHashMap.newKeySet();

	/**
	 * Runs the admissions after turns ended, and the reads of passes after other
	 * instances admitted, one at a time.
	 */
	private final ExecutorService nudges;

	Admissions(QueueRepository queue, Lines lines, EventService events, QueueMetrics metrics,
			QueueProperties properties, TransactionTemplate tx, Clock clock, QueueStreams streams,
			AdmissionSignals signals) {
		this.streams = streams;
		this.signals = signals;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("queue-admission-");
		threads.setDaemon(true);
		this.nudges = Executors.newSingleThreadExecutor(threads);
		lines.onTurnEnded(this::soon);
		signals.onAdmissionElsewhere(this::heard);
		this.queue = queue;
		this.lines = lines;
		this.events = events;
		this.metrics = metrics;
		this.properties = properties;
		this.tx = tx;
		this.clock = clock;
	}

	@Override
	public void destroy() {
		this.nudges.shutdownNow();
	}

	@Scheduled(fixedDelayString = "${boxoffice.queue.tick-interval:250ms}", initialDelayString = "1s")
	void tick() {
		List<UUID> queued;
		try {
			queued = this.queue.queuedEvents(Sql.now(this.clock));
		}
		catch (DataAccessException ex) {
			log.warn("Queue admission step skipped: {}", ex.getMessage());
			return;
		}
		this.lines.retain(queued);
		for (UUID eventId : queued) {
			try {
				step(eventId);
			}
			catch (DataAccessException ex) {
				log.warn("Queue admission step of event {} failed: {}", eventId, ex.getMessage());
			}
		}
	}

	/** One admission step of one event, and the line read into memory. */
	void step(UUID eventId) {
		Event event = this.lines.event(eventId);
		QueueSettings settings = event.queue();
		if (settings == null) {
			return;
		}
		admitted(eventId, admit(event, settings));
		read(eventId, settings, Sql.now(this.clock));
	}

	/**
	 * A turn of the event ended through this instance: the next buyers are admitted at
	 * once, not at the next step. Turns that end while such a step is waiting to run are
	 * served by that step.
	 */
	void soon(UUID eventId) {
		once(this.nudged, eventId, () -> {
			try {
				Event event = this.lines.event(eventId);
				QueueSettings settings = event.queue();
				if (settings != null) {
					Admitted admitted = admit(event, settings);
					if (!admitted.passes().isEmpty()) {
						// the line read at the last step still counts the turns
						// that ended through other instances since
						this.lines.passes(eventId, passes(eventId));
					}
					admitted(eventId, admitted);
				}
			}
			catch (DataAccessException ex) {
				log.warn("Queue admission of event {} after a turn ended failed: {}", eventId, ex.getMessage());
			}
		});
	}

	/**
	 * Another instance admitted buyers to the event: their passes are read here, and
	 * those of them listening on this instance's streams are told at once. Admissions
	 * heard while such a read is waiting to run are served by that read.
	 */
	void heard(UUID eventId) {
		once(this.heard, eventId, () -> {
			try {
				List<Pass> passes = this.queue.admitted(eventId);
				this.lines.passes(eventId, byBuyer(passes));
				this.streams.admittedElsewhere(eventId, passes);
			}
			catch (DataAccessException ex) {
				log.warn("Reading the passes of event {} after another instance admitted failed: {}", eventId,
						ex.getMessage());
			}
		});
	}

	/**
	 * Runs the work for the event on the admission worker, once for every ask that comes
	 * while it waits there ({@code pending} holds the events waiting).
	 */
	private void once(Set<UUID> pending, UUID eventId, Runnable work) {
		if (!pending.add(eventId)) {
			return;
		}
		try {
			this.nudges.execute(() -> {
				pending.remove(eventId);
				work.run();
			});
		}
		catch (RejectedExecutionException shuttingDown) {
			pending.remove(eventId);
		}
	}

	/**
	 * Under the event's admission lock, or not at all when another transaction holds it:
	 * expires lapsed passes, closes the line when nothing is left to sell, shuffles the
	 * early joiners at sales open, and admits the next buyers. The time is read once the
	 * lock is held, so that admissions made one after the other carry times in that
	 * order.
	 */
	private Admitted admit(Event event, QueueSettings settings) {
		UUID eventId = event.id();
		Admitted admitted = this.tx.execute(status -> {
			if (!this.queue.tryLockLine(eventId)) {
				return Admitted.NONE;
			}
			Instant now = Sql.now(this.clock);
			this.metrics.expired(this.queue.expirePasses(eventId, now));
			// asked right before admitting, so that nobody is admitted to a sale with
			// nothing left
			boolean selling = event.status() == EventStatus.ON_SALE && now.isBefore(event.salesCloseAt());
			if (!selling || nothingLeft(eventId)) {
				this.queue.markClosed(eventId, now);
				this.metrics.closed(this.queue.closeWaiting(eventId));
				return Admitted.NONE;
			}
			this.queue.markOpen(eventId);
			if (now.isBefore(event.salesOpenAt())) {
				return Admitted.NONE;
			}
			shuffleEarlyJoiners(eventId);
			List<Pass> passes = this.queue.admit(eventId, settings, now);
			if (!passes.isEmpty()) {
				this.queue.signal(AdmissionSignals.CHANNEL, this.signals.payload(eventId));
			}
			return new Admitted(passes);
		});
		return (admitted != null) ? admitted : Admitted.NONE;
	}

	/** The admitted buyers' passes, as the database has them. */
	private Map<UUID, Instant> passes(UUID eventId) {
		return byBuyer(this.queue.admitted(eventId));
	}

	/** When each buyer's pass expires. */
	private static Map<UUID, Instant> byBuyer(List<Pass> passes) {
		Map<UUID, Instant> byBuyer = new ConcurrentHashMap<>();
		for (Pass pass : passes) {
			byBuyer.put(pass.customerId(), pass.expiresAt());
		}
		return byBuyer;
	}

	/**
	 * Buyers this instance admitted have their passes known here, and are told at once.
	 */
	private void admitted(UUID eventId, Admitted admitted) {
		if (admitted.passes().isEmpty()) {
			return;
		}
		this.metrics.admitted(admitted.passes().size());
		for (Pass pass : admitted.passes()) {
			this.lines.rememberPass(eventId, pass.customerId(), pass.expiresAt());
		}
		this.streams.admitted(eventId, admitted.passes().stream().map(Pass::customerId).toList());
	}

	/** The passes one step gave. */
	private record Admitted(List<Pass> passes) {

		static final Admitted NONE = new Admitted(List.of());

	}

	/** Every category has nothing available and nothing held. */
	private boolean nothingLeft(UUID eventId) {
		EventWithCounts found = this.events.view(eventId);
		for (Category category : found.event().categories()) {
			Counts counts = found.counts(category);
			if (counts.available() > 0 || counts.held() > 0) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Those who joined before sales open get a random order among themselves, ahead of
	 * every later joiner.
	 */
	private void shuffleEarlyJoiners(UUID eventId) {
		List<UUID> early = this.queue.unplaced(eventId);
		if (early.isEmpty()) {
			return;
		}
		List<UUID> order = new ArrayList<>(early);
		Long seed = this.properties.shuffleSeed();
		Collections.shuffle(order, (seed != null) ? new Random(seed) : this.secureRandom);
		this.queue.place(eventId, order, this.queue.lastEarlyPlace(eventId) + 1);
	}

	/** Reads the line into memory. */
	private void read(UUID eventId, QueueSettings settings, Instant now) {
		List<Ranked> waiting = this.queue.waiting(eventId);
		Map<UUID, Integer> positions = new HashMap<>();
		long lastLatePlace = 0;
		for (Ranked ranked : waiting) {
			positions.put(ranked.customerId(), positions.size() + 1);
			if (ranked.late()) {
				lastLatePlace = Math.max(lastLatePlace, ranked.place());
			}
		}
		Map<UUID, Instant> passes = passes(eventId);
		Instant since = now.minus(RATE_WINDOW);
		Turns turns = this.queue.turns(eventId, since);
		Instant opened = this.lines.event(eventId).salesOpenAt();
		double window = Math.max(1, Duration.between(opened.isAfter(since) ? opened : since, now).toSeconds());
		this.lines.update(new Line(eventId, settings, positions, lastLatePlace, this.queue.countUnplaced(eventId),
				passes, turns.done(), turns.recent() / window, now));
	}

}
