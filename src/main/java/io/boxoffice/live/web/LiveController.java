package io.boxoffice.live.web;

import io.boxoffice.live.LiveUpdates;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Ids;
import io.boxoffice.shared.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Live updates",
		description = "Server-Sent Events streams of an event's availability and seats: the current document at once, "
				+ "then again after every change made through any server (at most 4 a second, within about a second), "
				+ "and a comment line after 15 s of quiet")
class LiveController {

	private static final String STREAM = "A text/event-stream that stays open; browsers read it with EventSource, "
			+ "which reconnects by itself when a stream ends (after 30 minutes, or when a server stops).";

	private final LiveUpdates live;

	LiveController(LiveUpdates live) {
		this.live = live;
	}

	@GetMapping(path = "/events/{eventId}/availability/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(operationId = "streamAvailability", summary = "Availability per category, live",
			description = "Public. SSE events named `availability`, each the document of getAvailability: the first "
					+ "at once, then one after every change. " + STREAM)
	@ApiResponse(responseCode = "200", description = "The stream",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
					schema = @Schema(type = "string", description = "SSE events named availability"),
					examples = @ExampleObject(name = "availability",
							value = "event:availability\ndata:{\"eventId\":\"7d0c52a4-51d2-4cf3-8a0e-2f3b8c1e9a10\","
									+ "\"categories\":[{\"code\":\"GA\",\"capacity\":1000,\"available\":977,"
									+ "\"held\":3,\"sold\":20}]}\n\n")))
	@Problems(ErrorCode.OVERLOADED)
	ResponseEntity<SseEmitter> availability(@PathVariable String eventId) {
		return stream(this.live.availability(Ids.parse(eventId, "Event")));
	}

	@GetMapping(path = "/events/{eventId}/seats/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(operationId = "streamSeats", summary = "Seat statuses, live",
			description = "Public. SSE events named `seats`: the first, at once, lists every seat of the event's "
					+ "reserved categories (of one category with ?category=; an unknown one is 400) with its status; "
					+ "each later one lists only the seats whose status changed. " + STREAM)
	@ApiResponse(responseCode = "200", description = "The stream",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
					schema = @Schema(type = "string", description = "SSE events named seats"),
					examples = @ExampleObject(name = "seats",
							value = "event:seats\ndata:{\"seats\":[{\"label\":\"A-1\",\"status\":\"HELD\"}]}\n\n")))
	@Problems(ErrorCode.OVERLOADED)
	ResponseEntity<SseEmitter> seats(@PathVariable String eventId,
			@RequestParam(required = false) @Pattern(regexp = "[A-Za-z0-9_-]{1,32}",
					message = "must be a category code") @Nullable String category) {
		return stream(this.live.seats(Ids.parse(eventId, "Event"), category));
	}

	/**
	 * Asks a proxy in front not to buffer the stream (nginx honours this header), so
	 * every document goes on as it is written.
	 */
	private static ResponseEntity<SseEmitter> stream(SseEmitter emitter) {
		return ResponseEntity.ok().header("X-Accel-Buffering", "no").body(emitter);
	}

}
