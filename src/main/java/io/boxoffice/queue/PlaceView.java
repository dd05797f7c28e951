package io.boxoffice.queue;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A buyer's place as the API shows it: {@code position} 1 is the next to be admitted
 * ({@code null} when not waiting, or before the shuffle at sales open);
 * {@code estimatedWaitSeconds} 0 once admitted, {@code null} when there is nothing to
 * wait for or no place yet.
 */
public record PlaceView(String eventId, QueueStatus status, @Nullable Long position,
		@Nullable Long estimatedWaitSeconds, Instant joinedAt, @Nullable Instant admittedAt,
		@Nullable Instant passExpiresAt) {

}
