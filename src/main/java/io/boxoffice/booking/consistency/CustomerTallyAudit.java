package io.boxoffice.booking.consistency;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code maxTicketsPerCustomer}: each customer's tally against the tickets of their
 * ACTIVE holds (expired or not: the tally keeps them until the hold is expired) and
 * CONFIRMED bookings, for every event with a limit. One statement, so one snapshot.
 */
@Component
class CustomerTallyAudit implements InventoryAudit {

	private final JdbcClient jdbc;

	CustomerTallyAudit(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Audit audit(@Nullable UUID eventId, Instant now, boolean all) {
		List<Finding> findings = new ArrayList<>();
		int[] checked = { 0 };
		this.jdbc
			.sql("""
					WITH taken AS (
					    SELECT event_id, customer_id, quantity FROM hold
					     WHERE status = 'ACTIVE' AND (CAST(:eventId AS uuid) IS NULL OR event_id = :eventId)
					    UNION ALL
					    SELECT event_id, customer_id, quantity FROM booking
					     WHERE status = 'CONFIRMED' AND (CAST(:eventId AS uuid) IS NULL OR event_id = :eventId)
					), per_customer AS (
					    SELECT t.event_id, t.customer_id, sum(t.quantity) AS tickets
					      FROM taken t JOIN event e ON e.id = t.event_id
					     WHERE e.max_tickets_per_customer IS NOT NULL
					     GROUP BY t.event_id, t.customer_id
					)
					SELECT coalesce(c.event_id, r.event_id) AS event_id, coalesce(c.customer_id, r.customer_id) AS customer_id,
					       coalesce(c.tickets, 0) AS counter, coalesce(r.tickets, 0) AS from_rows, c.max_tickets
					  FROM (SELECT * FROM customer_tally WHERE CAST(:eventId AS uuid) IS NULL OR event_id = :eventId) c
					  FULL JOIN per_customer r ON r.event_id = c.event_id AND r.customer_id = c.customer_id
					 ORDER BY 1, 2
					""")
			.param("eventId", eventId)
			.query(rs -> {
				checked[0]++;
				int counter = rs.getInt("counter");
				int fromRows = rs.getInt("from_rows");
				Integer max = rs.getObject("max_tickets", Integer.class);
				List<String> problems = new ArrayList<>();
				if (counter != fromRows) {
					problems.add("tally is " + counter + " but the rows say " + fromRows);
				}
				if (max != null && fromRows > max) {
					problems.add("the rows hold and book " + fromRows + " tickets, more than the limit " + max);
				}
				if (all || !problems.isEmpty()) {
					findings.add(new Finding("customer-tally", rs.getObject("event_id", UUID.class), null,
							rs.getObject("customer_id", UUID.class), problems.isEmpty(), Map.of("tickets", counter),
							Map.of("tickets", fromRows),
							(counter != fromRows) ? Map.of("tickets", counter - fromRows) : Map.of(), problems));
				}
			});
		return new Audit(checked[0], findings);
	}

}
