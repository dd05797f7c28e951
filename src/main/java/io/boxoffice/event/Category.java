package io.boxoffice.event;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * A ticket category of an event. General admission has a capacity; reserved seating has
 * named seats, and its capacity is their number.
 */
public record Category(UUID id, String code, String name, CategoryKind kind, BigDecimal price, String currency,
		int capacity) {

	public boolean isReserved() {
		return this.kind == CategoryKind.RESERVED;
	}

}
