package io.boxoffice.booking.inventory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.boxoffice.event.EventInventory.Counts;
import io.boxoffice.event.EventInventory.SeatState;
import io.boxoffice.event.SeatRange;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Reserved seating: one row per named seat, and one {@code seat_claim} row per seat of a
 * hold or booking. A seat is taken while it has an active claim that is sold or held past
 * {@code now}; the unique index {@code seat_claim_one_active_per_seat} refuses a second
 * active claim whatever the Java code does. Claims are only ever changed by a transaction
 * that holds the row locks of their seats, taken in seat id order (or with SKIP LOCKED,
 * which never waits), so that seat changes cannot deadlock.
 * <p>
 * Every transaction that ends claims counts it in {@code seat_returns} before it commits,
 * so that the group commit's read of the first unclaimed seats can start where the last
 * read found them (its {@link ClaimedFront}) while that count is unchanged.
 */
@Repository
public class SeatRepository {

	/** An active claim that still holds its seat at {@code :now}. */
	private static final String TAKEN = "c.active AND (c.expires_at IS NULL OR c.expires_at > :now)";

	/**
	 * An active claim that a new claim of its seat (of category {@code :categoryId})
	 * cannot take: it holds the seat at {@code :now}, or the category has a waiting list,
	 * whose line the seats of a lapsed hold go to first (through the hold's expiry).
	 */
	private static final String UNCLAIMABLE = """
			c.active AND (c.expires_at IS NULL OR c.expires_at > :now
			              OR EXISTS (SELECT 1 FROM waitlisted_seat_category w WHERE w.category_id = :categoryId))""";

	/** More reserved categories than are ever on sale at once. */
	private static final int FRONTS_KEPT = 100_000;

	private final JdbcClient jdbc;

	/** The last claimed front read per reserved category. */
	private final Cache<UUID, ClaimedFront> fronts = Caffeine.newBuilder().maximumSize(FRONTS_KEPT).build();

	SeatRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A seat of the seat map. */
	public record Seat(long id, String label, UUID categoryId, int rowRank, int number) {
	}

	/**
	 * A new claim of one seat by a hold (until {@code heldUntil}) or a booking, for the
	 * item at {@code position}.
	 */
	public record NewClaim(long seatId, UUID eventId, Claimant claimant, int position) {
	}

	/**
	 * The best free seats found for a best-available request (none when too few are
	 * free), and how many seats of the category were free.
	 */
	record Search(List<List<Seat>> options, int free) {
	}

	/**
	 * From now on, the seats of the category's lapsed holds go to its waiting list first:
	 * no claim takes them over until the hold's expiry has returned them.
	 */
	public void waitlisted(UUID categoryId) {
		this.jdbc.sql("INSERT INTO waitlisted_seat_category (category_id) VALUES (:categoryId) ON CONFLICT DO NOTHING")
			.param("categoryId", categoryId)
			.update();
	}

	/** One statement per range, however many seats it has. */
	public void insert(UUID eventId, UUID categoryId, int rowRank, SeatRange range) {
		this.jdbc.sql("""
				INSERT INTO seat (event_id, category_id, row_rank, row_label, number, label)
				SELECT :eventId, :categoryId, :rowRank, :row, n, :row || '-' || n
				  FROM generate_series(:from, :to) AS n
				""")
			.param("eventId", eventId)
			.param("categoryId", categoryId)
			.param("rowRank", rowRank)
			.param("row", range.row())
			.param("from", range.from())
			.param("to", range.to())
			.update();
	}

	/**
	 * Has PostgreSQL gather the seat table's statistics again, so that plans count the
	 * seats of a new hall: until then it takes a category it has not seen for a few dozen
	 * seats, and read a 20,000-seat hall's first free seats by scanning and sorting all
	 * of them with every claim hashed (10 to 20 ms a batch) instead of walking the seat
	 * map's index. Without the right to analyse the table, PostgreSQL warns and does
	 * nothing. Run in a transaction, it counts that transaction's own new seats.
	 */
	public void analyze() {
		this.jdbc.sql("ANALYZE seat").update();
	}

	/**
	 * Counts per reserved category of the given events at {@code now}, in one query over
	 * the seats and their active claims: a lapsed hold's seat is available at once.
	 */
	public Map<UUID, Counts> counts(Collection<UUID> eventIds, Instant now) {
		Map<UUID, Counts> counts = new HashMap<>();
		if (eventIds.isEmpty()) {
			return counts;
		}
		this.jdbc.sql("""
				SELECT s.category_id, count(*) AS capacity,
				       count(c.id) FILTER (WHERE c.booking_id IS NULL) AS held,
				       count(c.id) FILTER (WHERE c.booking_id IS NOT NULL) AS sold
				  FROM seat s
				  LEFT JOIN seat_claim c ON c.seat_id = s.id AND %s
				 WHERE s.event_id IN (:eventIds)
				 GROUP BY s.category_id
				""".formatted(TAKEN)).param("eventIds", eventIds).param("now", Sql.timestamp(now)).query((rs, n) -> {
			int capacity = rs.getInt("capacity");
			int held = rs.getInt("held");
			int sold = rs.getInt("sold");
			return counts.put(rs.getObject("category_id", UUID.class),
					new Counts(capacity, capacity - held - sold, held, sold));
		}).list();
		return counts;
	}

	/**
	 * The seats of an event, or of one category, in seat-map order with their status at
	 * {@code now}; one query however many seats.
	 */
	public List<SeatState> states(UUID eventId, @Nullable UUID categoryId, Instant now) {
		return this.jdbc
			.sql("""
					SELECT s.label, k.code,
					       CASE WHEN c.id IS NULL THEN 'AVAILABLE' WHEN c.booking_id IS NULL THEN 'HELD' ELSE 'SOLD' END AS status
					  FROM seat s
					  JOIN category k ON k.id = s.category_id
					  LEFT JOIN seat_claim c ON c.seat_id = s.id AND %s
					 WHERE s.event_id = :eventId AND (CAST(:categoryId AS uuid) IS NULL OR s.category_id = :categoryId)
					 ORDER BY k.position, s.row_rank, s.number
					"""
				.formatted(TAKEN))
			.param("eventId", eventId)
			.param("categoryId", categoryId)
			.param("now", Sql.timestamp(now))
			.query((rs, n) -> new SeatState(rs.getString("label"), rs.getString("code"), rs.getString("status")))
			.list();
	}

	/** Every seat of the event: its seat map. */
	List<Seat> all(UUID eventId) {
		return this.jdbc.sql("SELECT id, label, category_id, row_rank, number FROM seat WHERE event_id = :eventId")
			.param("eventId", eventId)
			.query(SeatRepository::seat)
			.list();
	}

	/**
	 * Locks the seats in seat id order, waiting for any another transaction has: the one
	 * global order that keeps buyers of overlapping seats from deadlocking.
	 */
	List<Long> lock(Collection<Long> seatIds) {
		List<Long> locked = this.jdbc
			.sql("SELECT id FROM seat WHERE id = ANY (CAST(:ids AS bigint[])) ORDER BY id FOR UPDATE")
			.param("ids", Sql.array(seatIds))
			.query(Long.class)
			.list();
		if (locked.size() != seatIds.size()) {
			throw new IllegalStateException("Locked " + locked.size() + " of " + seatIds.size() + " seats");
		}
		return locked;
	}

	/**
	 * Locks those of the seats no other transaction has locked, without waiting.
	 * @return the seats locked
	 */
	List<Long> lockUnlocked(Collection<Long> seatIds) {
		return this.jdbc
			.sql("SELECT id FROM seat WHERE id = ANY (CAST(:ids AS bigint[])) ORDER BY id FOR UPDATE SKIP LOCKED")
			.param("ids", Sql.array(seatIds))
			.query(Long.class)
			.list();
	}

	/**
	 * The group commit's lock on the best-available seats it is about to claim: those of
	 * the seats no other transaction has locked, without waiting (a no-key-update lock,
	 * skipping locked rows), so that another instance's batch reading the same front
	 * seats leaves them out. A seat claimed by a sale that committed after the batch read
	 * it free is left out too: its lock was released with that commit, and the claim
	 * would only lose to the unique index. It holds up no claim: a claim's foreign key
	 * check takes a key-share lock, which this one does not conflict with.
	 * @return the seats locked
	 */
	public List<Long> lockUnlockedForClaims(Collection<Long> seatIds) {
		return this.jdbc.sql("""
				SELECT s.id FROM seat s
				 WHERE s.id = ANY (CAST(:ids AS bigint[]))
				   AND NOT EXISTS (SELECT 1 FROM seat_claim c WHERE c.seat_id = s.id AND c.active)
				 ORDER BY s.id
				   FOR NO KEY UPDATE OF s SKIP LOCKED
				""").param("ids", Sql.array(seatIds)).query(Long.class).list();
	}

	/**
	 * Locks, in seat id order, the seats of the active claims of these holds and
	 * bookings, waiting for any another transaction has.
	 */
	void lockClaimedBy(Collection<UUID> holdIds, Collection<UUID> bookingIds) {
		this.jdbc.sql("""
				SELECT s.id FROM seat s
				 WHERE s.id IN (SELECT c.seat_id FROM seat_claim c
				                 WHERE c.active AND (c.hold_id = ANY (CAST(:holds AS uuid[]))
				                                  OR c.booking_id = ANY (CAST(:bookings AS uuid[]))))
				 ORDER BY s.id
				 FOR UPDATE
				""")
			.param("holds", Sql.array(holdIds))
			.param("bookings", Sql.array(bookingIds))
			.query(Long.class)
			.list();
	}

	/**
	 * Best available, without locks: up to {@code options} blocks of {@code n} adjacent
	 * free seats in seat-map order (front row first, lowest number first; a longer run of
	 * free seats offers several blocks), or, when no row has {@code n} adjacent free
	 * seats, the first {@code n} free seats. Seats in {@code skip} count as taken. Buyers
	 * racing for the same front seats try the next block with SKIP LOCKED instead of
	 * searching again.
	 */
	Search bestAvailable(UUID categoryId, int n, Instant now, Collection<Long> skip, int options) {
		List<Object[]> rows = this.jdbc.sql("""
				WITH free AS (
				    SELECT s.id, s.label, s.category_id, s.row_rank, s.number,
				           s.number - row_number() OVER (PARTITION BY s.row_rank ORDER BY s.number) AS run
				      FROM seat s
				     WHERE s.category_id = :categoryId
				       AND NOT s.id = ANY (CAST(:skip AS bigint[]))
				       AND NOT EXISTS (SELECT 1 FROM seat_claim c WHERE c.seat_id = s.id AND %s)
				), chunked AS (
				    SELECT f.*, (row_number() OVER (PARTITION BY f.row_rank, f.run ORDER BY f.number) - 1) / :n AS chunk
				      FROM free f
				), blocks AS (
				    SELECT row_rank, run, chunk FROM chunked
				     GROUP BY row_rank, run, chunk
				    HAVING count(*) = :n
				     ORDER BY row_rank, min(number)
				     LIMIT :options
				)
				SELECT c.id, c.label, c.category_id, c.row_rank, c.number, (SELECT count(*) FROM free) AS free
				  FROM chunked c JOIN blocks b ON b.row_rank = c.row_rank AND b.run = c.run AND b.chunk = c.chunk
				 ORDER BY c.row_rank, c.number
				""".formatted(UNCLAIMABLE))
			.param("categoryId", categoryId)
			.param("n", n)
			.param("now", Sql.timestamp(now))
			.param("skip", Sql.array(skip))
			.param("options", options)
			.query((rs, i) -> new Object[] { seat(rs, i), rs.getInt("free") })
			.list();
		if (!rows.isEmpty()) {
			List<Seat> seats = rows.stream().map(row -> (Seat) row[0]).toList();
			List<List<Seat>> blocks = new ArrayList<>();
			for (int i = 0; i + n <= seats.size(); i += n) {
				blocks.add(seats.subList(i, i + n));
			}
			return new Search(blocks, (int) rows.get(0)[1]);
		}
		return firstFree(categoryId, n, now, skip);
	}

	/**
	 * When no row has {@code n} adjacent free seats: the first {@code n} free ones in
	 * seat-map order.
	 */
	private Search firstFree(UUID categoryId, int n, Instant now, Collection<Long> skip) {
		List<Object[]> rows = this.jdbc.sql("""
				WITH free AS (
				    SELECT s.id, s.label, s.category_id, s.row_rank, s.number
				      FROM seat s
				     WHERE s.category_id = :categoryId
				       AND NOT s.id = ANY (CAST(:skip AS bigint[]))
				       AND NOT EXISTS (SELECT 1 FROM seat_claim c WHERE c.seat_id = s.id AND %s)
				)
				SELECT f.id, f.label, f.category_id, f.row_rank, f.number, (SELECT count(*) FROM free) AS free
				  FROM free f
				 ORDER BY f.row_rank, f.number
				 LIMIT :n
				""".formatted(UNCLAIMABLE))
			.param("categoryId", categoryId)
			.param("n", n)
			.param("now", Sql.timestamp(now))
			.param("skip", Sql.array(skip))
			.query((rs, i) -> new Object[] { seat(rs, i), rs.getInt("free") })
			.list();
		int free = rows.isEmpty() ? 0 : (int) rows.get(0)[1];
		List<Seat> seats = rows.stream().map(row -> (Seat) row[0]).toList();
		return new Search((seats.size() == n) ? List.of(seats) : List.of(), free);
	}

	/**
	 * The group commit's read of named seats: those of the seats that have an active
	 * claim, lapsed or not (a lapsed hold's seat is free once its hold is expired).
	 */
	public Set<Long> claimedAmong(Collection<Long> seatIds) {
		if (seatIds.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(this.jdbc.sql("""
				SELECT seat_id FROM seat_claim WHERE seat_id = ANY (CAST(:ids AS bigint[])) AND active
				""").param("ids", Sql.array(seatIds)).query(Long.class).list());
	}

	/**
	 * The group commit's read for best-available seats, without locks: the first
	 * {@code limit} seats of the category that have no active claim, in seat-map order.
	 * It starts at the category's claimed front, if the event's seats were given back no
	 * more times since it was read; otherwise (once per return and instance) it reads
	 * from the first seat again. Without the front, a read in a selling hall passes every
	 * claimed seat before the free ones: 18 ms with 18,000 of 20,000 taken.
	 * <p>
	 * The front it leaves is only right if this read sees no claim that may yet be rolled
	 * back: the caller reads before it claims.
	 */
	public List<Seat> firstUnclaimed(UUID eventId, UUID categoryId, int limit) {
		ClaimedFront known = this.fronts.getIfPresent(categoryId);
		Unclaimed read = unclaimedFrom((known != null) ? known : ClaimedFront.NONE, eventId, categoryId, limit);
		if (known != null && read.returns() != known.returns()) {
			read = unclaimedFrom(ClaimedFront.NONE, eventId, categoryId, limit);
		}
		ClaimedFront front = ClaimedFront.found(read.returns(), read.seats().isEmpty() ? null : read.seats().get(0));
		this.fronts.asMap().merge(categoryId, front, ClaimedFront::later);
		return read.seats();
	}

	private record Unclaimed(long returns, List<Seat> seats) {
	}

	/**
	 * One statement, so one snapshot: the event's count of returns, and the first
	 * unclaimed seats from {@code front} on. A generic plan walks the seat map's index
	 * from the front; a plan made for the front's values would often sort every seat
	 * behind it instead, guessing most of them claimed as most of the hall is.
	 */
	private Unclaimed unclaimedFrom(ClaimedFront front, UUID eventId, UUID categoryId, int limit) {
		List<Seat> seats = new ArrayList<>();
		long[] returns = { 0 };
		Sql.withGenericPlans(this.jdbc, () -> this.jdbc.sql("""
				SELECT r.returns, s.id, s.label, s.category_id, s.row_rank, s.number
				  FROM (SELECT coalesce((SELECT returns FROM seat_returns WHERE event_id = :eventId), 0) AS returns) r
				  LEFT JOIN LATERAL (
				       SELECT s.id, s.label, s.category_id, s.row_rank, s.number
				         FROM seat s
				        WHERE s.category_id = :categoryId
				          AND (s.row_rank, s.number) >= (:rowRank, :number)
				          AND NOT EXISTS (SELECT 1 FROM seat_claim c WHERE c.seat_id = s.id AND c.active)
				        ORDER BY s.row_rank, s.number
				        LIMIT :limit) s ON true
				""")
			.param("eventId", eventId)
			.param("categoryId", categoryId)
			.param("rowRank", front.rowRank())
			.param("number", front.number())
			.param("limit", limit)
			.query(rs -> {
				returns[0] = rs.getLong("returns");
				if (rs.getObject("id") != null) {
					seats.add(seat(rs, seats.size()));
				}
			}));
		return new Unclaimed(returns[0], seats);
	}

	/**
	 * The group commit's claim: one multi-row insert in seat id order, guarded by the
	 * unique index of active claims. A seat another transaction claimed first (committed,
	 * or committing: the insert waits for it) is skipped, not an error.
	 * @return the seats claimed now
	 */
	public Set<Long> claimAll(List<NewClaim> claims) {
		if (claims.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(this.jdbc.sql("""
				INSERT INTO seat_claim (seat_id, event_id, hold_id, booking_id, position, expires_at, active)
				SELECT seat_id, event_id, hold_id, booking_id, position, expires_at, true
				  FROM unnest(CAST(:seats AS bigint[]), CAST(:events AS uuid[]), CAST(:holds AS uuid[]),
				              CAST(:bookings AS uuid[]), CAST(:positions AS int[]), CAST(:expiries AS timestamptz[]))
				       AS c (seat_id, event_id, hold_id, booking_id, position, expires_at)
				 ORDER BY seat_id
				ON CONFLICT (seat_id) WHERE active DO NOTHING
				RETURNING seat_id
				""")
			.param("seats", Sql.array(claims.stream().map(NewClaim::seatId).toList()))
			.param("events", Sql.array(claims.stream().map(NewClaim::eventId).toList()))
			.param("holds", Sql.array(claims.stream().map(claim -> claim.claimant().holdId()).toList()))
			.param("bookings", Sql.array(claims.stream().map(claim -> claim.claimant().bookingId()).toList()))
			.param("positions", Sql.array(claims.stream().map(NewClaim::position).toList()))
			.param("expiries", Sql.array(claims.stream().map(claim -> claim.claimant().heldUntil()).toList()))
			.query(Long.class)
			.list());
	}

	/**
	 * Takes back claims this transaction made for holds or bookings that lost another of
	 * their seats to someone else (all or nothing).
	 * @return the claims deleted
	 */
	public int unclaim(Collection<Long> seatIds, Collection<UUID> claimants) {
		if (seatIds.isEmpty()) {
			return 0;
		}
		return this.jdbc.sql("""
				DELETE FROM seat_claim
				 WHERE seat_id = ANY (CAST(:seats AS bigint[])) AND active
				   AND (hold_id = ANY (CAST(:claimants AS uuid[])) OR booking_id = ANY (CAST(:claimants AS uuid[])))
				""").param("seats", Sql.array(seatIds)).param("claimants", Sql.array(claimants)).update();
	}

	/**
	 * Confirmed holds, the group commit's way: the held claims that have not lapsed
	 * become sold to each hold's booking, with one statement. A claim changes only under
	 * its hold's row lock, which the caller holds; only the expiry of that hold (which
	 * needs the same lock) ends it.
	 * @param bookings the new booking of each confirmed hold
	 * @return the claims confirmed per hold
	 */
	public Map<UUID, Integer> confirmAll(Map<UUID, UUID> bookings, Instant now) {
		Map<UUID, Integer> confirmed = new HashMap<>();
		if (bookings.isEmpty()) {
			return confirmed;
		}
		List<Map.Entry<UUID, UUID>> pairs = List.copyOf(bookings.entrySet());
		this.jdbc.sql("""
				UPDATE seat_claim c SET booking_id = m.booking_id, expires_at = NULL
				  FROM unnest(CAST(:holds AS uuid[]), CAST(:bookings AS uuid[])) AS m (hold_id, booking_id)
				 WHERE c.hold_id = m.hold_id AND c.active AND c.booking_id IS NULL AND c.expires_at > :now
				RETURNING c.hold_id
				""")
			.param("holds", Sql.array(pairs.stream().map(Map.Entry::getKey).toList()))
			.param("bookings", Sql.array(pairs.stream().map(Map.Entry::getValue).toList()))
			.param("now", Sql.timestamp(now))
			.query(UUID.class)
			.list()
			.forEach(hold -> confirmed.merge(hold, 1, Integer::sum));
		return confirmed;
	}

	/**
	 * Lazy expiry: deactivates the lapsed held claims of these seats, which the caller
	 * has locked, so that the unique index lets a new claim in; but not in a category
	 * with a waiting list, whose line gets them first when the hold's expiry returns
	 * them.
	 * @return the claims taken over
	 */
	int takeOverLapsed(Collection<Long> seatIds, Instant now) {
		return returned(this.jdbc.sql("""
				UPDATE seat_claim SET active = false
				 WHERE seat_id = ANY (CAST(:ids AS bigint[])) AND active AND expires_at <= :now
				   AND NOT EXISTS (SELECT 1 FROM seat s JOIN waitlisted_seat_category w ON w.category_id = s.category_id
				                    WHERE s.id = seat_claim.seat_id)
				RETURNING event_id
				""").param("ids", Sql.array(seatIds)).param("now", Sql.timestamp(now)).query(UUID.class).list());
	}

	/**
	 * Claims exactly those of the seats, which the caller has locked, that have no active
	 * claim, for one item of a hold or booking.
	 * @return the seats claimed; fewer than asked means some were taken
	 */
	List<Long> claim(Collection<Long> seatIds, Claimant claimant, int position) {
		return this.jdbc.sql("""
				INSERT INTO seat_claim (seat_id, event_id, hold_id, booking_id, position, expires_at, active)
				SELECT s.id, s.event_id, :holdId, :bookingId, :position, :expiresAt, true
				  FROM seat s
				 WHERE s.id = ANY (CAST(:ids AS bigint[]))
				   AND NOT EXISTS (SELECT 1 FROM seat_claim c WHERE c.seat_id = s.id AND c.active)
				 ORDER BY s.id
				RETURNING seat_id
				""")
			.param("ids", Sql.array(seatIds))
			.param("holdId", claimant.holdId())
			.param("bookingId", claimant.bookingId())
			.param("position", position)
			.param("expiresAt", Sql.timestamp(claimant.heldUntil()))
			.query(Long.class)
			.list();
	}

	/**
	 * The labels of those seats held or sold at {@code now} by anyone but the claimant,
	 * or held by a lapsed hold in a category with a waiting list.
	 */
	List<String> takenByOthers(Collection<Long> seatIds, UUID claimantId, Instant now) {
		return this.jdbc
			.sql("""
					SELECT s.label FROM seat s JOIN seat_claim c ON c.seat_id = s.id
					 WHERE s.id = ANY (CAST(:ids AS bigint[]))
					   AND c.active AND (c.expires_at IS NULL OR c.expires_at > :now
					                     OR EXISTS (SELECT 1 FROM waitlisted_seat_category w WHERE w.category_id = s.category_id))
					   AND c.hold_id IS DISTINCT FROM :claimant AND c.booking_id IS DISTINCT FROM :claimant
					""")
			.param("ids", Sql.array(seatIds))
			.param("claimant", claimantId)
			.param("now", Sql.timestamp(now))
			.query(String.class)
			.list();
	}

	/**
	 * A confirmed hold: its held claims that have not lapsed become sold to the booking.
	 * @return the claims confirmed; fewer than the hold's seats means some lapsed and
	 * were taken over
	 */
	int confirm(UUID holdId, UUID bookingId, Instant now) {
		return this.jdbc.sql("""
				UPDATE seat_claim SET booking_id = :bookingId, expires_at = NULL
				 WHERE hold_id = :holdId AND active AND booking_id IS NULL AND expires_at > :now
				""").param("bookingId", bookingId).param("holdId", holdId).param("now", Sql.timestamp(now)).update();
	}

	/**
	 * Released, expired or cancelled holds: their seats return. A lapsed hold's claims
	 * may already have been taken over, so this may end fewer claims than the holds had
	 * seats.
	 */
	int endHeld(Collection<UUID> holdIds) {
		return returned(this.jdbc.sql("""
				UPDATE seat_claim SET active = false
				 WHERE hold_id = ANY (CAST(:ids AS uuid[])) AND active AND booking_id IS NULL
				RETURNING event_id
				""").param("ids", Sql.array(holdIds)).query(UUID.class).list());
	}

	/**
	 * Cancelled bookings: their seats return.
	 * @return the claims ended: every seat of the bookings
	 */
	int endSold(Collection<UUID> bookingIds) {
		return returned(this.jdbc.sql("""
				UPDATE seat_claim SET active = false
				 WHERE booking_id = ANY (CAST(:ids AS uuid[])) AND active
				RETURNING event_id
				""").param("ids", Sql.array(bookingIds)).query(UUID.class).list());
	}

	/**
	 * Counts the ended claims' returns in {@code seat_returns}: just before this
	 * transaction commits, once per event, in event id order, so that holding a count it
	 * waits for nothing but other counts (without a transaction: at once, after the
	 * claims' end was committed).
	 * @param events the event of each ended claim
	 * @return how many claims ended
	 */
	private int returned(List<UUID> events) {
		if (events.isEmpty()) {
			return 0;
		}
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			countReturns(new HashSet<>(events));
			return events.size();
		}
		Returns due = TransactionSynchronizationManager.getSynchronizations()
			.stream()
			.filter(Returns.class::isInstance)
			.map(Returns.class::cast)
			.filter(returns -> returns.of(this))
			.findFirst()
			.orElseGet(() -> {
				Returns returns = new Returns();
				TransactionSynchronizationManager.registerSynchronization(returns);
				return returns;
			});
		due.events.addAll(events);
		return events.size();
	}

	/** The events whose returns this transaction counts when it commits. */
	private final class Returns implements TransactionSynchronization {

		final Set<UUID> events = new HashSet<>();

		boolean of(SeatRepository repository) {
			return repository == SeatRepository.this;
		}

		@Override
		public void beforeCommit(boolean readOnly) {
			countReturns(this.events);
		}

	}

	private void countReturns(Set<UUID> events) {
		this.jdbc.sql("""
				INSERT INTO seat_returns (event_id, returns)
				SELECT e, 1 FROM unnest(CAST(:events AS uuid[])) AS e ORDER BY e
				ON CONFLICT (event_id) DO UPDATE SET returns = seat_returns.returns + 1
				""").param("events", Sql.array(events)).update();
	}

	private static Seat seat(ResultSet rs, int n) throws SQLException {
		return new Seat(rs.getLong("id"), rs.getString("label"), rs.getObject("category_id", UUID.class),
				rs.getInt("row_rank"), rs.getInt("number"));
	}

}
