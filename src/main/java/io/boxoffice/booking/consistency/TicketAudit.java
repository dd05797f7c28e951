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
 * Tickets: every booking has one ticket per admission, all valid (or checked in) while it
 * is CONFIRMED and all revoked once it is CANCELLED. Per event, the valid tickets against
 * the tickets its confirmed bookings sold, and how many bookings are off. One statement,
 * so one snapshot.
 */
@Component
class TicketAudit implements InventoryAudit {

	private final JdbcClient jdbc;

	TicketAudit(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Audit audit(@Nullable UUID eventId, Instant now, boolean all) {
		List<Finding> findings = new ArrayList<>();
		int[] checked = { 0 };
		this.jdbc.sql("""
				WITH per_booking AS (
				    SELECT b.event_id, b.status, b.quantity, count(t.id) AS issued,
				           count(t.id) FILTER (WHERE t.revoked_at IS NULL) AS valid
				      FROM booking b LEFT JOIN ticket t ON t.booking_id = b.id
				     WHERE CAST(:eventId AS uuid) IS NULL OR b.event_id = :eventId
				     GROUP BY b.id
				)
				SELECT event_id, sum(valid) AS valid,
				       sum(CASE WHEN status = 'CONFIRMED' THEN quantity ELSE 0 END) AS sold,
				       count(*) FILTER (WHERE issued <> quantity
				                           OR valid <> CASE WHEN status = 'CONFIRMED' THEN quantity ELSE 0 END) AS off
				  FROM per_booking
				 GROUP BY event_id
				 ORDER BY event_id
				""").param("eventId", eventId).query(rs -> {
			checked[0]++;
			int valid = rs.getInt("valid");
			int sold = rs.getInt("sold");
			int off = rs.getInt("off");
			List<String> problems = new ArrayList<>();
			if (valid != sold) {
				problems.add(valid + " tickets are valid but the confirmed bookings sold " + sold);
			}
			if (off > 0) {
				problems.add(off + " bookings do not have one ticket per admission, valid while confirmed");
			}
			if (all || !problems.isEmpty()) {
				findings.add(new Finding("tickets", rs.getObject("event_id", UUID.class), null, null,
						problems.isEmpty(), Map.of("tickets", valid), Map.of("tickets", sold),
						(valid != sold) ? Map.of("tickets", valid - sold) : Map.of(), problems));
			}
		});
		return new Audit(checked[0], findings);
	}

}
