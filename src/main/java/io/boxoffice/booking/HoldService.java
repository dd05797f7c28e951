package io.boxoffice.booking;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.booking.Views.BookingView;
import io.boxoffice.booking.Views.HoldView;
import io.boxoffice.booking.Views.Outcome;
import io.boxoffice.booking.engine.Commits;
import io.boxoffice.booking.engine.GroupCommit;
import io.boxoffice.booking.engine.Sales.Key;
import io.boxoffice.booking.engine.Sales;
import io.boxoffice.booking.inventory.Cart;
import io.boxoffice.booking.inventory.Claimant;
import io.boxoffice.booking.inventory.Inventory;
import io.boxoffice.booking.store.BookingRepository;
import io.boxoffice.booking.store.CustomerLimits;
import io.boxoffice.booking.store.HoldRepository;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** A customer's cart: hold, read, release, confirm into a booking. */
@Service
public class HoldService {

	private final Sales sales;

	private final Inventory inventory;

	private final CustomerLimits limits;

	private final HoldRepository holds;

	private final BookingRepository bookings;

	private final Returns returns;

	private final BookingProperties properties;

	private final Clock clock;

	private final TransactionTemplate tx;

	private final Commits commits;

	private final GroupCommit groupCommit;

	private final ApplicationEventPublisher publisher;

	private final Gates gates;

	HoldService(Sales sales, Inventory inventory, CustomerLimits limits, HoldRepository holds,
			BookingRepository bookings, Returns returns, BookingProperties properties, Clock clock,
			TransactionTemplate tx, Commits commits, GroupCommit groupCommit, ApplicationEventPublisher publisher,
			Gates gates) {
		this.gates = gates;
		this.sales = sales;
		this.inventory = inventory;
		this.limits = limits;
		this.holds = holds;
		this.bookings = bookings;
		this.returns = returns;
		this.properties = properties;
		this.clock = clock;
		this.tx = tx;
		this.commits = commits;
		this.groupCommit = groupCommit;
		this.publisher = publisher;
	}

	/** Whether holds and confirmations go through the sale engine (the default). */
	private boolean batched() {
		return this.properties.strategy() == Strategy.BATCHED;
	}

	public Outcome<HoldView> hold(UUID customerId, UUID eventId, List<ItemRequest> items,
			@Nullable String idempotencyKey) {
		this.gates.checkMayBuy(eventId, customerId, idempotencyKey);
		Key key = this.sales.key(idempotencyKey, "hold " + eventId, items);
		return batched() ? this.groupCommit.hold(customerId, eventId, items, key)
				: holdLocked(customerId, eventId, items, key);
	}

	private Outcome<HoldView> holdLocked(UUID customerId, UUID eventId, List<ItemRequest> items, @Nullable Key key) {
		return this.sales.run(eventId, customerId, key, (event, now) -> {
			Cart cart = Cart.of(event, items, this.properties);
			event.checkSalesOpen(now);
			this.limits.take(event, customerId, cart.quantity());
			UUID holdId = UUID.randomUUID();
			Instant expiresAt = now.plusSeconds(event.holdTtlSeconds());
			List<Item> claimed = this.inventory.claim(event, cart, Claimant.hold(holdId, expiresAt), now);
			Hold hold = new Hold(holdId, eventId, customerId, HoldStatus.ACTIVE, expiresAt, claimed,
					Item.total(event, claimed), event.currency(), now);
			this.holds.insert(hold);
			return HoldView.of(hold, now);
		});
	}

	@Transactional(readOnly = true)
	public HoldView get(UUID customerId, UUID holdId) {
		return HoldView.of(own(customerId, this.holds.find(holdId)), Sql.now(this.clock));
	}

	/**
	 * Confirms an active hold into a booking. A hold that expired, even a millisecond
	 * ago, or was released is refused with HOLD_EXPIRED and nothing is booked; confirming
	 * a confirmed hold answers its booking again.
	 */
	public Outcome<BookingView> confirm(UUID customerId, UUID holdId, @Nullable String idempotencyKey) {
		UUID eventId = eventOf(customerId, holdId);
		Key key = this.sales.key(idempotencyKey, "confirm " + holdId, Map.of());
		Outcome<BookingView> outcome = batched() ? this.groupCommit.confirm(customerId, eventId, holdId, key)
				: this.sales.run(eventId, customerId, key, (event, now) -> {
					Hold hold = own(customerId, this.holds.findForUpdate(holdId));
					if (hold.status() == HoldStatus.CONFIRMED) {
						Booking booking = this.bookings.findByHold(holdId).orElseThrow();
						return BookingView.of(booking);
					}
					hold.checkConfirmable(now);
					this.holds.setStatus(List.of(holdId), HoldStatus.CONFIRMED);
					UUID bookingId = UUID.randomUUID();
					this.inventory.confirmHeld(hold, bookingId, now);
					Booking booking = new Booking(bookingId, eventId, customerId, holdId, BookingStatus.CONFIRMED,
							hold.items(), hold.total(), hold.currency(), now, null);
					this.bookings.insert(booking);
					this.publisher.publishEvent(new HoldsConfirmed(eventId, Map.of(holdId, bookingId)));
					return BookingView.of(booking);
				});
		this.gates.bookingConfirmed(eventId, customerId);
		return outcome;
	}

	/**
	 * Releases the hold's tickets at once. Releasing a hold that is no longer active
	 * changes nothing; a confirmed hold is refused (cancel its booking instead).
	 */
	public void release(UUID customerId, UUID holdId) {
		this.commits.execute(this.tx, status -> {
			Hold hold = own(customerId, this.holds.findForUpdate(holdId));
			if (hold.status() == HoldStatus.CONFIRMED) {
				throw new BoxofficeException(ErrorCode.HOLD_CONFIRMED,
						"The hold was confirmed; cancel its booking to return the tickets");
			}
			if (hold.status() == HoldStatus.ACTIVE) {
				Instant now = Sql.now(this.clock);
				HoldStatus ended = (hold.statusAt(now) == HoldStatus.EXPIRED) ? HoldStatus.EXPIRED
						: HoldStatus.RELEASED;
				this.holds.setStatus(List.of(holdId), ended);
				this.returns.heldTickets(List.of(hold), ended);
			}
			return hold;
		});
	}

	/** The event of the customer's hold; NOT_FOUND for a hold that is not theirs. */
	private UUID eventOf(UUID customerId, UUID holdId) {
		return this.holds.eventOf(holdId, customerId).orElseThrow(() -> BoxofficeException.notFound("Hold"));
	}

	private static Hold own(UUID customerId, java.util.Optional<Hold> found) {
		return found.filter(hold -> hold.customerId().equals(customerId))
			.orElseThrow(() -> BoxofficeException.notFound("Hold"));
	}

}
