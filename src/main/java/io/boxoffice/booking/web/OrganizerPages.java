package io.boxoffice.booking.web;

import java.util.List;
import java.util.UUID;

import io.boxoffice.booking.BookingService;
import io.boxoffice.event.Category;
import io.boxoffice.event.EventInventory.Counts;
import io.boxoffice.event.EventService;
import io.boxoffice.event.EventService.EventWithCounts;
import io.boxoffice.shared.Caller;
import io.boxoffice.shared.Ids;
import io.boxoffice.shared.PageQuery;
import io.boxoffice.shared.web.PageController;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * An organizer's dashboard of one event: sold, held and available per category as a chart
 * that htmx refreshes, and the event's bookings.
 */
@PageController
class OrganizerPages {

	private final EventService events;

	private final BookingService bookings;

	OrganizerPages(EventService events, BookingService bookings) {
		this.events = events;
		this.bookings = bookings;
	}

	@GetMapping("/organizer/events/{eventId}")
	String dashboard(Caller caller, @PathVariable String eventId, Model model) {
		UUID id = Ids.parse(eventId, "Event");
		live(caller, id, model);
		return "booking/dashboard";
	}

	/** The chart and the bookings, for htmx to swap in. */
	@GetMapping("/organizer/events/{eventId}/counts")
	String chart(Caller caller, @PathVariable String eventId, Model model) {
		live(caller, Ids.parse(eventId, "Event"), model);
		return "booking/dashboard :: counts";
	}

	private void live(Caller caller, UUID eventId, Model model) {
		this.events.getOwn(caller.id(), eventId);
		EventWithCounts found = this.events.view(eventId);
		model.addAttribute("event", found.event());
		model.addAttribute("bars",
				found.event().categories().stream().map(category -> Bar.of(category, found.counts(category))).toList());
		model.addAttribute("bookings",
				this.bookings.ofEvent(caller.id(), eventId, new PageQuery(0, PageQuery.MAX_SIZE)));
	}

	/**
	 * One category's bar: sold, held and available as shares of the chart's width (in per
	 * mille), with the counts written beside it.
	 */
	record Bar(String code, String name, int capacity, int sold, int held, int available, int soldWidth, int heldWidth,
			int availableWidth) {

		static final int WIDTH = 1000;

		static Bar of(Category category, Counts counts) {
			int capacity = Math.max(counts.capacity(), 1);
			int sold = (int) ((long) counts.sold() * WIDTH / capacity);
			int held = (int) ((long) counts.held() * WIDTH / capacity);
			return new Bar(category.code(), category.name(), counts.capacity(), counts.sold(), counts.held(),
					counts.available(), sold, held, WIDTH - sold - held);
		}

	}

}
