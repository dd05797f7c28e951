package io.boxoffice.booking;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.boxoffice.booking.inventory.Claimant;
import io.boxoffice.booking.inventory.Inventory;
import io.boxoffice.booking.inventory.SeatRepository;
import io.boxoffice.booking.store.CustomerLimits.Take;
import io.boxoffice.booking.store.CustomerLimits;
import io.boxoffice.booking.store.HoldRepository;
import io.boxoffice.event.Category;
import io.boxoffice.event.Event;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the waiting list needs of the sale: tickets offered as holds inside the
 * transaction that returned them (see {@link TicketsReturned}), and the customer's limit
 * when joining. An offer never waits for a lock: its transaction already holds pool and
 * seat locks, so waiting for a customer's tally or another buyer's seats could deadlock.
 */
@Component
public class Offers {

	private final Inventory inventory;

	private final CustomerLimits limits;

	private final HoldRepository holds;

	private final SeatRepository seats;

	/** A savepoint per offer: a refused offer leaves nothing counted or claimed. */
	private final TransactionTemplate savepoint;

	Offers(Inventory inventory, CustomerLimits limits, HoldRepository holds, SeatRepository seats,
			PlatformTransactionManager transactions) {
		this.inventory = inventory;
		this.limits = limits;
		this.holds = holds;
		this.seats = seats;
		this.savepoint = new TransactionTemplate(transactions);
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
	}

	/** Why an offer was not made. */
	public enum Refusal {

		/** The customer's held and booked tickets would pass the event's limit. */
		OVER_LIMIT,
		/**
		 * The customer's tally is locked by another transaction (the customer is buying
		 * or returning right now): not decided without waiting.
		 */
		BUSY,
		/**
		 * Too few tickets free, or the free seats are locked by buyers in flight.
		 */
		UNAVAILABLE

	}

	/** An offer: the hold made, or why none was. */
	public record Offer(Optional<Hold> hold, Optional<Refusal> refusal) {

		static Offer made(Hold hold) {
			return new Offer(Optional.of(hold), Optional.empty());
		}

		static Offer refused(Refusal refusal) {
			return new Offer(Optional.empty(), Optional.of(refusal));
		}

	}

	/**
	 * Holds {@code quantity} tickets of the category for the customer until the event's
	 * hold time has passed, counted against the customer's limit: general admission from
	 * the pool, a reserved category as the best available seats. Must run inside the
	 * transaction that returned the tickets; never waits for a lock.
	 */
	public Offer offer(Event event, Category category, UUID customerId, int quantity, Instant now) {
		Offer offer = this.savepoint.execute(status -> {
			Take taken = this.limits.takeIfFree(event, customerId, quantity);
			if (taken != Take.TAKEN) {
				status.setRollbackOnly();
				return Offer.refused((taken == Take.OVER_LIMIT) ? Refusal.OVER_LIMIT : Refusal.BUSY);
			}
			UUID holdId = UUID.randomUUID();
			Instant expiresAt = now.plusSeconds(event.holdTtlSeconds());
			Optional<Item> claimed = this.inventory.claimWithoutWaiting(event, category, quantity,
					Claimant.hold(holdId, expiresAt), now);
			if (claimed.isEmpty()) {
				status.setRollbackOnly();
				return Offer.refused(Refusal.UNAVAILABLE);
			}
			List<Item> items = List.of(claimed.get());
			Hold hold = new Hold(holdId, event.id(), customerId, HoldStatus.ACTIVE, expiresAt, items,
					Item.total(event, items), event.currency(), now);
			this.holds.insert(hold);
			return Offer.made(hold);
		});
		if (offer == null) {
			throw new IllegalStateException("An offer's savepoint answered nothing");
		}
		return offer;
	}

	/**
	 * Prepares a waiting-list entry's offers: the customer's tally of a limited event
	 * exists (an offer then finds it without inserting, and waiting for, one), and a
	 * reserved category's lapsed seats go to the line first (see
	 * {@link SeatRepository#waitlisted}).
	 */
	public void prepare(Event event, Category category, UUID customerId) {
		this.limits.ensure(event, customerId);
		if (category.isReserved()) {
			this.seats.waitlisted(category.id());
		}
	}

	/**
	 * Whether {@code quantity} more tickets stay within the customer's limit for the
	 * event, as it stands.
	 */
	public boolean withinLimit(Event event, UUID customerId, int quantity) {
		Integer max = event.maxTicketsPerCustomer();
		return max == null || this.limits.tickets(event.id(), customerId) + quantity <= max;
	}

}
