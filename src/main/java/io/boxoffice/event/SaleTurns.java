package io.boxoffice.event;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A buyer's turn at a queued event's sale, told by the module that keeps the on-sale
 * queue: the event's page offers its buy forms to a buyer whose turn it is, and the way
 * into the queue to everyone else. Without an implementation no buyer has a turn.
 */
public interface SaleTurns {

	/** The buyer's place in the event's queue; empty if the buyer never joined. */
	Optional<Turn> turn(UUID eventId, UUID customerId);

	/**
	 * Where a buyer stands: {@code status} is WAITING, ADMITTED, DONE, LEFT, EXPIRED or
	 * CLOSED; {@code passExpiresAt} is when an admitted buyer's turn ends.
	 */
	record Turn(String status, @Nullable Instant passExpiresAt) {

		public boolean admitted() {
			return "ADMITTED".equals(this.status);
		}

	}

}
