package io.boxoffice.booking;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;

/** Tickets set aside for a customer until {@code expiresAt}. */
public record Hold(UUID id, UUID eventId, UUID customerId, HoldStatus status, Instant expiresAt, List<Item> items,
		BigDecimal total, String currency, Instant createdAt) {

	/**
	 * An ACTIVE hold past its expiry is expired, whether or not it is marked so yet.
	 */
	public HoldStatus statusAt(Instant now) {
		return (this.status == HoldStatus.ACTIVE && !now.isBefore(this.expiresAt)) ? HoldStatus.EXPIRED : this.status;
	}

	/** Refuses to confirm a hold that is no longer active at {@code now}. */
	public void checkConfirmable(Instant now) {
		HoldStatus current = statusAt(now);
		if (current != HoldStatus.ACTIVE && current != HoldStatus.CONFIRMED) {
			throw new BoxofficeException(ErrorCode.HOLD_EXPIRED,
					"The hold is " + current.name().toLowerCase() + "; nothing was booked");
		}
	}

	public int quantity() {
		return this.items.stream().mapToInt(Item::quantity).sum();
	}

}
