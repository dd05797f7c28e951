package io.boxoffice.ticketing.web;

import io.boxoffice.shared.Caller;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Ids;
import io.boxoffice.shared.web.Problems;
import io.boxoffice.ticketing.CheckInService;
import io.boxoffice.ticketing.CheckInService.CheckIn;
import io.boxoffice.ticketing.CheckInService.CheckInCounts;
import io.boxoffice.ticketing.CheckInService.CheckInView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import static io.boxoffice.shared.web.Validated.required;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Check-in", description = "The event's organizer scans tickets at the gates and counts who came in")
class CheckInController {

	private final CheckInService checkIns;

	CheckInController(CheckInService checkIns) {
		this.checkIns = checkIns;
	}

	@PostMapping("/events/{eventId}/checkins")
	@Operation(operationId = "checkIn", summary = "Scan a ticket at a gate (the event's ORGANIZER)",
			description = "Exactly one scan of a ticket is ever ADMITTED, however many gates and instances scan it "
					+ "at once; the others get 409 ALREADY_CHECKED_IN with members checkedInAt and gate (null when "
					+ "the admitting scan named none) of the scan that admitted it. A ticket whose booking or event "
					+ "was cancelled is 409 TICKET_REVOKED. No such code in this event, or another organizer's "
					+ "event, is 404. gate is optional, 1 to 64 printable characters. A retry with the "
					+ "Idempotency-Key of the admitting scan answers its 200 again with Idempotent-Replayed: true; "
					+ "every other answer is the same on a retry anyway.")
	@ApiResponse(responseCode = "200", description = "Admitted",
			content = @Content(schema = @Schema(implementation = CheckInView.class)))
	@Problems({ ErrorCode.ALREADY_CHECKED_IN, ErrorCode.TICKET_REVOKED })
	ResponseEntity<CheckInView> checkIn(Caller caller, @PathVariable String eventId,
			@Valid @RequestBody CheckInRequest request,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key) {
		CheckIn checkIn = this.checkIns.checkIn(caller.id(), Ids.parse(eventId, "Event"), required(request.code()),
				request.gate(), key);
		ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
		if (checkIn.replayed()) {
			answer.header("Idempotent-Replayed", "true");
		}
		return answer.body(checkIn.view());
	}

	@GetMapping("/events/{eventId}/checkins")
	@Operation(operationId = "checkInCounts", summary = "Tickets checked in, per gate (the event's ORGANIZER)",
			description = "tickets: the event's tickets that are valid or checked in (not revoked); checkedIn: "
					+ "how many of them are checked in; byGate: those per gate (scans that named no gate count in "
					+ "checkedIn only).")
	CheckInCounts counts(Caller caller, @PathVariable String eventId) {
		return this.checkIns.counts(caller.id(), Ids.parse(eventId, "Event"));
	}

	record CheckInRequest(@NotNull @Size(max = 200) @Nullable String code, @Size(max = 256) @Nullable String gate) {
	}

}
