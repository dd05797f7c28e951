package io.boxoffice.event.web;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventInventory.Counts;
import io.boxoffice.event.EventService;
import io.boxoffice.event.EventService.EventWithCounts;
import io.boxoffice.event.NewEvent;
import io.boxoffice.event.NewEvent.NewCategory;
import io.boxoffice.event.QueueSettings;
import io.boxoffice.event.SaleTurns;
import io.boxoffice.event.SaleTurns.Turn;
import io.boxoffice.event.SeatRange;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.Caller;
import io.boxoffice.shared.Ids;
import io.boxoffice.shared.PageQuery;
import io.boxoffice.shared.Role;
import io.boxoffice.shared.SignedIn;
import io.boxoffice.shared.web.PageController;
import io.boxoffice.shared.web.Sentences;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.ui.Model;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The events on sale, an event's page (prices, live availability, the seat map), and the
 * organizer's own events: list, create, cancel.
 */
@PageController
class EventPages {

	private static final int CATEGORY_FORMS = 3;

	private static final Pattern ROW_RANGE = Pattern
		.compile("\\s*([^:,\\s]+)\\s*:\\s*(\\d{1,6})\\s*-\\s*(\\d{1,6})\\s*");

	private final EventService events;

	private final ObjectProvider<SaleTurns> turns;

	private final Clock clock;

	EventPages(EventService events, ObjectProvider<SaleTurns> turns, Clock clock) {
		this.events = events;
		this.turns = turns;
		this.clock = clock;
	}

	@GetMapping("/")
	String list(Model model) {
		model.addAttribute("events",
				this.events.list(null, new PageQuery(0, PageQuery.MAX_SIZE)).items().stream().map(Shown::of).toList());
		return "event/list";
	}

	@GetMapping("/events/{eventId}")
	String event(@PathVariable String eventId, Model model) {
		Shown shown = Shown.of(this.events.view(Ids.parse(eventId, "Event")));
		boolean onSale = shown.onSaleAt(this.clock.instant());
		Turn turn = turn(shown.event(), model);
		model.addAttribute("event", shown);
		model.addAttribute("onSale", onSale);
		model.addAttribute("turn", turn);
		// a queued event's tickets are for the buyers the queue has let in
		model.addAttribute("mayBuy", onSale && (shown.event().queue() == null || (turn != null && turn.admitted())));
		return "event/event";
	}

	/** The signed-in customer's place in the event's queue, if it has one. */
	private @Nullable Turn turn(Event event, Model model) {
		SaleTurns found = this.turns.getIfAvailable();
		if (event.queue() == null || found == null || !(model.getAttribute("me") instanceof SignedIn me)
				|| !me.caller().is(Role.CUSTOMER)) {
			return null;
		}
		return found.turn(event.id(), me.caller().id()).orElse(null);
	}

	@GetMapping("/organizer")
	String mine(Caller caller, Model model) {
		model.addAttribute("events",
				this.events.list(caller.id(), new PageQuery(0, PageQuery.MAX_SIZE))
					.items()
					.stream()
					.map(Shown::of)
					.toList());
		return "event/organizer";
	}

	@GetMapping("/organizer/events/new")
	String createForm(Model model) {
		model.addAttribute("form", EventForm.empty(CATEGORY_FORMS));
		return "event/new";
	}

	@PostMapping("/organizer/events")
	String create(Caller caller, EventForm form, Model model, HttpServletResponse response) {
		try {
			Event created = this.events.create(caller.id(), form.toNewEvent());
			return "redirect:/organizer/events/" + created.id();
		}
		catch (BoxofficeException ex) {
			response.setStatus(ex.code().status().value());
			model.addAttribute("problem", Sentences.of(ex));
			model.addAttribute("form", form.padded(CATEGORY_FORMS));
			return "event/new";
		}
	}

	@PostMapping("/organizer/events/{eventId}/cancel")
	String cancel(Caller caller, @PathVariable String eventId, RedirectAttributes redirect) {
		this.events.cancel(caller.id(), Ids.parse(eventId, "Event"));
		redirect.addFlashAttribute("notice", "The event is cancelled; every hold and booking of it was cancelled.");
		return "redirect:/organizer/events/" + eventId;
	}

	/** An event as its pages show it. */
	record Shown(Event event, List<ShownCategory> categories, boolean reserved) {

		static Shown of(EventWithCounts found) {
			List<ShownCategory> categories = found.event()
				.categories()
				.stream()
				.map(category -> new ShownCategory(category, found.counts(category)))
				.toList();
			return new Shown(found.event(), categories, categories.stream().anyMatch(c -> c.category().isReserved()));
		}

		boolean onSaleAt(Instant now) {
			return this.event.status().name().equals("ON_SALE") && !now.isBefore(this.event.salesOpenAt())
					&& now.isBefore(this.event.salesCloseAt());
		}

	}

	/** A category with its price text and counts. */
	record ShownCategory(Category category, Counts counts) {

		public String price() {
			return category.price().setScale(2).toPlainString() + " " + category.currency();
		}

	}

	/**
	 * The create-event form: times as UTC date-times; up to three categories, each either
	 * general admission (capacity) or reserved (rows such as {@code A:1-20, B:1-24}).
	 */
	record EventForm(@Nullable String name, @Nullable String venue, @Nullable String startsAt,
			@Nullable String salesOpenAt, @Nullable String salesCloseAt, @Nullable Integer holdTtlSeconds,
			@Nullable Integer maxTicketsPerCustomer, @Nullable Integer maxActiveBuyers,
			@Nullable Integer passTtlSeconds, @Nullable List<CategoryForm> categories) {

		static EventForm empty(int categories) {
			return new EventForm(null, null, null, null, null, 600, null, null, null, List.of()).padded(categories);
		}

		EventForm padded(int size) {
			List<CategoryForm> padded = new ArrayList<>((this.categories != null) ? this.categories : List.of());
			while (padded.size() < size) {
				padded.add(new CategoryForm(null, null, null, "EUR", "GA", null, null));
			}
			return new EventForm(this.name, this.venue, this.startsAt, this.salesOpenAt, this.salesCloseAt,
					this.holdTtlSeconds, this.maxTicketsPerCustomer, this.maxActiveBuyers, this.passTtlSeconds, padded);
		}

		NewEvent toNewEvent() {
			List<NewCategory> made = new ArrayList<>();
			List<CategoryForm> given = (this.categories != null) ? this.categories : List.of();
			for (CategoryForm category : given) {
				if (StringUtils.hasText(category.code())) {
					made.add(category.toNewCategory());
				}
			}
			if (!StringUtils.hasText(this.name)) {
				throw BoxofficeException.invalid("name", "is required");
			}
			return new NewEvent(this.name.strip(), StringUtils.hasText(this.venue) ? this.venue.strip() : null,
					required("startsAt", this.startsAt), time("salesOpenAt", this.salesOpenAt),
					time("salesCloseAt", this.salesCloseAt), this.holdTtlSeconds, this.maxTicketsPerCustomer, made,
					queue());
		}

		/**
		 * The on-sale queue when the form names how many buyers may buy at once; its pass
		 * lasts ten minutes unless the form says otherwise.
		 */
		private @Nullable QueueSettings queue() {
			if (this.maxActiveBuyers == null) {
				if (this.passTtlSeconds != null) {
					throw BoxofficeException.invalid("maxActiveBuyers", "is required for a queue");
				}
				return null;
			}
			if (this.maxActiveBuyers < 1 || this.maxActiveBuyers > 100_000) {
				throw BoxofficeException.invalid("maxActiveBuyers", "must be between 1 and 100000");
			}
			int ttl = (this.passTtlSeconds != null) ? this.passTtlSeconds : QueueSettings.DEFAULT_PASS_TTL_SECONDS;
			if (ttl < 10 || ttl > 3600) {
				throw BoxofficeException.invalid("passTtlSeconds", "must be between 10 and 3600");
			}
			return new QueueSettings(this.maxActiveBuyers, ttl);
		}

		private static Instant required(String field, @Nullable String value) {
			Instant time = time(field, value);
			if (time == null) {
				throw BoxofficeException.invalid(field, "is required");
			}
			return time;
		}

		private static @Nullable Instant time(String field, @Nullable String value) {
			if (!StringUtils.hasText(value)) {
				return null;
			}
			try {
				return LocalDateTime.parse(value.strip()).toInstant(ZoneOffset.UTC);
			}
			catch (DateTimeParseException ex) {
				throw BoxofficeException.invalid(field, "must be a date and time");
			}
		}

	}

	/** One category of the create-event form. */
	record CategoryForm(@Nullable String code, @Nullable String name, @Nullable String price, @Nullable String currency,
			@Nullable String kind, @Nullable Integer capacity, @Nullable String rows) {

		NewCategory toNewCategory() {
			String code = (this.code != null) ? this.code.strip() : "";
			String label = StringUtils.hasText(this.name) ? this.name.strip() : code;
			BigDecimal amount;
			try {
				amount = new BigDecimal((this.price != null) ? this.price.strip() : "");
			}
			catch (NumberFormatException ex) {
				throw BoxofficeException.invalid("price of " + code, "must be an amount such as 25.00");
			}
			String currencyCode = StringUtils.hasText(this.currency) ? this.currency.strip() : "EUR";
			if ("RESERVED".equals(this.kind)) {
				return new NewCategory(code, label, amount, currencyCode, null, seatRows(code));
			}
			if (this.capacity == null) {
				throw BoxofficeException.invalid("capacity of " + code, "is required for general admission");
			}
			return new NewCategory(code, label, amount, currencyCode, this.capacity, null);
		}

		private List<SeatRange> seatRows(String code) {
			List<SeatRange> ranges = new ArrayList<>();
			String text = (this.rows != null) ? this.rows : "";
			for (String part : text.split("[,;\\n]")) {
				if (part.isBlank()) {
					continue;
				}
				Matcher matcher = ROW_RANGE.matcher(part);
				if (!matcher.matches()) {
					throw BoxofficeException.invalid("rows of " + code,
							"must be rows such as A:1-20, B:1-24 (row, colon, first and last seat)");
				}
				ranges.add(new SeatRange(matcher.group(1), Integer.parseInt(matcher.group(2)),
						Integer.parseInt(matcher.group(3))));
			}
			if (ranges.isEmpty()) {
				throw BoxofficeException.invalid("rows of " + code, "are required for reserved seating");
			}
			return ranges;
		}

	}

}
