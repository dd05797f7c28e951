package io.boxoffice.booking.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.boxoffice.booking.BookingProperties;
import io.boxoffice.booking.ItemRequest;
import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
import io.boxoffice.shared.ValidationErrors;
import org.jspecify.annotations.Nullable;

/** A request's items checked against the event: what to claim, in the order asked. */
public record Cart(List<Line> lines) {

	/**
	 * A line to claim: {@code quantity} tickets of a category, or exactly {@code seats},
	 * whose category the seat map decides.
	 */
	public record Line(@Nullable Category category, int quantity, List<String> seats) {

		boolean isSeats() {
			return !this.seats.isEmpty();
		}

	}

	public int quantity() {
		return this.lines.stream().mapToInt(Line::quantity).sum();
	}

	public static Cart of(Event event, List<ItemRequest> items, BookingProperties limits) {
		ValidationErrors errors = new ValidationErrors();
		if (items.isEmpty()) {
			errors.reject("items", "must hold at least one item");
		}
		if (items.size() > limits.maxItemsPerRequest()) {
			errors.reject("items", "must hold at most " + limits.maxItemsPerRequest() + " items");
		}
		errors.throwIfAny();
		List<Line> lines = new ArrayList<>();
		long tickets = 0;
		Set<String> named = new HashSet<>();
		for (int i = 0; i < items.size(); i++) {
			ItemRequest item = items.get(i);
			String field = "items[" + i + "]";
			if (item.seats() != null) {
				if (item.category() != null || item.quantity() != null) {
					errors.reject(field, "give either category and quantity, or seats");
					continue;
				}
				List<String> seats = item.seats();
				if (seats.isEmpty()) {
					errors.reject(field + ".seats", "must name at least one seat");
				}
				else if (seats.stream().distinct().count() != seats.size()) {
					errors.reject(field + ".seats", "names a seat twice");
				}
				else if (seats.stream().anyMatch(seat -> !named.add(seat))) {
					errors.reject(field + ".seats", "names a seat another item names");
				}
				tickets += seats.size();
				lines.add(new Line(null, seats.size(), seats));
				continue;
			}
			if (item.category() == null) {
				errors.reject(field + ".category", "is required (or give seats)");
				continue;
			}
			if (item.quantity() == null) {
				errors.reject(field + ".quantity", "is required");
				continue;
			}
			Category category = event.category(item.category()).orElse(null);
			if (category == null) {
				errors.reject(field + ".category", "is not a category of this event");
				continue;
			}
			if (item.quantity() < 1) {
				errors.reject(field + ".quantity", "must be at least 1");
				continue;
			}
			tickets += item.quantity();
			lines.add(new Line(category, item.quantity(), List.of()));
		}
		if (tickets > limits.maxTicketsPerRequest()) {
			errors.reject("items", "a request takes at most " + limits.maxTicketsPerRequest() + " tickets");
		}
		errors.throwIfAny();
		return new Cart(List.copyOf(lines));
	}

}
