package io.boxoffice.queue.web;

import java.util.UUID;

import io.boxoffice.event.EventService;
import io.boxoffice.queue.PlaceView;
import io.boxoffice.queue.QueueService;
import io.boxoffice.queue.QueueStatus;
import io.boxoffice.queue.QueueStreams;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.Caller;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Ids;
import io.boxoffice.shared.web.PageController;
import io.boxoffice.shared.web.Sentences;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A buyer's place in a queued event's queue: joining from the event's page, the place
 * with the people ahead and the expected wait, kept current from the buyer's stream of
 * places (read with the page's session), and leaving. An admitted buyer is sent on to the
 * event's page to buy.
 */
@PageController
class QueuePages {

	private static final String EVENT = "redirect:/events/";

	private final QueueService queue;

	private final QueueStreams streams;

	private final EventService events;

	QueuePages(QueueService queue, QueueStreams streams, EventService events) {
		this.queue = queue;
		this.streams = streams;
		this.events = events;
	}

	@PostMapping("/events/{eventId}/queue")
	String join(Caller caller, @PathVariable String eventId, RedirectAttributes redirect) {
		UUID event = Ids.parse(eventId, "Event");
		try {
			PlaceView place = this.queue.join(event, caller.id()).place();
			if (place.status() == QueueStatus.ADMITTED) {
				return EVENT + event;
			}
			return EVENT + event + "/queue";
		}
		catch (BoxofficeException ex) {
			redirect.addFlashAttribute("problem", Sentences.of(ex));
			return EVENT + event;
		}
	}

	@GetMapping("/events/{eventId}/queue")
	String place(Caller caller, @PathVariable String eventId, Model model, RedirectAttributes redirect) {
		UUID event = Ids.parse(eventId, "Event");
		PlaceView place;
		try {
			place = this.queue.me(event, caller.id());
		}
		catch (BoxofficeException ex) {
			if (ex.code() != ErrorCode.NOT_FOUND) {
				throw ex;
			}
			redirect.addFlashAttribute("notice", "You are not in the queue for this event.");
			return EVENT + event;
		}
		model.addAttribute("event", this.events.get(event));
		model.addAttribute("place", place);
		model.addAttribute("said", Said.of(place));
		return "queue/queue";
	}

	/**
	 * The buyer's place as it changes, for the queue page: the stream of the API, on the
	 * page's session instead of a bearer token.
	 */
	@GetMapping(path = "/events/{eventId}/queue/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	ResponseEntity<SseEmitter> stream(Caller caller, @PathVariable String eventId) {
		return ResponseEntity.ok()
			.header("X-Accel-Buffering", "no")
			.body(this.streams.open(Ids.parse(eventId, "Event"), caller.id()));
	}

	@PostMapping("/events/{eventId}/queue/leave")
	String leave(Caller caller, @PathVariable String eventId, RedirectAttributes redirect) {
		UUID event = Ids.parse(eventId, "Event");
		this.queue.leave(event, caller.id());
		redirect.addFlashAttribute("notice", "You left the queue.");
		return EVENT + event;
	}

	/**
	 * A place in words, as queue.js also says it when the place changes: where the buyer
	 * stands, how many are ahead, how long the wait may be (empty when not known).
	 */
	record Said(String status, String ahead, String waiting) {

		static Said of(PlaceView place) {
			Long position = place.position();
			return switch (place.status()) {
				case WAITING ->
					(position == null) ? new Said("You are in the queue: you'll get a place when sales open.", "", "")
							: new Said("You are number " + position + " in the queue.", ahead(position - 1),
									waiting(place.estimatedWaitSeconds()));
				case ADMITTED -> new Said("It's your turn: taking you to the event's page.", "", "");
				case DONE -> new Said("Your turn ended with your booking.", "", "");
				case LEFT -> new Said("You left the queue.", "", "");
				case EXPIRED -> new Said("Your turn ran out.", "", "");
				case CLOSED -> new Said("Sold out: nothing is left to sell.", "", "");
			};
		}

		private static String ahead(long ahead) {
			if (ahead == 0) {
				return "Nobody is ahead of you.";
			}
			return (ahead == 1) ? "1 person is ahead of you." : ahead + " people are ahead of you.";
		}

		private static String waiting(@Nullable Long seconds) {
			if (seconds == null) {
				return "";
			}
			if (seconds < 60) {
				return "Expected wait: less than a minute.";
			}
			long minutes = Math.round(seconds / 60.0);
			return "Expected wait: about " + minutes + ((minutes == 1) ? " minute." : " minutes.");
		}

	}

}
