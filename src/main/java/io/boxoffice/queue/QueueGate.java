package io.boxoffice.queue;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.boxoffice.booking.SaleGate;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Sql;
import tools.jackson.databind.node.NullNode;

import org.springframework.stereotype.Component;

/**
 * The queue in front of a queued event's sale: only an admitted buyer may hold or book.
 * An admitted buyer's pass is almost always found in memory (the admission step reads
 * every pass of the line a few times a second); the database is asked only when it is
 * not, such as for a buyer admitted by another instance a moment ago, or one not
 * admitted.
 */
@Component
class QueueGate implements SaleGate {

	private final Lines lines;

	private final QueueRepository queue;

	private final QueueService service;

	private final QueueMetrics metrics;

	private final Clock clock;

	QueueGate(Lines lines, QueueRepository queue, QueueService service, QueueMetrics metrics, Clock clock) {
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
		if (this.queue.done(eventId, customerId, Sql.now(this.clock)) == 1) {
			this.metrics.done();
		}
		this.lines.turnEnded(eventId, customerId);
	}

}
