package io.boxoffice.booking.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.boxoffice.event.Event;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code maxTicketsPerCustomer}: a customer's held plus booked tickets for an event, kept
 * in one row per customer and event. The guarded upsert serialises one customer's
 * concurrent requests on that row, and the row's CHECK refuses a tally past the limit.
 */
@Component
public class CustomerLimits {

	private final JdbcClient jdbc;

	CustomerLimits(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Counts {@code tickets} more for the customer, or refuses, counting nothing, if that
	 * would pass the event's limit.
	 */
	public void take(Event event, UUID customerId, int tickets) {
		Integer max = event.maxTicketsPerCustomer();
		if (max == null) {
			return;
		}
		boolean counted = tickets <= max && this.jdbc.sql("""
				INSERT INTO customer_tally AS t (event_id, customer_id, tickets, max_tickets)
				VALUES (:eventId, :customerId, :tickets, :max)
				ON CONFLICT (event_id, customer_id)
				DO UPDATE SET tickets = t.tickets + excluded.tickets
				        WHERE t.tickets + excluded.tickets <= t.max_tickets
				""")
			.param("eventId", event.id())
			.param("customerId", customerId)
			.param("tickets", tickets)
			.param("max", max)
			.update() == 1;
		if (!counted) {
			throw limitExceeded(event);
		}
	}

	/**
	 * For a group commit: locks the tallies of these customers for a limited event,
	 * creating the missing ones at zero, in the database's order of customer ids (the
	 * order every batch keeps, whatever instance it runs on). Until the transaction ends
	 * nobody else counts tickets for them, so the caller may decide from these figures
	 * and {@link #addAll add} what it granted.
	 * @return each customer's tally
	 */
	public Map<UUID, Tally> lockAll(Event event, Collection<UUID> customers) {
		Map<UUID, Tally> tallies = new HashMap<>();
		this.jdbc.sql("""
				INSERT INTO customer_tally AS t (event_id, customer_id, tickets, max_tickets)
				SELECT :eventId, c, 0, :max FROM unnest(CAST(:customers AS uuid[])) AS c ORDER BY c
				ON CONFLICT (event_id, customer_id) DO UPDATE SET tickets = t.tickets
				RETURNING customer_id, tickets, max_tickets
				""")
			.param("eventId", event.id())
			.param("max", Objects.requireNonNull(event.maxTicketsPerCustomer()))
			.param("customers", customers.stream().distinct().toArray(UUID[]::new))
			.query(rs -> {
				tallies.put(rs.getObject("customer_id", UUID.class),
						new Tally(rs.getInt("tickets"), rs.getInt("max_tickets")));
			});
		return tallies;
	}

	/** Counts more tickets for customers whose tallies {@link #lockAll} locked. */
	public void addAll(UUID eventId, Map<UUID, Integer> tickets) {
		if (tickets.isEmpty()) {
			return;
		}
		this.jdbc.sql("""
				UPDATE customer_tally AS t SET tickets = t.tickets + a.tickets
				  FROM unnest(CAST(:customers AS uuid[]), CAST(:tickets AS int[])) AS a (customer_id, tickets)
				 WHERE t.event_id = :eventId AND t.customer_id = a.customer_id
				""")
			.param("eventId", eventId)
			.param("customers", tickets.keySet().toArray(UUID[]::new))
			.param("tickets", tickets.values().toArray(Integer[]::new))
			.update();
	}

	/**
	 * Makes sure the customer has a tally row for a limited event (at zero tickets if
	 * new), so that a later {@link #takeIfFree} never has to insert one.
	 */
	public void ensure(Event event, UUID customerId) {
		Integer max = event.maxTicketsPerCustomer();
		if (max == null) {
			return;
		}
		this.jdbc.sql("""
				INSERT INTO customer_tally (event_id, customer_id, tickets, max_tickets)
				VALUES (:eventId, :customerId, 0, :max)
				ON CONFLICT (event_id, customer_id) DO NOTHING
				""").param("eventId", event.id()).param("customerId", customerId).param("max", max).update();
	}

	/** The customer's held plus booked tickets for the event (0 if none). */
	public int tickets(UUID eventId, UUID customerId) {
		return this.jdbc.sql("""
				SELECT coalesce((SELECT tickets FROM customer_tally
				                  WHERE event_id = :eventId AND customer_id = :customerId), 0)
				""").param("eventId", eventId).param("customerId", customerId).query(Integer.class).single();
	}

	/** What {@link #takeIfFree} did. */
	public enum Take {

		/** Counted (or the event has no limit). */
		TAKEN,
		/** Refused: the tickets would pass the limit. */
		OVER_LIMIT,
		/**
		 * Not decided: another transaction has the tally locked (or it has no row), and
		 * the caller holds inventory locks, so it must not wait for it.
		 */
		BUSY

	}

	/**
	 * Counts {@code tickets} more for the customer without waiting for any lock: for a
	 * transaction that already holds pool or seat locks (an offer to the waiting list),
	 * which would break the lock order by waiting for a tally.
	 */
	public Take takeIfFree(Event event, UUID customerId, int tickets) {
		if (event.maxTicketsPerCustomer() == null) {
			return Take.TAKEN;
		}
		Tally tally = this.jdbc.sql("""
				SELECT tickets, max_tickets FROM customer_tally
				 WHERE event_id = :eventId AND customer_id = :customerId
				   FOR UPDATE SKIP LOCKED
				""")
			.param("eventId", event.id())
			.param("customerId", customerId)
			.query((rs, n) -> new Tally(rs.getInt("tickets"), rs.getInt("max_tickets")))
			.optional()
			.orElse(null);
		if (tally == null) {
			return Take.BUSY;
		}
		if (!tally.allows(tickets)) {
			return Take.OVER_LIMIT;
		}
		int counted = this.jdbc.sql("""
				UPDATE customer_tally SET tickets = tickets + :tickets
				 WHERE event_id = :eventId AND customer_id = :customerId
				""").param("tickets", tickets).param("eventId", event.id()).param("customerId", customerId).update();
		if (counted != 1) {
			throw new IllegalStateException("The locked tally of " + customerId + " was not counted");
		}
		return Take.TAKEN;
	}

	/** A customer's held plus booked tickets for an event, and the most allowed. */
	public record Tally(int tickets, int max) {

		public boolean allows(int more) {
			return this.tickets + more <= this.max;
		}

		public Tally plus(int more) {
			return new Tally(this.tickets + more, this.max);
		}

	}

	public static BoxofficeException limitExceeded(Event event) {
		return new BoxofficeException(ErrorCode.LIMIT_EXCEEDED,
				"A customer may hold and book at most " + event.maxTicketsPerCustomer() + " tickets for this event",
				Map.of("maxTicketsPerCustomer", event.maxTicketsPerCustomer()));
	}

	/** Counts {@code tickets} fewer; a no-op for events without a limit. */
	public void give(UUID eventId, UUID customerId, int tickets) {
		this.jdbc.sql("""
				UPDATE customer_tally SET tickets = tickets - :tickets
				 WHERE event_id = :eventId AND customer_id = :customerId
				""").param("tickets", tickets).param("eventId", eventId).param("customerId", customerId).update();
	}

}
