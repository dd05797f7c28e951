package io.boxoffice.booking.consistency;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * General admission: each pool's counters against its rows. {@code held} counts the
 * tickets of every ACTIVE hold, including one past its expiry that the sweeper has not
 * marked yet (the counter keeps those until the hold is expired; the availability query
 * adds them back to available). {@code sold} counts the tickets of CONFIRMED bookings.
 * Then {@code available = capacity - held - sold}, and {@code capacity} is the
 * category's. One statement, so one snapshot.
 */
@Component
class PoolAudit implements InventoryAudit {

	private final JdbcClient jdbc;

	PoolAudit(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Audit audit(@Nullable UUID eventId, Instant now, boolean all) {
		List<Finding> findings = new ArrayList<>();
		int[] checked = { 0 };
		this.jdbc.sql("""
				SELECT p.event_id, c.code, c.capacity AS category_capacity,
				       p.capacity, p.available, p.held, p.sold,
				       coalesce(h.held, 0) AS rows_held, coalesce(h.expired, 0) AS rows_expired,
				       coalesce(b.sold, 0) AS rows_sold
				  FROM pool p
				  JOIN category c ON c.id = p.category_id
				  LEFT JOIN (SELECT i.category_id, sum(i.quantity) AS held,
				                    sum(i.quantity) FILTER (WHERE h.expires_at <= :now) AS expired
				               FROM hold h JOIN hold_item i ON i.hold_id = h.id
				              WHERE h.status = 'ACTIVE' AND (CAST(:eventId AS uuid) IS NULL OR h.event_id = :eventId)
				              GROUP BY i.category_id) h ON h.category_id = p.category_id
				  LEFT JOIN (SELECT i.category_id, sum(i.quantity) AS sold
				               FROM booking b JOIN booking_item i ON i.booking_id = b.id
				              WHERE b.status = 'CONFIRMED' AND (CAST(:eventId AS uuid) IS NULL OR b.event_id = :eventId)
				              GROUP BY i.category_id) b ON b.category_id = p.category_id
				 WHERE CAST(:eventId AS uuid) IS NULL OR p.event_id = :eventId
				 ORDER BY p.event_id, c.position
				""").param("eventId", eventId).param("now", Sql.timestamp(now)).query((rs, n) -> {
			checked[0]++;
			Finding finding = compare(rs.getObject("event_id", UUID.class), rs.getString("code"),
					rs.getInt("category_capacity"),
					new Pool(rs.getInt("capacity"), rs.getInt("available"), rs.getInt("held"), rs.getInt("sold")),
					rs.getInt("rows_held"), rs.getInt("rows_expired"), rs.getInt("rows_sold"));
			if (all || !finding.consistent()) {
				findings.add(finding);
			}
			return null;
		}).list();
		return new Audit(checked[0], findings);
	}

	static Finding compare(UUID eventId, String category, int categoryCapacity, Pool pool, int rowsHeld,
			int rowsExpired, int rowsSold) {
		Map<String, Integer> counters = new LinkedHashMap<>();
		counters.put("capacity", pool.capacity());
		counters.put("available", pool.available());
		counters.put("held", pool.held());
		counters.put("sold", pool.sold());
		Map<String, Integer> rows = new LinkedHashMap<>();
		rows.put("capacity", categoryCapacity);
		rows.put("available", categoryCapacity - rowsHeld - rowsSold);
		rows.put("held", rowsHeld);
		rows.put("sold", rowsSold);
		// what the availability endpoint reports: expired, unswept holds count as
		// available
		rows.put("expiredNotYetSwept", rowsExpired);
		Map<String, Integer> drift = new LinkedHashMap<>();
		List<String> problems = new ArrayList<>();
		for (String counter : List.of("capacity", "available", "held", "sold")) {
			int difference = counters.get(counter) - rows.get(counter);
			if (difference != 0) {
				drift.put(counter, difference);
				problems
					.add(counter + " counter is " + counters.get(counter) + " but the rows say " + rows.get(counter));
			}
			if (counters.get(counter) < 0) {
				problems.add(counter + " counter is negative");
			}
		}
		if (pool.available() + pool.held() + pool.sold() != pool.capacity()) {
			problems.add("available + held + sold = " + (pool.available() + pool.held() + pool.sold())
					+ " but capacity is " + pool.capacity());
		}
		return new Finding("pool", eventId, category, null, problems.isEmpty(), counters, rows, drift, problems);
	}

	record Pool(int capacity, int available, int held, int sold) {
	}

}
