package io.boxoffice.ticketing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.boxoffice.booking.TicketStatus;
import io.boxoffice.booking.Views.TicketView;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The ticket rows as check-in sees them. A check-in is one guarded UPDATE: only a ticket
 * not yet checked in and not revoked is changed, so of any number of scans at once, on
 * any number of instances, the database lets exactly one through; the others wait for its
 * row lock, find the guard false and change nothing.
 */
@Repository
class TicketRepository {

	private final JdbcClient jdbc;

	TicketRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Admits the ticket with this code, of an event of this organizer, if it is neither
	 * checked in nor revoked; keeps the scan's gate, account and Idempotency-Key with it.
	 * @return the admitted ticket, or empty when this scan did not admit it
	 */
	Optional<TicketView> admit(UUID organizerId, UUID eventId, String code, @Nullable String gate, Instant at,
			@Nullable String key) {
		return this.jdbc.sql("""
				UPDATE ticket t
				   SET checked_in_at = :at, gate = :gate, checked_in_by = :organizerId, checkin_key = :key
				  FROM category c, event e
				 WHERE t.code = :code AND t.event_id = :eventId
				   AND t.checked_in_at IS NULL AND t.revoked_at IS NULL
				   AND c.id = t.category_id AND e.id = t.event_id AND e.organizer_id = :organizerId
				RETURNING t.id, t.code, c.code AS category, t.seat
				""")
			.param("at", Sql.timestamp(at))
			.param("gate", gate)
			.param("organizerId", organizerId)
			.param("key", key)
			.param("code", code)
			.param("eventId", eventId)
			.query((rs, n) -> view(rs, TicketStatus.CHECKED_IN))
			.optional();
	}

	/** The ticket with this code, of an event of this organizer. */
	Optional<Scanned> find(UUID organizerId, UUID eventId, String code) {
		return this.jdbc.sql("""
				SELECT t.id, t.code, c.code AS category, t.seat, t.revoked_at, t.checked_in_at, t.gate,
				       t.checked_in_by, t.checkin_key
				  FROM ticket t JOIN category c ON c.id = t.category_id JOIN event e ON e.id = t.event_id
				 WHERE t.code = :code AND t.event_id = :eventId AND e.organizer_id = :organizerId
				""").param("code", code).param("eventId", eventId).param("organizerId", organizerId).query((rs, n) -> {
			Instant checkedInAt = Sql.nullableInstant(rs, "checked_in_at");
			TicketStatus status = (rs.getObject("revoked_at") != null) ? TicketStatus.REVOKED
					: (checkedInAt != null) ? TicketStatus.CHECKED_IN : TicketStatus.VALID;
			return new Scanned(view(rs, status), checkedInAt, rs.getString("gate"),
					rs.getObject("checked_in_by", UUID.class), rs.getString("checkin_key"));
		}).optional();
	}

	/** The code of the ticket this account checked in with this Idempotency-Key. */
	Optional<String> codeCheckedInWith(UUID organizerId, String key) {
		return this.jdbc.sql("""
				SELECT code FROM ticket WHERE checked_in_by = :organizerId AND checkin_key = :key
				""").param("organizerId", organizerId).param("key", key).query(String.class).optional();
	}

	/** The event's tickets that are not revoked, and how many of them are checked in. */
	Counts counts(UUID eventId) {
		return this.jdbc.sql("""
				SELECT count(*) AS tickets, count(checked_in_at) AS checked_in
				  FROM ticket WHERE event_id = :eventId AND revoked_at IS NULL
				""")
			.param("eventId", eventId)
			.query((rs, n) -> new Counts(rs.getLong("tickets"), rs.getLong("checked_in")))
			.single();
	}

	/**
	 * The checked-in tickets (not revoked) of the event by the gate that admitted them.
	 */
	Map<String, Long> checkedInByGate(UUID eventId) {
		Map<String, Long> byGate = new LinkedHashMap<>();
		this.jdbc.sql("""
				SELECT gate, count(*) AS tickets
				  FROM ticket WHERE event_id = :eventId AND revoked_at IS NULL AND gate IS NOT NULL
				 GROUP BY gate ORDER BY gate
				""")
			.param("eventId", eventId)
			.query((rs, n) -> byGate.put(rs.getString("gate"), rs.getLong("tickets")))
			.list();
		return byGate;
	}

	/** The customer of the booking that holds the ticket with this code. */
	Optional<UUID> customerOf(String code) {
		return this.jdbc.sql("""
				SELECT b.customer_id FROM ticket t JOIN booking b ON b.id = t.booking_id WHERE t.code = :code
				""").param("code", code).query(UUID.class).optional();
	}

	private static TicketView view(ResultSet rs, TicketStatus status) throws SQLException {
		return new TicketView(rs.getObject("id", UUID.class).toString(), rs.getString("code"), rs.getString("category"),
				rs.getString("seat"), status.name());
	}

	record Counts(long tickets, long checkedIn) {
	}

	/** A ticket as a scan found it, with the scan that admitted it if one did. */
	record Scanned(TicketView ticket, @Nullable Instant checkedInAt, @Nullable String gate, @Nullable UUID checkedInBy,
			@Nullable String key) {
	}

}
