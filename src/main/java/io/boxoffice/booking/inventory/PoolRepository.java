package io.boxoffice.booking.inventory;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
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
public class PoolRepository {

	private final JdbcClient jdbc;

	PoolRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void insert(UUID eventId, UUID categoryId, int capacity) {
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
	public boolean hold(UUID categoryId, int n) {
		return this.jdbc.sql("""
				UPDATE pool SET available = available - :n, held = held + :n, version = version + 1
				 WHERE category_id = :categoryId AND available >= :n
				""").param("n", n).param("categoryId", categoryId).update() == 1;
	}

	/** Moves {@code n} available tickets to sold, only if that many are available. */
	public boolean sell(UUID categoryId, int n) {
		return this.jdbc.sql("""
				UPDATE pool SET available = available - :n, sold = sold + :n, version = version + 1
				 WHERE category_id = :categoryId AND available >= :n
				""").param("n", n).param("categoryId", categoryId).update() == 1;
	}

	/** The counters of one pool as read, for the strategies that check in Java. */
	public record Snapshot(int available, int sold, long version) {
	}

	/**
	 * {@code SELECT … FOR UPDATE}: the textbook lock, held until the transaction ends.
	 */
	public Snapshot readLocked(UUID categoryId) {
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

	/**
	 * The group commit's read: locks the pools of these categories in category id order
	 * (the global lock order), with what each has available.
	 */
	public Map<UUID, Integer> lockAll(Collection<UUID> categoryIds) {
		Map<UUID, Integer> available = new HashMap<>();
		if (categoryIds.isEmpty()) {
			return available;
		}
		this.jdbc.sql("""
				SELECT category_id, available FROM pool
				 WHERE category_id = ANY (CAST(:ids AS uuid[]))
				 ORDER BY category_id
				 FOR UPDATE
				""").param("ids", Sql.array(categoryIds)).query(rs -> {
			available.put(rs.getObject("category_id", UUID.class), rs.getInt("available"));
		});
		return available;
	}

	/**
	 * The group commit's read of the single pool a batch takes from: no lock, as the
	 * batch's guarded write ({@link #applyAllIfAvailable}) comes last, just before
	 * COMMIT, so that the row is locked only while the batch commits.
	 */
	public Map<UUID, Integer> readAll(Collection<UUID> categoryIds) {
		Map<UUID, Integer> available = new HashMap<>();
		if (categoryIds.isEmpty()) {
			return available;
		}
		this.jdbc.sql("SELECT category_id, available FROM pool WHERE category_id = ANY (CAST(:ids AS uuid[]))")
			.param("ids", Sql.array(categoryIds))
			.query(rs -> {
				available.put(rs.getObject("category_id", UUID.class), rs.getInt("available"));
			});
		return available;
	}

	/**
	 * Another sale took tickets from a pool between a batch's unlocked read and its
	 * write, and the pool no longer has what the batch allotted: the batch is rolled
	 * back.
	 */
	public static final class PoolsMoved extends RuntimeException {

		PoolsMoved(int changed, int changes) {
			super("Only " + changed + " of " + changes + " pools still had what the batch took", null, false, false);
		}

	}

	/**
	 * The write of a batch that {@link #readAll read} its pool without a lock: each
	 * change only if the pool still has the tickets it takes, whatever other sales took
	 * since the read (PostgreSQL checks the row again once a sale that changed it
	 * meanwhile committed).
	 * @return what each pool has available after the change
	 * @throws PoolsMoved if a pool no longer has them
	 */
	public Map<UUID, Integer> applyAllIfAvailable(Collection<Change> changes) {
		Map<UUID, Integer> left = new HashMap<>();
		if (changes.isEmpty()) {
			return left;
		}
		List<Change> list = List.copyOf(changes);
		changing(list, " AND p.available >= c.sold + c.held RETURNING p.category_id, p.available").query(rs -> {
			left.put(rs.getObject("category_id", UUID.class), rs.getInt("available"));
		});
		if (left.size() != list.size()) {
			throw new PoolsMoved(left.size(), list.size());
		}
		return left;
	}

	/**
	 * What a batch does to one pool: tickets sold and held from what is available, and
	 * held tickets confirmed into sold.
	 */
	public record Change(UUID categoryId, int sold, int held, int confirmed) {
	}

	/**
	 * The group commit's write to pools it has {@link #lockAll locked}: one statement
	 * however many; the table's CHECK constraints refuse any count that does not add up.
	 */
	public void applyAll(Collection<Change> changes) {
		if (changes.isEmpty()) {
			return;
		}
		List<Change> list = List.copyOf(changes);
		int rows = changing(list, "").update();
		if (rows != list.size()) {
			throw new IllegalStateException("Changed " + rows + " of " + list.size() + " pools");
		}
	}

	/**
	 * The statement of the group commit's write to pools, its WHERE clause ended by
	 * {@code more}.
	 */
	private JdbcClient.StatementSpec changing(List<Change> changes, String more) {
		return this.jdbc
			.sql("""
					UPDATE pool p
					   SET available = p.available - c.sold - c.held, held = p.held + c.held - c.confirmed,
					       sold = p.sold + c.sold + c.confirmed, version = p.version + 1
					  FROM unnest(CAST(:ids AS uuid[]), CAST(:sold AS int[]), CAST(:held AS int[]), CAST(:confirmed AS int[]))
					       AS c (category_id, sold, held, confirmed)
					 WHERE p.category_id = c.category_id
					"""
					+ more)
			.param("ids", Sql.array(changes.stream().map(Change::categoryId).toList()))
			.param("sold", Sql.array(changes.stream().map(Change::sold).toList()))
			.param("held", Sql.array(changes.stream().map(Change::held).toList()))
			.param("confirmed", Sql.array(changes.stream().map(Change::confirmed).toList()));
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
	public Map<UUID, Counts> counts(Collection<UUID> eventIds, Instant now) {
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
				""").param("eventIds", eventIds).param("now", Sql.timestamp(now)).query(rs -> {
			counts.put(rs.getObject("category_id", UUID.class),
					new Counts(rs.getInt("capacity"), rs.getInt("available"), rs.getInt("held"), rs.getInt("sold")));
		});
		return counts;
	}

}
