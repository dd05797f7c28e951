package io.boxoffice.booking;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.event.EventInventory.Counts;
import io.boxoffice.shared.Sql;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * General-admission inventory: one counter row per category. Every change is one guarded
 * statement; the table's CHECK constraints refuse a negative or unbalanced counter
 * whatever the Java code does.
 */
@Repository
class PoolRepository {

	private final JdbcClient jdbc;

	PoolRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(UUID eventId, UUID categoryId, int capacity) {
		this.jdbc
			.sql("""
					INSERT INTO pool (category_id, event_id, capacity, available) VALUES (:categoryId, :eventId, :capacity, :capacity)
					""")
			.param("categoryId", categoryId)
			.param("eventId", eventId)
			.param("capacity", capacity)
			.update();
	}

	/** Moves {@code n} available tickets to held, only if that many are available. */
	boolean hold(UUID categoryId, int n) {
		return this.jdbc.sql("""
				UPDATE pool SET available = available - :n, held = held + :n, version = version + 1
				 WHERE category_id = :categoryId AND available >= :n
				""").param("n", n).param("categoryId", categoryId).update() == 1;
	}

	/** Moves {@code n} available tickets to sold, only if that many are available. */
	boolean sell(UUID categoryId, int n) {
		return this.jdbc.sql("""
				UPDATE pool SET available = available - :n, sold = sold + :n, version = version + 1
				 WHERE category_id = :categoryId AND available >= :n
				""").param("n", n).param("categoryId", categoryId).update() == 1;
	}

	/** The counters of one pool as read, for the strategies that check in Java. */
	record Snapshot(int available, int sold, long version) {
	}

	/**
	 * {@code SELECT … FOR UPDATE}: the textbook lock, held until the transaction ends.
	 */
	Snapshot readLocked(UUID categoryId) {
		return snapshot("SELECT available, sold, version FROM pool WHERE category_id = :categoryId FOR UPDATE",
				categoryId);
	}

	/**
	 * {@code SELECT … FOR UPDATE} of a category row: the select-for-update strategy's
	 * lock for seats.
	 */
	void lockCategory(UUID categoryId) {
		this.jdbc.sql("SELECT id FROM category WHERE id = :categoryId FOR UPDATE")
			.param("categoryId", categoryId)
			.query(UUID.class)
			.single();
	}

	/** A plain read: no lock, so it can be stale by the time it is written back. */
	Snapshot read(UUID categoryId) {
		return snapshot("SELECT available, sold, version FROM pool WHERE category_id = :categoryId", categoryId);
	}

	private Snapshot snapshot(String sql, UUID categoryId) {
		return this.jdbc.sql(sql)
			.param("categoryId", categoryId)
			.query((rs, row) -> new Snapshot(rs.getInt("available"), rs.getInt("sold"), rs.getLong("version")))
			.single();
	}

	/**
	 * Writes counters computed in Java from a read. Safe only under a lock taken by that
	 * read, or SERIALIZABLE isolation; otherwise concurrent writers overwrite each other
	 * (lost updates).
	 */
	void write(UUID categoryId, Snapshot read, int n) {
		this.jdbc.sql("""
				UPDATE pool SET available = :available, sold = :sold, version = version + 1
				 WHERE category_id = :categoryId
				""")
			.param("available", read.available() - n)
			.param("sold", read.sold() + n)
			.param("categoryId", categoryId)
			.update();
	}

	/**
	 * Optimistic concurrency: writes counters computed from a read if nobody wrote since.
	 */
	boolean writeIfUnchanged(UUID categoryId, Snapshot read, int n) {
		return this.jdbc.sql("""
				UPDATE pool SET available = :available, sold = :sold, version = version + 1
				 WHERE category_id = :categoryId AND version = :version
				""")
			.param("available", read.available() - n)
			.param("sold", read.sold() + n)
			.param("categoryId", categoryId)
			.param("version", read.version())
			.update() == 1;
	}

	/** A confirmed hold: held becomes sold. */
	void confirmHeld(UUID categoryId, int n) {
		change("UPDATE pool SET held = held - :n, sold = sold + :n, version = version + 1 WHERE category_id = :categoryId",
				categoryId, Map.of("n", n));
	}

	/**
	 * Released, expired or cancelled holds and cancelled bookings: held and sold tickets
	 * become available again.
	 */
	void giveBack(UUID categoryId, int held, int sold) {
		change("""
				UPDATE pool SET held = held - :held, sold = sold - :sold, available = available + :held + :sold,
				       version = version + 1
				 WHERE category_id = :categoryId
				""", categoryId, Map.of("held", held, "sold", sold));
	}

	private void change(String sql, UUID categoryId, Map<String, Integer> amounts) {
		int rows = this.jdbc.sql(sql).params(amounts).param("categoryId", categoryId).update();
		if (rows != 1) {
			throw new IllegalStateException("No pool for category " + categoryId);
		}
	}

	/**
	 * Counts per category of the given events as they are at {@code now}: the tickets of
	 * an expired hold count as available even before the hold is marked expired.
	 */
	Map<UUID, Counts> counts(Collection<UUID> eventIds, Instant now) {
		Map<UUID, Counts> counts = new HashMap<>();
		if (eventIds.isEmpty()) {
			return counts;
		}
		this.jdbc.sql("""
				SELECT p.category_id, p.capacity, p.available + coalesce(x.tickets, 0) AS available,
				       p.held - coalesce(x.tickets, 0) AS held, p.sold
				  FROM pool p
				  LEFT JOIN (SELECT i.category_id, sum(i.quantity) AS tickets
				               FROM hold h JOIN hold_item i ON i.hold_id = h.id
				              WHERE h.event_id IN (:eventIds) AND h.status = 'ACTIVE' AND h.expires_at <= :now
				              GROUP BY i.category_id) x ON x.category_id = p.category_id
				 WHERE p.event_id IN (:eventIds)
				""").param("eventIds", eventIds).param("now", Sql.timestamp(now)).query((rs, row) -> {
			counts.put(rs.getObject("category_id", UUID.class),
					new Counts(rs.getInt("capacity"), rs.getInt("available"), rs.getInt("held"), rs.getInt("sold")));
			return null;
		}).list();
		return counts;
	}

}
