package io.boxoffice.waitlist;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.boxoffice.booking.Hold;
import io.boxoffice.booking.HoldsConfirmed;
import io.boxoffice.booking.HoldStatus;
import io.boxoffice.booking.Offers;
import io.boxoffice.booking.Offers.Offer;
import io.boxoffice.booking.TicketsReturned;
import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventService;
import io.boxoffice.event.EventStatus;
import io.boxoffice.shared.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Hands returned tickets to the line, inside the transaction that returned them (a plain
 * listener: same thread, same transaction, before its pool and seat locks are let go):
 * offers that ended with their holds end first, then, per category in id order, each
 * entry still waiting, in order of joining, whose quantity fits in what came back and is
 * not yet offered gets an offer. Entries are locked in that order after the pools and
 * seats, and an offer never waits for a lock (but a join's, below), so returns racing on
 * any number of instances cannot deadlock, offer one ticket twice or one entry twice. A
 * join taking its last look at the category is waited for, and waits for the offers under
 * way (it waits for nothing else while it holds that lock): a return either sees its
 * entry or the join sees the returned tickets.
 */
@Component
class OfferMaker {

	private static final Logger log = LoggerFactory.getLogger(OfferMaker.class);

	/** Candidate entries read, then locked, at a time. */
	private static final int BATCH = 32;

	private final EntryRepository entries;

	private final Offers offers;

	private final EventService events;

	private final WaitlistMetrics metrics;

	private final Clock clock;

	OfferMaker(EntryRepository entries, Offers offers, EventService events, WaitlistMetrics metrics, Clock clock) {
		this.entries = entries;
		this.offers = offers;
		this.events = events;
		this.metrics = metrics;
		this.clock = clock;
	}

	@EventListener
	void ticketsReturned(TicketsReturned returned) {
		endOffers(returned.endedHolds());
		if (returned.eventCancelled()) {
			this.entries.expireOpen(returned.eventId());
			return;
		}
		Event event = this.events.get(returned.eventId());
		Instant now = Sql.now(this.clock);
		if (event.status() == EventStatus.CANCELLED || now.isBefore(event.salesOpenAt())
				|| !now.isBefore(event.salesCloseAt())) {
			// nothing can be bought now, so nothing is offered: the line stays as it is
			return;
		}
		new TreeMap<>(returned.tickets()).forEach((categoryId, tickets) -> event.categories()
			.stream()
			.filter(category -> category.id().equals(categoryId))
			.findFirst()
			.ifPresent(category -> offer(event, category, tickets, now)));
	}

	@EventListener
	void holdsConfirmed(HoldsConfirmed confirmed) {
		this.metrics.accepted(this.entries.accept(confirmed.bookings().keySet()));
	}

	/**
	 * Offers whose hold lapsed end EXPIRED; one released by its customer is declined
	 * (LEFT); one cancelled with its event ends EXPIRED.
	 */
	private void endOffers(Map<UUID, HoldStatus> endedHolds) {
		List<UUID> lapsed = new ArrayList<>();
		List<UUID> declined = new ArrayList<>();
		endedHolds.forEach((holdId, status) -> (status == HoldStatus.RELEASED ? declined : lapsed).add(holdId));
		this.metrics.expired(this.entries.endOffers(lapsed, EntryStatus.EXPIRED));
		this.entries.endOffers(declined, EntryStatus.LEFT);
	}

	/**
	 * Offers up to {@code tickets} tickets of the category to the waiting entries they
	 * fit, in order of joining. An entry whose offer is refused keeps its place: over its
	 * customer's limit, its customer busy in another transaction of the event, or too few
	 * tickets after all (then no later entry needing as many is tried).
	 */
	private void offer(Event event, Category category, int tickets, Instant now) {
		this.entries.lockLineToOffer(category.id());
		int left = tickets;
		long after = 0;
		int made = 0;
		while (left > 0) {
			List<Entry> candidates = this.entries.candidates(category.id(), left, after, BATCH);
			if (candidates.isEmpty()) {
				break;
			}
			after = candidates.get(candidates.size() - 1).seq();
			for (Entry entry : this.entries.lockWaiting(candidates.stream().map(Entry::id).toList())) {
				if (entry.quantity() > left) {
					continue;
				}
				Offer offer = this.offers.offer(event, category, entry.customerId(), entry.quantity(), now);
				if (offer.hold().isPresent()) {
					Hold hold = offer.hold().get();
					this.entries.offer(entry.id(), hold.id(), hold.expiresAt());
					left -= entry.quantity();
					made++;
				}
				else {
					log.debug("No offer to waiting-list entry {}: {}", entry.id(), offer.refusal().orElseThrow());
					if (offer.refusal().orElseThrow() == Offers.Refusal.UNAVAILABLE) {
						left = Math.min(left, entry.quantity() - 1);
					}
				}
				if (left == 0) {
					break;
				}
			}
		}
		this.metrics.made(made);
	}

}
