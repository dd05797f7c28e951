package io.boxoffice.queue.web;

import java.net.URI;
import java.util.UUID;

import io.boxoffice.queue.PlaceView;
import io.boxoffice.queue.QueueService;
import io.boxoffice.queue.QueueService.Counts;
import io.boxoffice.queue.QueueService.Joined;
import io.boxoffice.queue.QueueStreams;
import io.boxoffice.shared.Caller;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Ids;
import io.boxoffice.shared.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@RequestMapping("/api/v1/events/{eventId}/queue")
@Tag(name = "On-sale queue", description = "Buyers of an event with a queue join it, are admitted a few at a time "
		+ "in a fair order, and buy while their pass lasts")
class QueueController {

	private final QueueService queue;

	private final QueueStreams streams;

	QueueController(QueueService queue, QueueStreams streams) {
		this.queue = queue;
		this.streams = streams;
	}

	@PostMapping
	@Operation(operationId = "joinQueue", summary = "Join the event's queue (CUSTOMER)",
			description = "201 with a new place; joining again answers the same place with 200. Those who join "
					+ "before salesOpenAt are put in a random order among themselves when sales open (position is "
					+ "null until then); later joiners queue behind them in order of joining. When nothing is left "
					+ "to sell a new place is CLOSED at once. An event without a queue is 404.")
	@ApiResponse(responseCode = "201", description = "A new place",
			content = @Content(schema = @Schema(implementation = PlaceView.class)))
	@ApiResponse(responseCode = "200", description = "The place the caller already had",
			content = @Content(schema = @Schema(implementation = PlaceView.class)))
	@Problems({ ErrorCode.SALES_CLOSED, ErrorCode.EVENT_CANCELLED })
	ResponseEntity<PlaceView> join(Caller caller, @PathVariable String eventId) {
		UUID id = Ids.parse(eventId, "Event");
		Joined joined = this.queue.join(id, caller.id());
		if (!joined.created()) {
			return ResponseEntity.ok(joined.place());
		}
		return ResponseEntity.created(URI.create("/api/v1/events/" + id + "/queue/me")).body(joined.place());
	}

	@GetMapping("/me")
	@Operation(operationId = "getQueuePlace", summary = "The caller's place in the event's queue",
			description = "404 if the caller never joined. position 1 is the next to be admitted; a pass past "
					+ "passExpiresAt reads EXPIRED at once.")
	PlaceView me(Caller caller, @PathVariable String eventId) {
		return this.queue.me(Ids.parse(eventId, "Event"), caller.id());
	}

	@DeleteMapping("/me")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "leaveQueue", summary = "Leave the event's queue",
			description = "A waiting buyer leaves the line; an admitted buyer's turn ends and the next in line is "
					+ "admitted. 204 again once left, or when the place has ended otherwise (it stays as it is); "
					+ "404 if the caller never joined.")
	@ApiResponse(responseCode = "204", description = "Left, or no longer in line")
	void leave(Caller caller, @PathVariable String eventId) {
		this.queue.leave(Ids.parse(eventId, "Event"), caller.id());
	}

	@GetMapping
	@Operation(operationId = "getQueue", summary = "The queue's counts",
			description = "Public. Admitted (active), waiting and done buyers, and the cap on admitted buyers.")
	Counts counts(@PathVariable String eventId) {
		return this.queue.counts(Ids.parse(eventId, "Event"));
	}

	@GetMapping(path = "/me/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(operationId = "streamQueuePlace", summary = "The caller's place, as it changes (Server-Sent Events)",
			description = "Event queue: the place (as GET .../queue/me) at once, then again after every change, at "
					+ "most 4 a second, and a comment line every 15 s. A buyer further back than twice maxActiveBuyers "
					+ "whose position alone changed gets it every 5 s at most. 404 if the caller never joined.")
	@ApiResponse(responseCode = "200", description = "A stream of queue events, each the caller's place",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
					schema = @Schema(implementation = PlaceView.class)))
	SseEmitter stream(Caller caller, @PathVariable String eventId) {
		return this.streams.open(Ids.parse(eventId, "Event"), caller.id());
	}

}
