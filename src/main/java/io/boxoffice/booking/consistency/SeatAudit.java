package io.boxoffice.booking.consistency;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reserved seating, per category: the seats claimed (sold: by a booking; held: by a hold
 * not yet expired) against the tickets of CONFIRMED bookings and unexpired ACTIVE holds,
 * and no active claim left behind by a hold or booking that has ended. One statement, so
 * one snapshot. (A seat in two active claims cannot exist: a unique index refuses it.)
 */
@Component
class SeatAudit implements InventoryAudit {

	private final JdbcClient jdbc;

	SeatAudit(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Audit audit(@Nullable UUID eventId, Instant now, boolean all) {
		List<Finding> findings = new ArrayList<>();
		int[] checked = { 0 };
		this.jdbc.sql("""
				WITH cats AS (
				    SELECT id, event_id, code FROM category
				     WHERE kind = 'RESERVED' AND (CAST(:eventId AS uuid) IS NULL OR event_id = :eventId)
				), claims AS (
				    SELECT s.category_id,
				           count(*) FILTER (WHERE c.booking_id IS NOT NULL) AS sold,
				           count(*) FILTER (WHERE c.booking_id IS NULL AND c.expires_at > :now) AS held,
				           count(*) FILTER (WHERE (c.booking_id IS NOT NULL AND b.status <> 'CONFIRMED')
				                               OR (c.booking_id IS NULL AND h.status <> 'ACTIVE')) AS stray
				      FROM seat_claim c
				      JOIN seat s ON s.id = c.seat_id
				      LEFT JOIN hold h ON h.id = c.hold_id
				      LEFT JOIN booking b ON b.id = c.booking_id
				     WHERE c.active AND s.category_id IN (SELECT id FROM cats)
				     GROUP BY s.category_id
				), sold_rows AS (
				    SELECT i.category_id, sum(i.quantity) AS sold
				      FROM booking_item i JOIN booking b ON b.id = i.booking_id
				     WHERE b.status = 'CONFIRMED' AND i.category_id IN (SELECT id FROM cats)
				     GROUP BY i.category_id
				), held_rows AS (
				    SELECT i.category_id, sum(i.quantity) AS held
				      FROM hold_item i JOIN hold h ON h.id = i.hold_id
				     WHERE h.status = 'ACTIVE' AND h.expires_at > :now AND i.category_id IN (SELECT id FROM cats)
				     GROUP BY i.category_id
				)
				SELECT cats.event_id, cats.code,
				       coalesce(claims.sold, 0) AS claimed_sold, coalesce(claims.held, 0) AS claimed_held,
				       coalesce(claims.stray, 0) AS stray,
				       coalesce(sold_rows.sold, 0) AS rows_sold, coalesce(held_rows.held, 0) AS rows_held
				  FROM cats
				  LEFT JOIN claims ON claims.category_id = cats.id
				  LEFT JOIN sold_rows ON sold_rows.category_id = cats.id
				  LEFT JOIN held_rows ON held_rows.category_id = cats.id
				 ORDER BY cats.event_id, cats.code
				""").param("eventId", eventId).param("now", Sql.timestamp(now)).query(rs -> {
			checked[0]++;
			int claimedSold = rs.getInt("claimed_sold");
			int claimedHeld = rs.getInt("claimed_held");
			int rowsSold = rs.getInt("rows_sold");
			int rowsHeld = rs.getInt("rows_held");
			Map<String, Integer> claimed = Map.of("sold", claimedSold, "held", claimedHeld);
			Map<String, Integer> rows = Map.of("sold", rowsSold, "held", rowsHeld);
			Map<String, Integer> drift = new java.util.TreeMap<>();
			if (claimedSold != rowsSold) {
				drift.put("sold", claimedSold - rowsSold);
			}
			if (claimedHeld != rowsHeld) {
				drift.put("held", claimedHeld - rowsHeld);
			}
			List<String> problems = new ArrayList<>();
			drift.forEach((counter, difference) -> problems
				.add(counter + " seats claimed differ from the rows by " + difference));
			int stray = rs.getInt("stray");
			if (stray > 0) {
				problems.add(stray + " seats are still claimed by holds or bookings that have ended");
			}
			if (all || !problems.isEmpty()) {
				findings.add(new Finding("seats", rs.getObject("event_id", UUID.class), rs.getString("code"), null,
						problems.isEmpty(), claimed, rows, drift, problems));
			}
		});
		return new Audit(checked[0], findings);
	}

}
