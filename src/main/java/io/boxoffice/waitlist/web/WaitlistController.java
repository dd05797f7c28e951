package io.boxoffice.waitlist.web;

import java.net.URI;

import io.boxoffice.shared.Caller;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Ids;
import io.boxoffice.shared.PageQuery;
import io.boxoffice.shared.PageQuery.PageResult;
import io.boxoffice.shared.web.Problems;
import io.boxoffice.waitlist.EntryView;
import io.boxoffice.waitlist.WaitlistService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import static io.boxoffice.shared.web.Validated.required;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Waiting list", description = "Customers wait in line for a sold-out category; tickets that come back "
		+ "are offered, in order of joining, as holds to each entry they fit")
class WaitlistController {

	private static final String ENTRIES = "/api/v1/waitlist/";

	private final WaitlistService waitlist;

	WaitlistController(WaitlistService waitlist) {
		this.waitlist = waitlist;
	}

	@PostMapping("/events/{eventId}/waitlist")
	@Operation(operationId = "joinWaitlist", summary = "Join the waiting list of a sold-out category (CUSTOMER)",
			description = "Only when the category has fewer than quantity tickets available (else 409 NOT_SOLD_OUT "
					+ "with member available: buy them instead); one open entry (WAITING or OFFERED) per customer and "
					+ "category (else 409 ALREADY_WAITING). A reserved category's offer is the best available seats. "
					+ "Tickets that come back to the category (a booking cancelled, a hold released or expired, an "
					+ "offer lapsed) are offered, in order of joining, to every waiting entry whose quantity fits in "
					+ "what came back: an ACTIVE hold of that quantity for its customer, expiring after the event's "
					+ "holdTtlSeconds (entry OFFERED, with holdId and offerExpiresAt). Confirming the hold makes the "
					+ "entry ACCEPTED; letting it lapse makes it EXPIRED and offers its tickets on; releasing it "
					+ "declines the offer (LEFT) and offers them on. An offer that would pass the customer's "
					+ "maxTicketsPerCustomer is not made: the entry keeps its place and the tickets go to the next "
					+ "entry they fit. 422 LIMIT_EXCEEDED when quantity would pass the limit already at joining.")
	@ApiResponse(responseCode = "201", description = "The entry, WAITING, with its position (1 = next)",
			content = @Content(schema = @Schema(implementation = EntryView.class)))
	@Problems({ ErrorCode.NOT_SOLD_OUT, ErrorCode.ALREADY_WAITING, ErrorCode.SALES_CLOSED, ErrorCode.EVENT_CANCELLED,
			ErrorCode.LIMIT_EXCEEDED })
	ResponseEntity<EntryView> join(Caller caller, @PathVariable String eventId,
			@Valid @RequestBody JoinRequest request) {
		EntryView entry = this.waitlist.join(caller.id(), Ids.parse(eventId, "Event"), required(request.category()),
				required(request.quantity()));
		return ResponseEntity.created(URI.create(ENTRIES + entry.id())).body(entry);
	}

	@GetMapping("/waitlist")
	@Operation(operationId = "listWaitlist", summary = "The calling customer's waiting-list entries, newest first",
			description = "An offer past offerExpiresAt reads EXPIRED at once, whether or not anything has "
					+ "noticed its hold's expiry yet. position is null once an entry no longer waits.")
	PageResult<EntryView> mine(Caller caller, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		return this.waitlist.mine(caller.id(), new PageQuery(page, size));
	}

	@GetMapping("/waitlist/{entryId}")
	@Operation(operationId = "getWaitlistEntry", summary = "One of the caller's waiting-list entries",
			description = "Another customer's entry is 404.")
	EntryView get(Caller caller, @PathVariable String entryId) {
		return this.waitlist.get(caller.id(), Ids.parse(entryId, "Waiting-list entry"));
	}

	@DeleteMapping("/waitlist/{entryId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "leaveWaitlist", summary = "Leave the waiting list",
			description = "An open offer is released (entry LEFT) and its tickets are offered on; an entry that "
					+ "is no longer open (already left, expired or accepted) answers 204 and changes nothing.")
	@ApiResponse(responseCode = "204", description = "Left, or no longer open")
	void leave(Caller caller, @PathVariable String entryId) {
		this.waitlist.leave(caller.id(), Ids.parse(entryId, "Waiting-list entry"));
	}

	record JoinRequest(@NotNull @Size(max = 64) @Nullable String category,
			@NotNull @Min(1) @Max(WaitlistService.MAX_QUANTITY) @Nullable Integer quantity) {
	}

}
