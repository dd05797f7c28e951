package io.boxoffice.waitlist;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.boxoffice.shared.PageQuery;
import io.boxoffice.shared.Sql;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Waiting-list entries. Changes of status are guarded updates that name the status they
 * change from, so two instances can never both move one entry; entries a return offers
 * tickets to are locked in order of joining, after the pools and seats it returned to.
 */
@Repository
class EntryRepository {

	private static final String COLUMNS = """
			id, seq, event_id, category_id, category, customer_id, quantity, status, hold_id, offer_expires_at,
			created_at""";

	/**
	 * The namespace of the line locks (the first key of the two-key advisory lock form;
	 * the second is the category's).
	 */
	private static final int LINE_LOCK_NAMESPACE = 0x57414954;

	private final JdbcClient jdbc;

	EntryRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Joins the line, unless the customer has an open entry for the category already (the
	 * partial unique index decides, also between instances).
	 * @return the entry, or nothing if the customer is already waiting
	 */
	Optional<Entry> insert(UUID eventId, UUID categoryId, String category, UUID customerId, int quantity, Instant now) {
		return this.jdbc
			.sql("INSERT INTO waitlist_entry (id, event_id, category_id, category, customer_id, quantity, "
					+ "status, created_at) VALUES (:id, :eventId, :categoryId, :category, :customerId, :quantity, "
					+ "'WAITING', :now) ON CONFLICT (customer_id, category_id) WHERE status IN ('WAITING', 'OFFERED') "
					+ "DO NOTHING RETURNING " + COLUMNS)
			.param("id", UUID.randomUUID())
			.param("eventId", eventId)
			.param("categoryId", categoryId)
			.param("category", category)
			.param("customerId", customerId)
			.param("quantity", quantity)
			.param("now", Sql.timestamp(now))
			.query(EntryRepository::entry)
			.optional();
	}

	/**
	 * A join's last look at its category waits for the returns that are offering tickets
	 * of it, and they wait for the join to end: a return either sees the new entry or the
	 * join sees the returned tickets. Held to the end of the transaction.
	 */
	void lockLineToJoin(UUID categoryId) {
		lockLine("SELECT pg_advisory_xact_lock(:namespace, :key)", categoryId);
	}

	/**
	 * Offers of tickets returned to the category wait for the joins in their last look;
	 * returns do not wait for each other. Held to the end of the transaction.
	 */
	void lockLineToOffer(UUID categoryId) {
		lockLine("SELECT pg_advisory_xact_lock_shared(:namespace, :key)", categoryId);
	}

	private void lockLine(String sql, UUID categoryId) {
		this.jdbc.sql(sql)
			.param("namespace", LINE_LOCK_NAMESPACE)
			.param("key", categoryId.hashCode())
			.query((rs, n) -> true)
			.single();
	}

	Optional<Entry> find(UUID id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM waitlist_entry WHERE id = :id")
			.param("id", id)
			.query(EntryRepository::entry)
			.optional();
	}

	/** The entries still waiting ahead of a waiting one in its category's line. */
	long ahead(Entry entry) {
		return this.jdbc.sql("""
				SELECT count(*) FROM waitlist_entry
				 WHERE category_id = :categoryId AND status = 'WAITING' AND seq < :seq
				""").param("categoryId", entry.categoryId()).param("seq", entry.seq()).query(Long.class).single();
	}

	/** One page of a customer's entries, newest first. */
	List<Entry> pageByCustomer(UUID customerId, PageQuery page) {
		return this.jdbc.sql("SELECT " + COLUMNS
				+ " FROM waitlist_entry WHERE customer_id = :customerId ORDER BY seq DESC LIMIT :size OFFSET :offset")
			.param("customerId", customerId)
			.param("size", page.size())
			.param("offset", page.offset())
			.query(EntryRepository::entry)
			.list();
	}

	long countByCustomer(UUID customerId) {
		return this.jdbc.sql("SELECT count(*) FROM waitlist_entry WHERE customer_id = :customerId")
			.param("customerId", customerId)
			.query(Long.class)
			.single();
	}

	/** Leaves the line, if still waiting. */
	boolean leaveWaiting(UUID id) {
		return this.jdbc.sql("UPDATE waitlist_entry SET status = 'LEFT' WHERE id = :id AND status = 'WAITING'")
			.param("id", id)
			.update() == 1;
	}

	/**
	 * Waiting entries of a category that need at most {@code most} tickets, after
	 * {@code afterSeq} in the line, read without locks: candidates for an offer.
	 */
	List<Entry> candidates(UUID categoryId, int most, long afterSeq, int limit) {
		return this.jdbc.sql("SELECT " + COLUMNS + """
				 FROM waitlist_entry
				WHERE category_id = :categoryId AND status = 'WAITING' AND quantity <= :most AND seq > :after
				ORDER BY seq
				LIMIT :limit
				""")
			.param("categoryId", categoryId)
			.param("most", most)
			.param("after", afterSeq)
			.param("limit", limit)
			.query(EntryRepository::entry)
			.list();
	}

	/**
	 * Locks those of the entries that are still waiting, in order of joining (the order
	 * every return locks entries in), waiting for any another transaction has.
	 */
	List<Entry> lockWaiting(Collection<UUID> ids) {
		return this.jdbc.sql("SELECT " + COLUMNS + """
				 FROM waitlist_entry
				WHERE id = ANY (CAST(:ids AS uuid[])) AND status = 'WAITING'
				ORDER BY seq
				FOR UPDATE
				""").param("ids", Sql.array(ids)).query(EntryRepository::entry).list();
	}

	/** A locked waiting entry is offered the hold. */
	void offer(UUID id, UUID holdId, Instant expiresAt) {
		int rows = this.jdbc.sql("""
				UPDATE waitlist_entry SET status = 'OFFERED', hold_id = :holdId, offer_expires_at = :expiresAt
				 WHERE id = :id AND status = 'WAITING'
				""").param("id", id).param("holdId", holdId).param("expiresAt", Sql.timestamp(expiresAt)).update();
		if (rows != 1) {
			throw new IllegalStateException("Waiting-list entry " + id + " was not waiting when offered");
		}
	}

	/**
	 * The offers made with these holds end as {@code status}.
	 * @return the entries ended
	 */
	int endOffers(Collection<UUID> holdIds, EntryStatus status) {
		if (holdIds.isEmpty()) {
			return 0;
		}
		return this.jdbc.sql("""
				UPDATE waitlist_entry SET status = :status
				 WHERE hold_id = ANY (CAST(:ids AS uuid[])) AND status = 'OFFERED'
				""").param("status", status.name()).param("ids", Sql.array(holdIds)).update();
	}

	/** The offer made with this hold was confirmed. */
	boolean accept(UUID holdId) {
		return accept(List.of(holdId)) == 1;
	}

	/**
	 * The offers made as these holds, confirmed: one statement however many.
	 * @return the offers accepted
	 */
	int accept(Collection<UUID> holdIds) {
		return this.jdbc.sql("""
				UPDATE waitlist_entry SET status = 'ACCEPTED'
				 WHERE hold_id = ANY (CAST(:holdIds AS uuid[])) AND status = 'OFFERED'
				""").param("holdIds", Sql.array(holdIds)).update();
	}

	/**
	 * The event is cancelled: every open entry ends EXPIRED.
	 * @return the entries ended
	 */
	int expireOpen(UUID eventId) {
		return this.jdbc.sql("""
				UPDATE waitlist_entry SET status = 'EXPIRED'
				 WHERE event_id = :eventId AND status IN ('WAITING', 'OFFERED')
				""").param("eventId", eventId).update();
	}

	long countWaiting() {
		return this.jdbc.sql("SELECT count(*) FROM waitlist_entry WHERE status = 'WAITING'").query(Long.class).single();
	}

	private static Entry entry(ResultSet rs, int n) throws SQLException {
		return new Entry(rs.getObject("id", UUID.class), rs.getLong("seq"), rs.getObject("event_id", UUID.class),
				rs.getObject("category_id", UUID.class), rs.getString("category"),
				rs.getObject("customer_id", UUID.class), rs.getInt("quantity"),
				EntryStatus.valueOf(rs.getString("status")), rs.getObject("hold_id", UUID.class),
				Sql.nullableInstant(rs, "offer_expires_at"), Sql.instant(rs, "created_at"));
	}

}
