package io.boxoffice.queue;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.boxoffice.event.QueueSettings;
import io.boxoffice.shared.Sql;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The queue's statements, one method each. */
@Repository
class QueueRepository {

	private static final String PLACE_COLUMNS = """
			event_id, customer_id, status, late, place, joined_at, admitted_at, pass_expires_at""";

	/**
	 * The namespace of the queue's admission locks (the first key of the two-key form).
	 */
	private static final int LOCK_NAMESPACE = 0x51554555;

	/** The namespace of the locks that put the joins of an event one after the other. */
	private static final int JOIN_LOCK_NAMESPACE = 0x51554a4e;

	private final JdbcClient jdbc;

	QueueRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Inserts the places of a batch of joins, WAITING or, when the line is closed,
	 * CLOSED; a later joiner's place is its arrival number, given in the order of the
	 * list.
	 * @return the new places; a buyer who has one already gets none
	 */
	List<Place> insertAll(List<Join> joins) {
		return this.jdbc.sql("""
				INSERT INTO queue_place (event_id, customer_id, status, arrival, late, place, joined_at)
				SELECT j.event_id, j.customer_id,
				       CASE WHEN EXISTS (SELECT 1 FROM queue_closure c WHERE c.event_id = j.event_id)
				            THEN 'CLOSED' ELSE 'WAITING' END,
				       j.arrival, j.late, CASE WHEN j.late THEN j.arrival END, j.joined_at
				  FROM (SELECT u.event_id, u.customer_id, u.late, u.joined_at, nextval('queue_arrival_seq') AS arrival
				          FROM unnest(CAST(:events AS uuid[]), CAST(:customers AS uuid[]), CAST(:lates AS boolean[]),
				                      CAST(:joinedAt AS timestamptz[]))
				               WITH ORDINALITY AS u (event_id, customer_id, late, joined_at, n)
				         ORDER BY u.n) j
				ON CONFLICT (event_id, customer_id) DO NOTHING
				RETURNING\s""" + PLACE_COLUMNS)
			.param("events", Sql.array(joins.stream().map(Join::eventId).toList()))
			.param("customers", Sql.array(joins.stream().map(Join::customerId).toList()))
			.param("lates", Sql.array(joins.stream().map(Join::late).toList()))
			.param("joinedAt", Sql.array(joins.stream().map(Join::at).toList()))
			.query(QueueRepository::place)
			.list();
	}

	/** The places of the given buyers of the given events, those who have one. */
	List<Place> findAll(List<Join> joins) {
		return findAll(joins.stream().map(Join::eventId).toList(), joins.stream().map(Join::customerId).toList());
	}

	/**
	 * The places of the buyers of the events given pairwise (the i-th buyer of the i-th
	 * event), those who have one.
	 */
	List<Place> findAll(List<UUID> eventIds, List<UUID> customerIds) {
		return this.jdbc.sql("SELECT " + PLACE_COLUMNS + """
				 FROM queue_place
				 WHERE (event_id, customer_id) IN
				       (SELECT * FROM unnest(CAST(:events AS uuid[]), CAST(:customers AS uuid[])))
				""")
			.param("events", Sql.array(eventIds))
			.param("customers", Sql.array(customerIds))
			.query(QueueRepository::place)
			.list();
	}

	/**
	 * The places of the later joiners waiting between two places (both excluded), in
	 * order: those who joined since the line was last read into memory.
	 */
	List<Long> latePlacesBetween(UUID eventId, long after, long before) {
		return this.jdbc.sql("""
				SELECT place FROM queue_place
				 WHERE event_id = :eventId AND status = 'WAITING' AND late AND place > :after AND place < :before
				 ORDER BY place
				""").param("eventId", eventId).param("after", after).param("before", before).query(Long.class).list();
	}

	Optional<Place> find(UUID eventId, UUID customerId) {
		return this.jdbc
			.sql("SELECT " + PLACE_COLUMNS
					+ " FROM queue_place WHERE event_id = :eventId AND customer_id = :customerId")
			.param("eventId", eventId)
			.param("customerId", customerId)
			.query(QueueRepository::place)
			.optional();
	}

	/** The places of the given buyers, those who have one. */
	List<Place> findAll(UUID eventId, Collection<UUID> customerIds) {
		return this.jdbc
			.sql("SELECT " + PLACE_COLUMNS
					+ " FROM queue_place WHERE event_id = :eventId AND customer_id = ANY(CAST(:customers AS uuid[]))")
			.param("eventId", eventId)
			.param("customers", customerIds.toArray(UUID[]::new))
			.query(QueueRepository::place)
			.list();
	}

	/**
	 * How many wait ahead of the given place in the line: the exact answer, reading the
	 * line up to it.
	 */
	long countAhead(UUID eventId, boolean late, long place) {
		return this.jdbc.sql("""
				SELECT count(*) FROM queue_place
				 WHERE event_id = :eventId AND status = 'WAITING' AND place IS NOT NULL
				   AND (late, place) < (:late, :place)
				""").param("eventId", eventId).param("late", late).param("place", place).query(Long.class).single();
	}

	/**
	 * How many later joiners wait between two places (both excluded): those who joined
	 * since the line was last read into memory, ahead of a newer one.
	 */
	long countLateBetween(UUID eventId, long after, long before) {
		return this.jdbc.sql("""
				SELECT count(*) FROM queue_place
				 WHERE event_id = :eventId AND status = 'WAITING' AND late AND place > :after AND place < :before
				""").param("eventId", eventId).param("after", after).param("before", before).query(Long.class).single();
	}

	/**
	 * The buyer leaves: a waiting buyer, or an admitted one whose pass has not expired.
	 * An admitted buyer's turn ends now.
	 * @return whether the buyer left now, and if a turn ended
	 */
	Optional<Boolean> leave(UUID eventId, UUID customerId, Instant now) {
		return this.jdbc.sql("""
				UPDATE queue_place
				   SET status = 'LEFT', turn_ended_at = CASE WHEN status = 'ADMITTED' THEN :now END
				 WHERE event_id = :eventId AND customer_id = :customerId
				   AND (status = 'WAITING' OR (status = 'ADMITTED' AND pass_expires_at > :now))
				RETURNING turn_ended_at IS NOT NULL AS turn_ended
				""")
			.param("eventId", eventId)
			.param("customerId", customerId)
			.param("now", Sql.timestamp(now))
			.query(Boolean.class)
			.optional();
	}

	/**
	 * The admitted buyers' bookings were confirmed: their turns end, DONE (those whose
	 * passes have not expired).
	 * @return the turns that ended now
	 */
	List<TurnEnd> doneAll(List<TurnEnd> turns) {
		return this.jdbc.sql("""
				UPDATE queue_place q SET status = 'DONE', turn_ended_at = t.at
				  FROM unnest(CAST(:events AS uuid[]), CAST(:customers AS uuid[]), CAST(:at AS timestamptz[]))
				       AS t (event_id, customer_id, at)
				 WHERE q.event_id = t.event_id AND q.customer_id = t.customer_id
				   AND q.status = 'ADMITTED' AND q.pass_expires_at > t.at
				RETURNING q.event_id, q.customer_id, q.turn_ended_at
				""")
			.param("events", Sql.array(turns.stream().map(TurnEnd::eventId).toList()))
			.param("customers", Sql.array(turns.stream().map(TurnEnd::customerId).toList()))
			.param("at", Sql.array(turns.stream().map(TurnEnd::at).toList()))
			.query((rs, n) -> new TurnEnd(rs.getObject("event_id", UUID.class), rs.getObject("customer_id", UUID.class),
					Sql.instant(rs, "turn_ended_at")))
			.list();
	}

	/**
	 * Waits for the events' join locks, held to the end of the transaction: the joins of
	 * an event, from every instance, take their places one transaction after the other,
	 * so that a later place is never seen before an earlier one, and the line is admitted
	 * in the order of its places. Without it a place drawn by one instance's transaction
	 * could commit after a higher one drawn by another's, and be admitted after it. The
	 * locks are taken in the order of their keys, so that two transactions never wait for
	 * each other in a circle.
	 */
	void lockJoins(Collection<UUID> eventIds) {
		eventIds.stream()
			.map(UUID::hashCode)
			.distinct()
			.sorted()
			.forEach(key -> this.jdbc.sql("SELECT pg_advisory_xact_lock(:namespace, :key)")
				.param("namespace", JOIN_LOCK_NAMESPACE)
				.param("key", key)
				.query((rs, row) -> true)
				.single());
	}

	/**
	 * Takes the event's admission lock to the end of the transaction, if no other
	 * transaction (of any instance) holds it.
	 */
	boolean tryLockLine(UUID eventId) {
		return this.jdbc.sql("SELECT pg_try_advisory_xact_lock(:namespace, :key)")
			.param("namespace", LOCK_NAMESPACE)
			.param("key", eventId.hashCode())
			.query(Boolean.class)
			.single();
	}

	/** Passes that expired end their turns, EXPIRED at their expiry. */
	int expirePasses(UUID eventId, Instant now) {
		return this.jdbc.sql("""
				UPDATE queue_place SET status = 'EXPIRED', turn_ended_at = pass_expires_at
				 WHERE event_id = :eventId AND status = 'ADMITTED' AND pass_expires_at <= :now
				""").param("eventId", eventId).param("now", Sql.timestamp(now)).update();
	}

	/** The early joiners still waiting for their place, in order of joining. */
	List<UUID> unplaced(UUID eventId) {
		return this.jdbc.sql("""
				SELECT customer_id FROM queue_place
				 WHERE event_id = :eventId AND status = 'WAITING' AND place IS NULL
				 ORDER BY arrival
				""").param("eventId", eventId).query(UUID.class).list();
	}

	/** The highest place given to an early joiner so far (0 for none). */
	long lastEarlyPlace(UUID eventId) {
		return this.jdbc.sql("SELECT coalesce(max(place), 0) FROM queue_place WHERE event_id = :eventId AND NOT late")
			.param("eventId", eventId)
			.query(Long.class)
			.single();
	}

	/**
	 * Gives the early joiners their places, {@code first}, {@code first + 1}, ... in list
	 * order.
	 */
	int place(UUID eventId, List<UUID> customers, long first) {
		return this.jdbc.sql("""
				UPDATE queue_place q SET place = :first + s.ordinality - 1
				  FROM unnest(CAST(:customers AS uuid[])) WITH ORDINALITY AS s (customer_id, ordinality)
				 WHERE q.event_id = :eventId AND q.customer_id = s.customer_id AND q.place IS NULL AND NOT q.late
				""")
			.param("eventId", eventId)
			.param("customers", customers.toArray(UUID[]::new))
			.param("first", first)
			.update();
	}

	/**
	 * Admits the next buyers in line, as many as the cap leaves room for, counting every
	 * admitted buyer in the database; none while an early joiner still waits for a place.
	 * Run under the event's admission lock ({@link #tryLockLine}), so that two instances
	 * never both fill the same room.
	 * @return the buyers admitted
	 */
	List<Pass> admit(UUID eventId, QueueSettings settings, Instant now) {
		return this.jdbc.sql("""
				WITH room AS (
				    SELECT greatest(0, :maxActive - count(*)) AS free
				      FROM queue_place WHERE event_id = :eventId AND status = 'ADMITTED'
				), next AS (
				    SELECT customer_id, joined_at FROM queue_place
				     WHERE event_id = :eventId AND status = 'WAITING' AND place IS NOT NULL
				       AND NOT EXISTS (SELECT 1 FROM queue_place
				                        WHERE event_id = :eventId AND status = 'WAITING' AND place IS NULL)
				     ORDER BY late, place
				     LIMIT (SELECT free FROM room)
				), step AS (
				    -- one time for every buyer of the step, no earlier than any of them joined (a join
				    -- may have committed after the step read its time)
				    SELECT greatest(:now, max(joined_at)) AS at FROM next
				)
				UPDATE queue_place q
				   SET status = 'ADMITTED', admitted_at = (SELECT at FROM step),
				       pass_expires_at = (SELECT at FROM step) + make_interval(secs => :ttl)
				 WHERE q.event_id = :eventId
				   AND q.customer_id = ANY (ARRAY(SELECT customer_id FROM next))
				   -- the buyers are found by primary key: a plain status = 'WAITING' lets the planner
				   -- scan the whole line through the waiting index instead, as it does while the
				   -- statistics still count the few rows the table had before the line filled
				   AND (q.status = 'WAITING') IS TRUE
				RETURNING q.customer_id, q.admitted_at, q.pass_expires_at
				""")
			.param("eventId", eventId)
			.param("maxActive", settings.maxActiveBuyers())
			.param("now", Sql.timestamp(now))
			.param("ttl", settings.passTtlSeconds())
			.query(QueueRepository::pass)
			.list();
	}

	/** Closes the line: later joiners are CLOSED at once. */
	int markClosed(UUID eventId, Instant now) {
		return this.jdbc.sql("""
				INSERT INTO queue_closure (event_id, closed_at) VALUES (:eventId, :now)
				ON CONFLICT (event_id) DO NOTHING
				""").param("eventId", eventId).param("now", Sql.timestamp(now)).update();
	}

	/** Opens a closed line again (tickets came back): later joiners wait again. */
	int markOpen(UUID eventId) {
		return this.jdbc.sql("DELETE FROM queue_closure WHERE event_id = :eventId").param("eventId", eventId).update();
	}

	/** Everybody still waiting is told CLOSED. */
	int closeWaiting(UUID eventId) {
		return this.jdbc
			.sql("UPDATE queue_place SET status = 'CLOSED' WHERE event_id = :eventId AND status = 'WAITING'")
			.param("eventId", eventId)
			.update();
	}

	/** The waiting buyers with a place, in line order. */
	List<Ranked> waiting(UUID eventId) {
		return this.jdbc.sql("""
				SELECT customer_id, late, place FROM queue_place
				 WHERE event_id = :eventId AND status = 'WAITING' AND place IS NOT NULL
				 ORDER BY late, place
				""")
			.param("eventId", eventId)
			.query((rs, n) -> new Ranked(rs.getObject("customer_id", UUID.class), rs.getBoolean("late"),
					rs.getLong("place")))
			.list();
	}

	/** How many early joiners wait for their place. */
	long countUnplaced(UUID eventId) {
		return this.jdbc.sql("""
				SELECT count(*) FROM queue_place WHERE event_id = :eventId AND status = 'WAITING' AND place IS NULL
				""").param("eventId", eventId).query(Long.class).single();
	}

	/**
	 * Sends {@code payload} on the channel to every session listening, when the
	 * transaction commits (and not at all if it rolls back).
	 */
	void signal(String channel, String payload) {
		this.jdbc.sql("SELECT pg_notify(:channel, :payload)")
			.param("channel", channel)
			.param("payload", payload)
			.query((rs, row) -> true)
			.single();
	}

	/** The admitted buyers and when their passes expire. */
	List<Pass> admitted(UUID eventId) {
		return this.jdbc.sql("""
				SELECT customer_id, admitted_at, pass_expires_at FROM queue_place
				 WHERE event_id = :eventId AND status = 'ADMITTED'
				""").param("eventId", eventId).query(QueueRepository::pass).list();
	}

	private static Pass pass(ResultSet rs, int row) throws SQLException {
		return new Pass(rs.getObject("customer_id", UUID.class), Sql.instant(rs, "admitted_at"),
				Sql.instant(rs, "pass_expires_at"));
	}

	/**
	 * Turns that ended: all DONE, and how many turns of any kind ended since
	 * {@code since}.
	 */
	Turns turns(UUID eventId, Instant since) {
		return this.jdbc.sql("""
				SELECT count(*) FILTER (WHERE status = 'DONE') AS done,
				       count(*) FILTER (WHERE turn_ended_at > :since) AS recent
				  FROM queue_place WHERE event_id = :eventId AND turn_ended_at IS NOT NULL
				""")
			.param("eventId", eventId)
			.param("since", Sql.timestamp(since))
			.query((rs, n) -> new Turns(rs.getLong("done"), rs.getLong("recent")))
			.single();
	}

	/**
	 * The queued events to look after: on sale and not closed yet, or with buyers still
	 * waiting or admitted.
	 */
	List<UUID> queuedEvents(Instant now) {
		return this.jdbc.sql("""
				SELECT id FROM event e
				 WHERE queue_max_active IS NOT NULL
				   AND ((status = 'ON_SALE' AND sales_close_at > :now)
				        OR EXISTS (SELECT 1 FROM queue_place q
				                    WHERE q.event_id = e.id AND q.status IN ('WAITING', 'ADMITTED')))
				""").param("now", Sql.timestamp(now)).query(UUID.class).list();
	}

	private static Place place(ResultSet rs, int n) throws SQLException {
		return new Place(rs.getObject("event_id", UUID.class), rs.getObject("customer_id", UUID.class),
				QueueStatus.valueOf(rs.getString("status")), rs.getBoolean("late"), rs.getObject("place", Long.class),
				Sql.instant(rs, "joined_at"), Sql.nullableInstant(rs, "admitted_at"),
				Sql.nullableInstant(rs, "pass_expires_at"));
	}

	/** A buyer joining an event's line at {@code at}, after sales opened or not. */
	record Join(UUID eventId, UUID customerId, boolean late, Instant at) {
	}

	/** An admitted buyer's turn ending with a confirmed booking at {@code at}. */
	record TurnEnd(UUID eventId, UUID customerId, Instant at) {
	}

	/** A waiting buyer and the place's key in the line. */
	record Ranked(UUID customerId, boolean late, long place) {
	}

	/** An admitted buyer's pass. */
	record Pass(UUID customerId, Instant admittedAt, Instant expiresAt) {
	}

	record Turns(long done, long recent) {
	}

}
