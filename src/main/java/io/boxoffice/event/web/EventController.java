package io.boxoffice.event.web;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;

import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventInventory.Counts;
import io.boxoffice.event.EventInventory.SeatState;
import io.boxoffice.event.EventService;
import io.boxoffice.event.EventService.EventWithCounts;
import io.boxoffice.event.NewEvent;
import io.boxoffice.event.QueueSettings;
import io.boxoffice.event.SeatRange;
import io.boxoffice.shared.Caller;
import io.boxoffice.shared.Ids;
import io.boxoffice.shared.Money;
import io.boxoffice.shared.PageQuery;
import io.boxoffice.shared.PageQuery.PageResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static io.boxoffice.shared.web.Validated.required;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Events", description = "Organizers publish and cancel events; everyone reads them, "
		+ "their availability and their seats")
class EventController {

	private final EventService events;

	EventController(EventService events) {
		this.events = events;
	}

	@PostMapping("/events")
	@Operation(operationId = "createEvent", summary = "Publish an event (ORGANIZER)",
			description = "Times may lie in the past (an event whose sales window is over is simply closed). "
					+ "All categories of an event share one currency. Seat rows are 1 to 16 letters or digits.")
	@ApiResponse(responseCode = "201", description = "The event, on sale", useReturnTypeSchema = true)
	ResponseEntity<EventView> create(Caller caller, @Valid @RequestBody CreateEventRequest request) {
		Event event = this.events.create(caller.id(), request.toNewEvent());
		return ResponseEntity.created(URI.create("/api/v1/events/" + event.id()))
			.body(EventView.of(this.events.view(event.id())));
	}

	@GetMapping("/events/{eventId}")
	@Operation(operationId = "getEvent", summary = "One event, with the tickets available per category",
			description = "Public. A cancelled event is still found, with status CANCELLED.")
	EventView get(@PathVariable String eventId) {
		return EventView.of(this.events.view(Ids.parse(eventId, "Event")));
	}

	@GetMapping("/events")
	@Operation(operationId = "listEvents", summary = "All events, newest first",
			description = "Public. One page of every organizer's events, cancelled ones included.")
	PageResult<EventView> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		return this.events.list(null, new PageQuery(page, size)).map(EventView::of);
	}

	@GetMapping("/organizer/events")
	@Operation(operationId = "listOwnEvents", summary = "The calling organizer's events, newest first",
			description = "One page of the events the calling organizer published.")
	PageResult<EventView> own(Caller caller, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		return this.events.list(caller.id(), new PageQuery(page, size)).map(EventView::of);
	}

	@GetMapping("/events/{eventId}/availability")
	@Operation(operationId = "getAvailability", summary = "Available, held and sold per category",
			description = "Public. capacity = available + held + sold at every instant; "
					+ "an expired hold counts as available.")
	AvailabilityView availability(@PathVariable String eventId) {
		EventWithCounts found = this.events.view(Ids.parse(eventId, "Event"));
		return new AvailabilityView(found.event().id().toString(),
				found.event()
					.categories()
					.stream()
					.map(category -> CategoryCountsView.of(category, found.counts(category)))
					.toList());
	}

	@GetMapping("/events/{eventId}/seats")
	@Operation(operationId = "getSeats", summary = "Every seat of the event's reserved categories and its status",
			description = "Public. Optionally of one category (?category=; an unknown one is 400). "
					+ "General-admission categories have no seats.")
	SeatsView seats(@PathVariable String eventId,
			@RequestParam(required = false) @Pattern(regexp = "[A-Za-z0-9_-]{1,32}",
					message = "must be a category code") @Nullable String category) {
		return new SeatsView(this.events.seats(Ids.parse(eventId, "Event"), category));
	}

	@PostMapping("/events/{eventId}/cancel")
	@Operation(operationId = "cancelEvent", summary = "Cancel the event (its ORGANIZER)",
			description = "Every active hold and confirmed booking becomes CANCELLED and its tickets return. "
					+ "Cancelling a cancelled event answers the same 200.")
	EventView cancel(Caller caller, @PathVariable String eventId) {
		return EventView.of(this.events.cancel(caller.id(), Ids.parse(eventId, "Event")));
	}

	record CreateEventRequest(@NotBlank @Size(max = 200) @Nullable String name, @Size(max = 200) @Nullable String venue,
			@NotNull @Nullable Instant startsAt, @Nullable Instant salesOpenAt, @Nullable Instant salesCloseAt,
			@Min(10) @Max(3600) @Nullable Integer holdTtlSeconds,
			@Min(1) @Max(10_000_000) @Nullable Integer maxTicketsPerCustomer,
			@NotNull @Size(min = 1, max = 100) @Nullable List<@NotNull @Valid CategoryRequest> categories,
			@Valid @Nullable QueueRequest queue) {

		NewEvent toNewEvent() {
			QueueRequest queue = this.queue;
			return new NewEvent(required(this.name), this.venue, required(this.startsAt), this.salesOpenAt,
					this.salesCloseAt, this.holdTtlSeconds, this.maxTicketsPerCustomer,
					required(this.categories).stream().map(CategoryRequest::toNewCategory).toList(),
					(queue != null) ? queue.toSettings() : null);
		}

	}

	/** Puts the event's sale behind an on-sale queue. */
	record QueueRequest(@NotNull @Min(1) @Max(100_000) @Nullable Integer maxActiveBuyers,
			@Min(10) @Max(3600) @Nullable Integer passTtlSeconds) {

		QueueSettings toSettings() {
			Integer ttl = this.passTtlSeconds;
			return new QueueSettings(required(this.maxActiveBuyers),
					(ttl != null) ? ttl : QueueSettings.DEFAULT_PASS_TTL_SECONDS);
		}

	}

	record CategoryRequest(
			@NotBlank @Size(max = 32) @Pattern(regexp = "[A-Za-z0-9_-]*",
					message = "may hold letters, digits, '_' and '-'") @Nullable String code,
			@NotBlank @Size(max = 100) @Nullable String name,
			@NotNull @Pattern(regexp = "\\d{1,10}(\\.\\d{1,2})?",
					message = "must be a decimal string with at most 2 decimals, e.g. \"25.00\"") @Nullable String price,
			@NotNull @Pattern(regexp = "[A-Z]{3}",
					message = "must be an ISO 4217 code, e.g. EUR") @Nullable String currency,
			@Min(1) @Nullable Integer capacity,
			@Size(max = 10_000) @Nullable List<@NotNull @Valid SeatRangeRequest> seats) {

		NewEvent.NewCategory toNewCategory() {
			return new NewEvent.NewCategory(required(this.code), required(this.name),
					new BigDecimal(required(this.price)), required(this.currency), this.capacity,
					(this.seats != null) ? this.seats.stream().map(SeatRangeRequest::toSeatRange).toList() : null);
		}

	}

	record SeatRangeRequest(
			@NotBlank @Pattern(regexp = "[A-Za-z0-9]{1,16}",
					message = "must be 1 to 16 letters or digits") @Nullable String row,
			@NotNull @Min(1) @Max(100_000) @Nullable Integer from,
			@NotNull @Min(1) @Max(100_000) @Nullable Integer to) {

		SeatRange toSeatRange() {
			return new SeatRange(required(this.row), required(this.from), required(this.to));
		}

	}

	record EventView(String id, String organizerId, String name, @Nullable String venue, Instant startsAt,
			Instant salesOpenAt, Instant salesCloseAt, String status, int holdTtlSeconds,
			@Nullable Integer maxTicketsPerCustomer, @Nullable QueueSettings queue, List<CategoryView> categories) {

		static EventView of(EventWithCounts found) {
			Event event = found.event();
			return new EventView(event.id().toString(), event.organizerId().toString(), event.name(), event.venue(),
					event.startsAt(), event.salesOpenAt(), event.salesCloseAt(), event.status().name(),
					event.holdTtlSeconds(), event.maxTicketsPerCustomer(), event.queue(),
					event.categories()
						.stream()
						.map(category -> CategoryView.of(category, found.counts(category)))
						.toList());
		}

	}

	record CategoryView(String code, String name, String kind, Money price, int capacity, int available) {

		static CategoryView of(Category category, Counts counts) {
			return new CategoryView(category.code(), category.name(), category.kind().name(),
					Money.of(category.price(), category.currency()), category.capacity(), counts.available());
		}

	}

	record AvailabilityView(String eventId, List<CategoryCountsView> categories) {
	}

	record CategoryCountsView(String code, int capacity, int available, int held, int sold) {

		static CategoryCountsView of(Category category, Counts counts) {
			return new CategoryCountsView(category.code(), counts.capacity(), counts.available(), counts.held(),
					counts.sold());
		}

	}

	record SeatsView(List<SeatState> seats) {
	}

}
