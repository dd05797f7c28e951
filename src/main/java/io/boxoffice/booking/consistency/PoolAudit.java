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
				""").param("eventId", eventId).param("now", Sql.timestamp(now)).query(rs -> {
			checked[0]++;
			Finding finding = compare(rs.getObject("event_id", UUID.class), rs.getString("code"),
					rs.getInt("category_capacity"),
					new Pool(rs.getInt("capacity"), rs.getInt("available"), rs.getInt("held"), rs.getInt("sold")),
					rs.getInt("rows_held"), rs.getInt("rows_expired"), rs.getInt("rows_sold"));
			if (all || !finding.consistent()) {
				findings.add(finding);
			}
		});
		return new Audit(checked[0], findings);
	}

	static Finding compare(UUID eventId, String category, int categoryCapacity, Pool pool, int rowsHeld,
			int rowsExpired, int rowsSold) {
		List<Compared> compared = List.of(new Compared("capacity", pool.capacity(), categoryCapacity),
				new Compared("available", pool.available(), categoryCapacity - rowsHeld - rowsSold),
				new Compared("held", pool.held(), rowsHeld), new Compared("sold", pool.sold(), rowsSold));
		Map<String, Integer> counters = new LinkedHashMap<>();
		Map<String, Integer> rows = new LinkedHashMap<>();
		Map<String, Integer> drift = new LinkedHashMap<>();
		List<String> problems = new ArrayList<>();
		for (Compared one : compared) {
			counters.put(one.counter(), one.value());
			rows.put(one.counter(), one.fromRows());
			int difference = one.value() - one.fromRows();
			if (difference != 0) {
				drift.put(one.counter(), difference);
				problems.add(one.counter() + " counter is " + one.value() + " but the rows say " + one.fromRows());
			}
			if (one.value() < 0) {
				problems.add(one.counter() + " counter is negative");
			}
		}
		// what the availability endpoint reports: expired, unswept holds count as
		// available
		rows.put("expiredNotYetSwept", rowsExpired);
		if (pool.available() + pool.held() + pool.sold() != pool.capacity()) {
			problems.add("available + held + sold = " + (pool.available() + pool.held() + pool.sold())
					+ " but capacity is " + pool.capacity());
		}
		return new Finding("pool", eventId, category, null, problems.isEmpty(), counters, rows, drift, problems);
	}

	record Pool(int capacity, int available, int held, int sold) {
	}

	/** One counter: its value, and what the rows say it should be. */
	private record Compared(String counter, int value, int fromRows) {
	}

}
