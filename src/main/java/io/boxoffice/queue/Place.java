package io.boxoffice.queue;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A buyer's row in an event's queue, as stored. The line's order is
 * {@code (late, place)}: early joiners ({@code late} false) get their place from the
 * shuffle at sales open and have none until then.
 */
record Place(UUID eventId, UUID customerId, QueueStatus status, boolean late, @Nullable Long place, Instant joinedAt,
		@Nullable Instant admittedAt, @Nullable Instant passExpiresAt) {

	/** The status at {@code now}: a pass past its expiry reads EXPIRED at once. */
	QueueStatus statusAt(Instant now) {
		Instant expires = this.passExpiresAt;
		if (this.status == QueueStatus.ADMITTED && expires != null && !now.isBefore(expires)) {
			return QueueStatus.EXPIRED;
		}
		return this.status;
	}

}
