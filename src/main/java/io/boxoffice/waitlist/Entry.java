package io.boxoffice.waitlist;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A customer's place in the line of one category, {@code seq} its order of joining.
 */
record Entry(UUID id, long seq, UUID eventId, UUID categoryId, String category, UUID customerId, int quantity,
		EntryStatus status, @Nullable UUID holdId, @Nullable Instant offerExpiresAt, Instant createdAt) {

	/**
	 * An offer past its expiry has lapsed, whether or not the expiry of its hold has been
	 * noticed yet (its tickets are then offered on).
	 */
	EntryStatus statusAt(Instant now) {
		return (this.status == EntryStatus.OFFERED && this.offerExpiresAt != null && !now.isBefore(this.offerExpiresAt))
				? EntryStatus.EXPIRED : this.status;
	}

}
