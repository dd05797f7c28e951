package io.boxoffice.booking.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.booking.BookingService;
import io.boxoffice.booking.HoldService;
import io.boxoffice.booking.ItemRequest;
import io.boxoffice.booking.Views.BookingView;
import io.boxoffice.booking.Views.HoldView;
import io.boxoffice.booking.Views.Outcome;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventService;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.Caller;
import io.boxoffice.shared.Ids;
import io.boxoffice.shared.PageQuery;
import io.boxoffice.shared.web.PageController;
import io.boxoffice.shared.web.Sentences;
import org.jspecify.annotations.Nullable;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A buyer's pages: holding picked or best seats (or general-admission tickets), the cart
 * with its countdown, confirming, the booking, and "my bookings" with cancel. A refusal
 * sends the buyer back to where they were, with its sentence.
 */
@PageController
class ShopPages {

	private static final String PROBLEM = "problem";

	private static final String NOTICE = "notice";

	private final HoldService holds;

	private final BookingService bookings;

	private final EventService events;

	ShopPages(HoldService holds, BookingService bookings, EventService events) {
		this.holds = holds;
		this.bookings = bookings;
		this.events = events;
	}

	@PostMapping("/events/{eventId}/hold")
	String hold(Caller caller, @PathVariable String eventId,
			@RequestParam(required = false) @Nullable List<String> seats,
			@RequestParam(required = false) @Nullable String category,
			@RequestParam(required = false) @Nullable Integer quantity, RedirectAttributes redirect) {
		UUID event = Ids.parse(eventId, "Event");
		List<ItemRequest> items = new ArrayList<>();
		if (seats != null && !seats.isEmpty()) {
			items.add(new ItemRequest(null, null, seats));
		}
		else if (category != null) {
			items.add(new ItemRequest(category, quantity, null));
		}
		try {
			if (items.isEmpty()) {
				throw BoxofficeException.invalid("seats", "pick at least one seat");
			}
			Outcome<HoldView> outcome = this.holds.hold(caller.id(), event, items, null);
			if (outcome instanceof Outcome.Created<HoldView> created) {
				return "redirect:/cart/" + created.view().id();
			}
			return "redirect:/events/" + eventId;
		}
		catch (BoxofficeException ex) {
			redirect.addFlashAttribute(PROBLEM, Sentences.of(ex));
			return "redirect:/events/" + eventId;
		}
	}

	@GetMapping("/cart/{holdId}")
	String cart(Caller caller, @PathVariable String holdId, Model model) {
		HoldView hold = this.holds.get(caller.id(), Ids.parse(holdId, "Hold"));
		model.addAttribute("hold", hold);
		model.addAttribute("event", this.events.get(UUID.fromString(hold.eventId())));
		if ("EXPIRED".equals(hold.status()) && !model.containsAttribute(PROBLEM)) {
			model.addAttribute(PROBLEM, "Your hold has expired and its tickets were released. Please choose again.");
		}
		return "booking/cart";
	}

	@PostMapping("/cart/{holdId}/confirm")
	String confirm(Caller caller, @PathVariable String holdId, RedirectAttributes redirect) {
		try {
			Outcome<BookingView> outcome = this.holds.confirm(caller.id(), Ids.parse(holdId, "Hold"), null);
			if (outcome instanceof Outcome.Created<BookingView> created) {
				redirect.addFlashAttribute(NOTICE, "Booked. Your tickets are below.");
				return "redirect:/bookings/" + created.view().id();
			}
			return "redirect:/bookings";
		}
		catch (BoxofficeException ex) {
			redirect.addFlashAttribute(PROBLEM, Sentences.of(ex));
			return "redirect:/cart/" + holdId;
		}
	}

	@PostMapping("/cart/{holdId}/release")
	String release(Caller caller, @PathVariable String holdId, RedirectAttributes redirect) {
		UUID id = Ids.parse(holdId, "Hold");
		HoldView hold = this.holds.get(caller.id(), id);
		this.holds.release(caller.id(), id);
		redirect.addFlashAttribute(NOTICE, "Your hold is released.");
		return "redirect:/events/" + hold.eventId();
	}

	@GetMapping("/bookings")
	String mine(Caller caller, Model model) {
		List<BookingView> mine = this.bookings.mine(caller.id(), new PageQuery(0, PageQuery.MAX_SIZE)).items();
		model.addAttribute("bookings", mine);
		model.addAttribute("eventNames", names(mine));
		return "booking/bookings";
	}

	@GetMapping("/bookings/{bookingId}")
	String booking(Caller caller, @PathVariable String bookingId, Model model) {
		BookingView booking = this.bookings.get(caller, Ids.parse(bookingId, "Booking"));
		model.addAttribute("booking", booking);
		model.addAttribute("event", this.events.get(UUID.fromString(booking.eventId())));
		return "booking/booking";
	}

	@PostMapping("/bookings/{bookingId}/cancel")
	String cancel(Caller caller, @PathVariable String bookingId, RedirectAttributes redirect) {
		this.bookings.cancel(caller, Ids.parse(bookingId, "Booking"));
		redirect.addFlashAttribute(NOTICE, "The booking is cancelled and its tickets are released.");
		return "redirect:/bookings/" + bookingId;
	}

	private Map<String, String> names(List<BookingView> bookings) {
		Map<String, String> names = new java.util.HashMap<>();
		for (BookingView booking : bookings) {
			names.computeIfAbsent(booking.eventId(), id -> {
				Event event = this.events.get(UUID.fromString(id));
				return event.name();
			});
		}
		return names;
	}

}
