package io.boxoffice.booking;

import java.util.List;
import java.util.UUID;

import io.boxoffice.booking.store.Idempotency;
import io.boxoffice.shared.BoxofficeException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The {@link SaleGate}s other modules put in front of the sale, asked at the entry of a
 * hold or a one-step booking. A retry of a request that was already answered (the same
 * Idempotency-Key, its answer stored) passes, so that it gets its first answer again even
 * after the buyer's turn ended.
 */
@Component
class Gates {

	private final List<SaleGate> gates;

	private final Idempotency idempotency;

	Gates(ObjectProvider<SaleGate> gates, Idempotency idempotency) {
		this.gates = gates.orderedStream().toList();
		this.idempotency = idempotency;
	}

	void checkMayBuy(UUID eventId, UUID customerId, @Nullable String idempotencyKey) {
		for (SaleGate gate : this.gates) {
			try {
				gate.checkMayBuy(eventId, customerId);
			}
			catch (BoxofficeException refused) {
				String key = Idempotency.checkedKey(idempotencyKey);
				if (key == null || !this.idempotency.answered(customerId, key)) {
					throw refused;
				}
			}
		}
	}

	void bookingConfirmed(UUID eventId, UUID customerId) {
		for (SaleGate gate : this.gates) {
			gate.bookingConfirmed(eventId, customerId);
		}
	}

}
