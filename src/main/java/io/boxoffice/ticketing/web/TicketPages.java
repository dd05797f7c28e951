package io.boxoffice.ticketing.web;

import java.util.UUID;

import io.boxoffice.event.EventService;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.Caller;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Ids;
import io.boxoffice.shared.web.PageController;
import io.boxoffice.shared.web.Sentences;
import io.boxoffice.ticketing.CheckInService;
import io.boxoffice.ticketing.CheckInService.CheckIn;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The door's check-in page (enter or paste a code: a big ADMITTED or ALREADY CHECKED IN),
 * the check-in count the dashboard shows, and the QR image of a buyer's ticket.
 */
@PageController
class TicketPages {

	private final CheckInService checkIns;

	private final EventService events;

	TicketPages(CheckInService checkIns, EventService events) {
		this.checkIns = checkIns;
		this.events = events;
	}

	@GetMapping("/organizer/events/{eventId}/checkin")
	String door(Caller caller, @PathVariable String eventId, Model model) {
		return door(caller, Ids.parse(eventId, "Event"), null, model);
	}

	@PostMapping("/organizer/events/{eventId}/checkin")
	String scan(Caller caller, @PathVariable String eventId, @RequestParam String code,
			@RequestParam(required = false) @Nullable String gate, Model model, HttpServletResponse response) {
		UUID id = Ids.parse(eventId, "Event");
		String trimmedGate = StringUtils.hasText(gate) ? gate.strip() : null;
		try {
			CheckIn admitted = this.checkIns.checkIn(caller.id(), id, code.strip(), trimmedGate, null);
			model.addAttribute("result", "ADMITTED");
			model.addAttribute("ticket", admitted.view().ticket());
		}
		catch (BoxofficeException ex) {
			if (ex.code() == ErrorCode.NOT_FOUND && !ownEvent(caller, id)) {
				throw ex;
			}
			response.setStatus(ex.code().status().value());
			model.addAttribute("result", (ex.code() == ErrorCode.ALREADY_CHECKED_IN) ? "ALREADY CHECKED IN"
					: (ex.code() == ErrorCode.TICKET_REVOKED) ? "REVOKED" : "NOT ADMITTED");
			model.addAttribute("problem", sentence(ex));
		}
		model.addAttribute("gate", trimmedGate);
		return door(caller, id, code, model);
	}

	/** The check-in count, for the dashboard to load with htmx. */
	@GetMapping("/organizer/events/{eventId}/checkin/count")
	String count(Caller caller, @PathVariable String eventId, Model model) {
		model.addAttribute("counts", this.checkIns.counts(caller.id(), Ids.parse(eventId, "Event")));
		return "ticketing/checkin :: count";
	}

	@GetMapping("/tickets/{code}/qr.png")
	ResponseEntity<byte[]> qr(Caller caller, @PathVariable String code) {
		return ResponseEntity.ok()
			.contentType(MediaType.IMAGE_PNG)
			.cacheControl(CacheControl.noStore())
			.body(QrCodes.png(this.checkIns.codeOf(caller.id(), code)));
	}

	private String door(Caller caller, UUID eventId, @Nullable String code, Model model) {
		model.addAttribute("event", this.events.getOwn(caller.id(), eventId));
		model.addAttribute("counts", this.checkIns.counts(caller.id(), eventId));
		model.addAttribute("code", code);
		return "ticketing/checkin";
	}

	private boolean ownEvent(Caller caller, UUID eventId) {
		try {
			this.events.getOwn(caller.id(), eventId);
			return true;
		}
		catch (BoxofficeException ex) {
			return false;
		}
	}

	private static String sentence(BoxofficeException ex) {
		return switch (ex.code()) {
			case ALREADY_CHECKED_IN -> "This ticket was already checked in" + at(ex) + ". Do not let it in again.";
			case TICKET_REVOKED -> "This ticket was revoked: its booking or its event was cancelled.";
			case NOT_FOUND -> "No ticket of this event has this code.";
			default -> Sentences.of(ex);
		};
	}

	private static String at(BoxofficeException ex) {
		Object when = ex.members().get("checkedInAt");
		Object gate = ex.members().get("gate");
		return ((when != null) ? " at " + when.toString().replace('T', ' ').replace("Z", " UTC") : "")
				+ ((gate != null) ? " at gate " + gate : "");
	}

}
