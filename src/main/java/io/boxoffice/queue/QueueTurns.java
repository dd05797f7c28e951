package io.boxoffice.queue;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.boxoffice.event.SaleTurns;

import org.springframework.stereotype.Component;

/** The buyers' turns at queued events, as the event's page asks for them. */
@Component
class QueueTurns implements SaleTurns {

	private final QueueService queue;

	QueueTurns(QueueService queue) {
		this.queue = queue;
	}

	@Override
	public Optional<Turn> turn(UUID eventId, UUID customerId) {
		return Optional.ofNullable(this.queue.places(eventId, Set.of(customerId)).get(customerId))
			.map(place -> new Turn(place.status().name(), place.passExpiresAt()));
	}

}
