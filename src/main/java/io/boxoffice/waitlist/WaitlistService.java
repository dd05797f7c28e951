package io.boxoffice.waitlist;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.boxoffice.booking.HoldService;
import io.boxoffice.booking.Offers;
import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventInventory.Counts;
import io.boxoffice.event.EventService;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.PageQuery;
import io.boxoffice.shared.PageQuery.PageResult;
import io.boxoffice.shared.Sql;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Joining the line of a sold-out category, reading one's entries, leaving. */
@Service
public class WaitlistService {

	/** The most tickets one entry waits for. */
	public static final int MAX_QUANTITY = 50;

	private final EntryRepository entries;

	private final EventService events;

	private final Offers offers;

	private final HoldService holds;

	private final TransactionTemplate tx;

	private final WaitlistMetrics metrics;

	private final Clock clock;

	WaitlistService(EntryRepository entries, EventService events, Offers offers, HoldService holds,
			TransactionTemplate tx, WaitlistMetrics metrics, Clock clock) {
		this.entries = entries;
		this.events = events;
		this.offers = offers;
		this.holds = holds;
		this.tx = tx;
		this.metrics = metrics;
		this.clock = clock;
	}

	/**
	 * Joins the line for {@code quantity} tickets of the category, only when fewer than
	 * that are available (else NOT_SOLD_OUT: just buy), once per customer and category at
	 * a time (ALREADY_WAITING), within the customer's limit as it stands.
	 */
	public EntryView join(UUID customerId, UUID eventId, String categoryCode, int quantity) {
		if (quantity < 1 || quantity > MAX_QUANTITY) {
			throw BoxofficeException.invalid("quantity", "must be between 1 and " + MAX_QUANTITY);
		}
		return Objects.requireNonNull(this.tx.execute(status -> {
			Event event = this.events.get(eventId);
			Category category = event.category(categoryCode)
				.orElseThrow(() -> BoxofficeException.invalid("category", "is not a category of this event"));
			Instant now = Sql.now(this.clock);
			event.checkSalesOpen(now);
			if (!this.offers.withinLimit(event, customerId, quantity)) {
				throw new BoxofficeException(ErrorCode.LIMIT_EXCEEDED,
						"A customer may hold and book at most " + event.maxTicketsPerCustomer()
								+ " tickets for this event, waiting-list offers included",
						Map.of("maxTicketsPerCustomer", Objects.requireNonNull(event.maxTicketsPerCustomer())));
			}
			checkSoldOut(eventId, category, quantity);
			this.offers.prepare(event, category, customerId);
			Entry entry = this.entries.insert(eventId, category.id(), category.code(), customerId, quantity, now)
				.orElseThrow(() -> new BoxofficeException(ErrorCode.ALREADY_WAITING,
						"You are already on the waiting list of " + category.code() + " for this event"));
			// tickets returned since the look above went to the line without this entry
			this.entries.lockLineToJoin(category.id());
			checkSoldOut(eventId, category, quantity);
			return EntryView.of(entry, now, this.entries.ahead(entry) + 1);
		}));
	}

	private void checkSoldOut(UUID eventId, Category category, int quantity) {
		Counts counts = this.events.view(eventId).counts(category);
		if (counts.available() >= quantity) {
			throw new BoxofficeException(ErrorCode.NOT_SOLD_OUT,
					counts.available() + " tickets of " + category.code() + " are available: buy them instead",
					Map.of("available", counts.available(), "category", category.code()));
		}
	}

	/** One of the caller's entries; anyone else's is not revealed. */
	public EntryView get(UUID customerId, UUID entryId) {
		return Objects.requireNonNull(this.tx.execute(status -> view(own(customerId, entryId), Sql.now(this.clock))));
	}

	/** The caller's entries, newest first. */
	public PageResult<EntryView> mine(UUID customerId, PageQuery page) {
		return Objects.requireNonNull(this.tx.execute(status -> {
			Instant now = Sql.now(this.clock);
			return page.result(this.entries.pageByCustomer(customerId, page), this.entries.countByCustomer(customerId))
				.map(entry -> view(entry, now));
		}));
	}

	/**
	 * Leaves the line. An open offer is released, and its tickets pass on to the next who
	 * fit; an offer already confirmed stays ACCEPTED; leaving an entry that is no longer
	 * open changes nothing.
	 */
	public void leave(UUID customerId, UUID entryId) {
		Entry entry = Objects.requireNonNull(this.tx.execute(status -> own(customerId, entryId)));
		if (entry.status() == EntryStatus.WAITING
				&& Boolean.TRUE.equals(this.tx.execute(status -> this.entries.leaveWaiting(entryId)))) {
			return;
		}
		// offered meanwhile, or before: the hold's release ends the offer (LEFT) in the
		// transaction that returns its tickets, and offers them on
		Entry now = Objects.requireNonNull(this.tx.execute(status -> own(customerId, entryId)));
		if (now.status() == EntryStatus.OFFERED && now.holdId() != null) {
			try {
				this.holds.release(customerId, now.holdId());
			}
			catch (BoxofficeException ex) {
				if (ex.code() != ErrorCode.HOLD_CONFIRMED) {
					throw ex;
				}
				this.tx.execute(status -> this.entries.accept(Objects.requireNonNull(now.holdId())));
			}
		}
	}

	private Entry own(UUID customerId, UUID entryId) {
		return this.entries.find(entryId)
			.filter(entry -> entry.customerId().equals(customerId))
			.orElseThrow(() -> BoxofficeException.notFound("Waiting-list entry"));
	}

	private EntryView view(Entry entry, Instant now) {
		Entry current = confirmedMeanwhile(entry);
		Long position = (current.statusAt(now) == EntryStatus.WAITING) ? this.entries.ahead(current) + 1 : null;
		return EntryView.of(current, now, position);
	}

	/**
	 * An offer whose hold was confirmed is ACCEPTED. The confirming transaction says so
	 * itself ({@code HoldsConfirmed}); this covers any confirmation path that does not.
	 */
	private Entry confirmedMeanwhile(Entry entry) {
		UUID holdId = entry.holdId();
		if (entry.status() != EntryStatus.OFFERED || holdId == null
				|| !"CONFIRMED".equals(this.holds.get(entry.customerId(), holdId).status())
				|| !this.entries.accept(holdId)) {
			return entry;
		}
		this.metrics.accepted(1);
		return this.entries.find(entry.id()).orElseThrow();
	}

}
