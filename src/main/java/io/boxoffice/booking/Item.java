package io.boxoffice.booking;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import io.boxoffice.event.Event;

/**
 * One line of a hold or booking: tickets of one category, and their seats if reserved.
 */
public record Item(UUID categoryId, String category, int quantity, List<String> seats) {

	public Item {
		seats = List.copyOf(seats);
	}

	/** What the items cost at the prices of the event's categories. */
	public static BigDecimal total(Event event, List<Item> items) {
		return items.stream()
			.map(item -> event.categories()
				.stream()
				.filter(category -> category.id().equals(item.categoryId()))
				.findFirst()
				.orElseThrow()
				.price()
				.multiply(BigDecimal.valueOf(item.quantity())))
			.reduce(BigDecimal.ZERO, BigDecimal::add);
	}

}
