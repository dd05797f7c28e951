package io.boxoffice.booking;

import java.util.List;
import java.util.UUID;

/**
 * One line of a hold or booking: tickets of one category, and their seats if reserved.
 */
public record Item(UUID categoryId, String category, int quantity, List<String> seats) {

	public Item {
		seats = List.copyOf(seats);
	}

}
