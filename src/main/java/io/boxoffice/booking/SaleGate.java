package io.boxoffice.booking;

import java.util.UUID;

/**
 * A gate in front of an event's sale, implemented by another module (the on-sale queue):
 * asked before every hold and one-step booking, and told when a buyer's booking is
 * confirmed. Booking knows nothing else of it; with no gate every buyer may buy.
 */
public interface SaleGate {

	/**
	 * Refuses a buyer who may not buy the event's tickets now, with a
	 * {@link io.boxoffice.shared.BoxofficeException}; returns for one who may. Called on
	 * every sale, so it must answer from memory almost always.
	 */
	void checkMayBuy(UUID eventId, UUID customerId);

	/**
	 * The buyer's booking of the event was confirmed and committed (one step, or a hold
	 * confirmed).
	 */
	void bookingConfirmed(UUID eventId, UUID customerId);

}
