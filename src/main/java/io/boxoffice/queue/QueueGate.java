package io.boxoffice.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.boxoffice.booking.SaleGate;
import io.boxoffice.queue.QueueRepository.TurnEnd;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.NullNode;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The queue in front of a queued event's sale: only an admitted buyer may hold or book.
 * An admitted buyer's pass is almost always found in memory (the admission step reads
 * every pass of the line a few times a second); the database is asked only when it is
 * not, such as for a buyer admitted by another instance a moment ago, or one not
 * admitted.
 */
@Component
class QueueGate implements SaleGate, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(QueueGate.class);

	/** Turn ends queued at most on this instance. */
	private static final int TURNS_QUEUED = 50_000;

	/** Turn ends written in one transaction at most. */
	private static final int TURNS_PER_BATCH = 1_000;

	/**
	 * How long a confirmed booking's answer waits for its turn's end to be written; past
	 * it the booking is answered all the same, and the pass ends the turn at its expiry.
	 */
	private static final Duration TURN_WAIT = Duration.ofSeconds(5);

	private final Lines lines;

	private final QueueRepository queue;

	private final QueueService service;

	private final QueueMetrics metrics;

	private final Clock clock;

	private final TransactionTemplate tx;

	private final Batches<TurnEnd, Boolean> turnEnds;

	QueueGate(Lines lines, QueueRepository queue, QueueService service, QueueMetrics metrics, Clock clock,
			TransactionTemplate tx) {
		this.tx = tx;
		this.turnEnds = new Batches<>("turn-ends", TURNS_QUEUED, TURNS_PER_BATCH, TURN_WAIT, this::end);
		this.lines = lines;
		this.queue = queue;
		this.service = service;
		this.metrics = metrics;
		this.clock = clock;
	}

	@Override
	public void checkMayBuy(UUID eventId, UUID customerId) {
		if (this.lines.settings(eventId).isEmpty()) {
			return;
		}
		Instant now = this.clock.instant();
		if (this.lines.hasPass(eventId, customerId, now)) {
			this.metrics.passFromMemory();
			return;
		}
		this.metrics.passFromDatabase();
		Optional<Place> found = this.queue.find(eventId, customerId);
		if (found.isPresent() && found.get().statusAt(now) == QueueStatus.ADMITTED) {
			Instant expires = found.get().passExpiresAt();
			if (expires != null) {
				this.lines.rememberPass(eventId, customerId, expires);
			}
			return;
		}
		Map<String, Object> members = new LinkedHashMap<>();
		if (found.isPresent()) {
			PlaceView view = this.service.view(found.get(), Sql.now(this.clock));
			Long position = view.position();
			members.put("queueStatus", view.status().name());
			members.put("position", (position != null) ? position : NullNode.getInstance());
		}
		else {
			members.put("queueStatus", NullNode.getInstance());
			members.put("position", NullNode.getInstance());
		}
		throw new BoxofficeException(ErrorCode.NOT_ADMITTED,
				found.isPresent() ? "Only buyers admitted from the queue may buy now"
						: "Join the event's queue to buy: only buyers admitted from it may buy now",
				members);
	}

	@Override
	public void bookingConfirmed(UUID eventId, UUID customerId) {
		if (this.lines.settings(eventId).isEmpty()) {
			return;
		}
		this.lines.turnEnding(eventId, customerId);
		try {
			if (this.turnEnds.submit(new TurnEnd(eventId, customerId, Sql.now(this.clock)))) {
				this.metrics.done();
			}
		}
		catch (RuntimeException ex) {
			// the booking stands; the pass ends the turn when it expires
			log.warn("The turn of buyer {} in the queue of event {} did not end with the booking: {}", customerId,
					eventId, ex.getMessage());
		}
		this.lines.turnEnded(eventId);
	}

	/** Ends a batch of turns in one transaction: whether each ended now. */
	private List<Boolean> end(List<TurnEnd> batch) {
		Set<List<UUID>> ended = new HashSet<>();
		List<TurnEnd> done = this.tx.execute(status -> this.queue.doneAll(batch));
		for (TurnEnd turn : Objects.requireNonNull(done)) {
			ended.add(List.of(turn.eventId(), turn.customerId()));
		}
		return batch.stream().map(turn -> ended.remove(List.of(turn.eventId(), turn.customerId()))).toList();
	}

	@Override
	public void destroy() {
		this.turnEnds.close();
	}

}
