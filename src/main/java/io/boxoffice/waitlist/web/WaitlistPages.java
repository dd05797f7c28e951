package io.boxoffice.waitlist.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.event.EventService;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.Caller;
import io.boxoffice.shared.Ids;
import io.boxoffice.shared.PageQuery;
import io.boxoffice.shared.web.PageController;
import io.boxoffice.shared.web.Sentences;
import io.boxoffice.waitlist.EntryView;
import io.boxoffice.waitlist.WaitlistService;
import org.jspecify.annotations.Nullable;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A customer's waiting list: joining the line of a sold-out category from the event's
 * page, the entries with their places and offers (an offer is a hold, confirmed from its
 * cart), and leaving. A refusal sends the customer back to the event's page with its
 * sentence.
 */
@PageController
class WaitlistPages {

	private static final String WAITLIST = "redirect:/waitlist";

	private final WaitlistService waitlist;

	private final EventService events;

	WaitlistPages(WaitlistService waitlist, EventService events) {
		this.waitlist = waitlist;
		this.events = events;
	}

	@PostMapping("/events/{eventId}/waitlist")
	String join(Caller caller, @PathVariable String eventId, @RequestParam(required = false) @Nullable String category,
			@RequestParam(required = false) @Nullable Integer quantity, RedirectAttributes redirect) {
		UUID event = Ids.parse(eventId, "Event");
		try {
			if (category == null || category.isBlank()) {
				throw BoxofficeException.invalid("category", "is required");
			}
			if (quantity == null) {
				throw BoxofficeException.invalid("quantity", "is required");
			}
			EntryView entry = this.waitlist.join(caller.id(), event, category, quantity);
			redirect.addFlashAttribute("notice", "You are on the waiting list for " + entry.quantity() + " × "
					+ entry.category() + ", number " + entry.position() + " in line.");
			return WAITLIST;
		}
		catch (BoxofficeException ex) {
			redirect.addFlashAttribute("problem", Sentences.of(ex));
			return "redirect:/events/" + event;
		}
	}

	@GetMapping("/waitlist")
	String mine(Caller caller, Model model) {
		entries(caller, model);
		return "waitlist/waitlist";
	}

	/** The entries alone, as the page refreshes them. */
	@GetMapping("/waitlist/entries")
	String entries(Caller caller, Model model) {
		List<EntryView> entries = this.waitlist.mine(caller.id(), new PageQuery(0, PageQuery.MAX_SIZE)).items();
		Map<String, String> names = new HashMap<>();
		for (EntryView entry : entries) {
			names.computeIfAbsent(entry.eventId(), id -> this.events.get(UUID.fromString(id)).name());
		}
		model.addAttribute("entries", entries);
		model.addAttribute("eventNames", names);
		return "waitlist/waitlist :: entries";
	}

	@PostMapping("/waitlist/{entryId}/leave")
	String leave(Caller caller, @PathVariable String entryId, RedirectAttributes redirect) {
		this.waitlist.leave(caller.id(), Ids.parse(entryId, "Waiting-list entry"));
		redirect.addFlashAttribute("notice", "You left the waiting list.");
		return WAITLIST;
	}

}
