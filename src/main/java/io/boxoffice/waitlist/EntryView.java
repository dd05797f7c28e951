package io.boxoffice.waitlist;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A waiting-list entry as its customer sees it: {@code position} counts the entries still
 * waiting ahead (1 = next) and is null once the entry no longer waits.
 */
public record EntryView(String id, String eventId, String category, int quantity, String status,
		@Nullable Long position, @Nullable String holdId, @Nullable Instant offerExpiresAt, Instant createdAt) {

	static EntryView of(Entry entry, Instant now, @Nullable Long position) {
		EntryStatus status = entry.statusAt(now);
		return new EntryView(entry.id().toString(), entry.eventId().toString(), entry.category(), entry.quantity(),
				status.name(), (status == EntryStatus.WAITING) ? position : null,
				(entry.holdId() != null) ? entry.holdId().toString() : null, entry.offerExpiresAt(), entry.createdAt());
	}

}
