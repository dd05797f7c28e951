package io.boxoffice.booking.inventory;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Who claims tickets from inventory: a new hold, whose seats are held until it expires,
 * or a new booking.
 */
public record Claimant(Target target, UUID id, @Nullable Instant heldUntil) {

	public static Claimant hold(UUID holdId, Instant expiresAt) {
		return new Claimant(Target.HELD, holdId, expiresAt);
	}

	public static Claimant booking(UUID bookingId) {
		return new Claimant(Target.SOLD, bookingId, null);
	}

	public @Nullable UUID holdId() {
		return (this.target == Target.HELD) ? this.id : null;
	}

	public @Nullable UUID bookingId() {
		return (this.target == Target.SOLD) ? this.id : null;
	}

	/** Where claimed tickets go. */
	public enum Target {

		HELD, SOLD

	}

}
