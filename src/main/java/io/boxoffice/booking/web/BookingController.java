package io.boxoffice.booking.web;

import java.util.List;

import io.boxoffice.booking.BookingService;
import io.boxoffice.booking.HoldService;
import io.boxoffice.booking.ItemRequest;
import io.boxoffice.booking.Views.BookingView;
import io.boxoffice.booking.Views.HoldView;
import io.boxoffice.booking.Views.Outcome;
import io.boxoffice.booking.Views.Replay;
import io.boxoffice.booking.Views.Resource;
import io.boxoffice.shared.Caller;
import io.boxoffice.shared.Ids;
import io.boxoffice.shared.PageQuery.PageResult;
import io.boxoffice.shared.PageQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import static io.boxoffice.shared.web.Validated.required;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Holds and bookings")
class BookingController {

	private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private final BookingService bookings;

	private static final String HOLDS = "/api/v1/holds/";

	private static final String BOOKINGS = "/api/v1/bookings/";

	private final HoldService holds;

	private final JsonMapper json;

	BookingController(BookingService bookings, HoldService holds, JsonMapper json) {
		this.bookings = bookings;
		this.holds = holds;
		this.json = json;
	}

	@PostMapping("/events/{eventId}/holds")
	@Operation(summary = "Hold tickets until the hold expires (CUSTOMER)",
			description = "All items or nothing. An item is category + quantity (a general-admission pool, or the "
					+ "best available seats of a reserved category: front row first, then lowest number, side by side "
					+ "in one row whenever some row has that many adjacent free seats; 409 SOLD_OUT with member "
					+ "available when too few are free) or seats (exactly those: 409 SEATS_UNAVAILABLE with member "
					+ "seats listing every requested seat that is held or sold; an unknown seat is 400). The seats of "
					+ "one item must be of one category (else 400 VALIDATION_FAILED: give one item per category), and "
					+ "a seat may be named once per request. Each item lists its seats in seat-map order. "
					+ "A retry with the same Idempotency-Key and body replays the first "
					+ "201 with Idempotent-Replayed: true; a request that failed left no record and is tried again.")
	ResponseEntity<?> hold(Caller caller, @PathVariable String eventId, @Valid @RequestBody ItemsRequest request,
			@Parameter(
					description = "1..255 printable ASCII characters, scoped to the caller, kept 24 hours") @RequestHeader(
							name = IDEMPOTENCY_KEY, required = false) @Nullable String key) {
		return respond(this.holds.hold(caller.id(), Ids.parse(eventId, "Event"), request.toItems(), key), HOLDS);
	}

	@GetMapping("/holds/{holdId}")
	@Operation(summary = "A hold of the caller's; an expired hold reads EXPIRED at once")
	HoldView getHold(Caller caller, @PathVariable String holdId) {
		return this.holds.get(caller.id(), Ids.parse(holdId, "Hold"));
	}

	@DeleteMapping("/holds/{holdId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Release a hold's tickets",
			description = "204 again for a hold that is already released, expired or cancelled. "
					+ "A confirmed hold answers 409 HOLD_CONFIRMED: cancel its booking instead.")
	void release(Caller caller, @PathVariable String holdId) {
		this.holds.release(caller.id(), Ids.parse(holdId, "Hold"));
	}

	@PostMapping("/holds/{holdId}/confirm")
	@Operation(summary = "Confirm an active hold into a booking",
			description = "410 HOLD_EXPIRED for an expired or released hold: nothing is booked. "
					+ "Confirming a confirmed hold answers its booking again.")
	ResponseEntity<?> confirm(Caller caller, @PathVariable String holdId,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String key) {
		return respond(this.holds.confirm(caller.id(), Ids.parse(holdId, "Hold"), key), BOOKINGS);
	}

	@PostMapping("/events/{eventId}/bookings")
	@Operation(summary = "Book in one step (CUSTOMER): the same body, rules and errors as a hold")
	ResponseEntity<?> book(Caller caller, @PathVariable String eventId, @Valid @RequestBody ItemsRequest request,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String key) {
		return respond(this.bookings.book(caller.id(), Ids.parse(eventId, "Event"), request.toItems(), key), BOOKINGS);
	}

	@GetMapping("/bookings/{bookingId}")
	@Operation(summary = "A booking: its customer or the event's organizer")
	BookingView getBooking(Caller caller, @PathVariable String bookingId) {
		return this.bookings.get(caller, Ids.parse(bookingId, "Booking"));
	}

	@GetMapping("/bookings")
	@Operation(summary = "The calling customer's bookings, newest first")
	PageResult<BookingView> mine(Caller caller, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		return this.bookings.mine(caller.id(), new PageQuery(page, size));
	}

	@GetMapping("/events/{eventId}/bookings")
	@Operation(summary = "The bookings of an event (its ORGANIZER), newest first")
	PageResult<BookingView> ofEvent(Caller caller, @PathVariable String eventId,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
		return this.bookings.ofEvent(caller.id(), Ids.parse(eventId, "Event"), new PageQuery(page, size));
	}

	@PostMapping("/bookings/{bookingId}/cancel")
	@Operation(summary = "Cancel a booking: its customer or the event's organizer",
			description = "The tickets return to available at once. Cancelling again answers the same 200.")
	BookingView cancel(Caller caller, @PathVariable String bookingId) {
		return this.bookings.cancel(caller, Ids.parse(bookingId, "Booking"));
	}

	/**
	 * A created resource, at {@code collection} + its id; a replay as it was stored, at
	 * the id of the body it replays.
	 */
	private ResponseEntity<?> respond(Outcome<? extends Resource> outcome, String collection) {
		if (outcome instanceof Outcome.Replayed<?> replayed) {
			Replay stored = replayed.replay();
			String location = (stored.location() != null) ? stored.location()
					: collection + this.json.readTree(stored.body()).get("id").asString();
			return ResponseEntity.status(stored.status())
				.header("Idempotent-Replayed", "true")
				.header(HttpHeaders.LOCATION, location)
				.contentType(MediaType.APPLICATION_JSON)
				.body(stored.body());
		}
		Resource created = ((Outcome.Created<? extends Resource>) outcome).view();
		return ResponseEntity.status(HttpStatus.CREATED)
			.header(HttpHeaders.LOCATION, collection + created.id())
			.body(created);
	}

	record ItemsRequest(@NotNull @Size(min = 1, max = 100) @Nullable List<@NotNull @Valid ItemEntry> items) {

		List<ItemRequest> toItems() {
			return required(this.items).stream().map(ItemEntry::toItemRequest).toList();
		}

	}

	record ItemEntry(@Size(max = 64) @Nullable String category, @Nullable Integer quantity,
			@Size(max = 100) @Nullable List<@NotNull @Size(max = 40) String> seats) {

		ItemRequest toItemRequest() {
			return new ItemRequest(this.category, this.quantity, this.seats);
		}

	}

}
