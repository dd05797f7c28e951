package io.boxoffice.booking.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.boxoffice.booking.Booking;
import io.boxoffice.booking.BookingStatus;
import io.boxoffice.booking.Item;
import io.boxoffice.booking.Ticket;
import io.boxoffice.booking.TicketStatus;
import io.boxoffice.booking.store.HoldRepository.ItemRows;
import io.boxoffice.shared.PageQuery;
import io.boxoffice.shared.Sql;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

@Repository
public class BookingRepository {

	private static final String COLUMNS = "id, event_id, customer_id, hold_id, status, total_amount, currency, created_at, cancelled_at";

	/** Inserts the tickets bound by {@link #issueTickets}. */
	private static final String INSERT_TICKETS = """
			INSERT INTO ticket (id, booking_id, position, event_id, category_id, seat, code)
			SELECT * FROM unnest(CAST(:ticketIds AS uuid[]), CAST(:ticketBookings AS uuid[]),
			                     CAST(:ticketPositions AS int[]), CAST(:ticketEvents AS uuid[]),
			                     CAST(:ticketCategories AS uuid[]), CAST(:ticketSeats AS text[]),
			                     CAST(:ticketCodes AS text[]))
			""";

	/**
	 * Inserts bookings and their tickets, each column one array parameter: the end of a
	 * {@code WITH} that begins with the insert of their items.
	 */
	private static final String INSERT_BOOKINGS_AND_TICKETS = """
			bookings AS (
			  INSERT INTO booking (id, event_id, customer_id, hold_id, status, quantity, total_amount, currency, created_at)
			  SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:eventIds AS uuid[]), CAST(:customerIds AS uuid[]),
			                       CAST(:holdIds AS uuid[]), CAST(:statuses AS text[]), CAST(:quantities AS int[]),
			                       CAST(:totals AS numeric[]), CAST(:currencies AS text[]),
			                       CAST(:createdAts AS timestamptz[])))
			"""
			+ INSERT_TICKETS;

	private final JdbcClient jdbc;

	private final ItemRows items;

	/** Inserts bookings with their items and tickets in one statement. */
	private final String insertAll;

	private final Counter issued;

	BookingRepository(JdbcClient jdbc, MeterRegistry registry) {
		this.jdbc = jdbc;
		this.items = new ItemRows(jdbc, "booking_item", "booking_id");
		this.insertAll = "WITH " + this.items.insertAllClause() + ",\n" + INSERT_BOOKINGS_AND_TICKETS;
		this.issued = Counter.builder("boxoffice.tickets.issued")
			.description("Tickets issued with the bookings that sell them (counted as they commit)")
			.register(registry);
	}

	public void insert(Booking booking) {
		this.jdbc
			.sql("""
					INSERT INTO booking (id, event_id, customer_id, hold_id, status, quantity, total_amount, currency, created_at)
					VALUES (:id, :eventId, :customerId, :holdId, :status, :quantity, :total, :currency, :createdAt)
					""")
			.param("id", booking.id())
			.param("eventId", booking.eventId())
			.param("customerId", booking.customerId())
			.param("holdId", booking.holdId())
			.param("status", booking.status().name())
			.param("quantity", booking.quantity())
			.param("total", booking.total())
			.param("currency", booking.currency())
			.param("createdAt", Sql.timestamp(booking.createdAt()))
			.update();
		this.items.insert(booking.id(), booking.items());
		issueTickets(List.of(booking), this.jdbc.sql(INSERT_TICKETS));
	}

	/**
	 * Inserts bookings, the group commit's insert: one statement (bookings, items and
	 * tickets) however many bookings and items, each column one array parameter, so that
	 * every batch runs the same prepared statement and plan.
	 */
	public void insertAll(List<Booking> bookings) {
		if (bookings.isEmpty()) {
			return;
		}
		Map<UUID, List<Item>> items = new LinkedHashMap<>();
		bookings.forEach(booking -> items.put(booking.id(), booking.items()));
		StatementSpec statement = this.items.bindAll(this.jdbc.sql(this.insertAll), items)
			.param("ids", column(bookings, Booking::id))
			.param("eventIds", column(bookings, Booking::eventId))
			.param("customerIds", column(bookings, Booking::customerId))
			.param("holdIds", Sql.array(bookings.stream().map(Booking::holdId).toList()))
			.param("statuses", column(bookings, Booking::status))
			.param("quantities", column(bookings, Booking::quantity))
			.param("totals", column(bookings, booking -> booking.total().toPlainString()))
			.param("currencies", column(bookings, Booking::currency))
			.param("createdAts", column(bookings, Booking::createdAt));
		issueTickets(bookings, statement);
	}

	/**
	 * Runs the statement that inserts the tickets of new bookings (ending in
	 * {@link #INSERT_TICKETS}), bound to them: they are issued with the bookings, in the
	 * transaction that confirms them.
	 */
	private void issueTickets(List<Booking> bookings, StatementSpec statement) {
		List<UUID> ids = new ArrayList<>();
		List<UUID> owners = new ArrayList<>();
		List<Integer> positions = new ArrayList<>();
		List<UUID> eventIds = new ArrayList<>();
		List<UUID> categoryIds = new ArrayList<>();
		List<String> seats = new ArrayList<>();
		List<String> codes = new ArrayList<>();
		for (Booking booking : bookings) {
			for (int position = 0; position < booking.tickets().size(); position++) {
				Ticket ticket = booking.tickets().get(position);
				ids.add(ticket.id());
				owners.add(booking.id());
				positions.add(position);
				eventIds.add(booking.eventId());
				categoryIds.add(ticket.categoryId());
				// seat labels are letters, digits and a dash: nothing an array literal
				// quotes
				seats.add((ticket.seat() != null) ? ticket.seat() : "NULL");
				codes.add(ticket.code());
			}
		}
		int inserted = statement.param("ticketIds", Sql.array(ids))
			.param("ticketBookings", Sql.array(owners))
			.param("ticketPositions", Sql.array(positions))
			.param("ticketEvents", Sql.array(eventIds))
			.param("ticketCategories", Sql.array(categoryIds))
			.param("ticketSeats", Sql.array(seats))
			.param("ticketCodes", Sql.array(codes))
			.update();
		if (inserted != ids.size()) {
			throw new IllegalStateException("Issued " + inserted + " of " + ids.size() + " tickets");
		}
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					BookingRepository.this.issued.increment(inserted);
				}
			});
		}
	}

	private static String column(List<Booking> bookings, Function<Booking, Object> value) {
		return Sql.array(bookings.stream().map(value).toList());
	}

	public Optional<Booking> find(UUID id) {
		return one(this.jdbc.sql("SELECT " + COLUMNS + " FROM booking WHERE id = :id").param("id", id));
	}

	public Optional<Booking> findByHold(UUID holdId) {
		return one(
				this.jdbc.sql("SELECT " + COLUMNS + " FROM booking WHERE hold_id = :holdId").param("holdId", holdId));
	}

	/** Locks the booking: its cancellations are serialised on this row. */
	public Optional<Booking> findForUpdate(UUID id) {
		return one(this.jdbc.sql("SELECT " + COLUMNS + " FROM booking WHERE id = :id FOR UPDATE").param("id", id));
	}

	/** Locks every confirmed booking of an event (its cancellation). */
	public List<Booking> lockConfirmed(UUID eventId) {
		return withItems(this.jdbc
			.sql("SELECT " + COLUMNS
					+ " FROM booking WHERE event_id = :eventId AND status = 'CONFIRMED' ORDER BY id FOR UPDATE")
			.param("eventId", eventId)
			.query(BookingRepository::row)
			.list());
	}

	/**
	 * Cancels confirmed bookings, read under their row locks, and revokes their tickets.
	 */
	public void cancel(List<Booking> bookings, Instant at) {
		if (bookings.isEmpty()) {
			return;
		}
		List<UUID> ids = bookings.stream().map(Booking::id).toList();
		this.jdbc
			.sql("UPDATE booking SET status = 'CANCELLED', cancelled_at = :at WHERE id = ANY (CAST(:ids AS uuid[]))")
			.param("at", Sql.timestamp(at))
			.param("ids", Sql.array(ids))
			.update();
		long valid = bookings.stream()
			.flatMap(booking -> booking.tickets().stream())
			.filter(ticket -> ticket.status() != TicketStatus.REVOKED)
			.count();
		int revoked = revokeTickets(ids, at);
		if (revoked != valid) {
			throw new IllegalStateException("Revoked " + revoked + " tickets of bookings that had " + valid);
		}
	}

	private int revokeTickets(List<UUID> bookingIds, Instant at) {
		return this.jdbc.sql("""
				UPDATE ticket SET revoked_at = :at
				 WHERE booking_id = ANY (CAST(:ids AS uuid[])) AND revoked_at IS NULL
				""").param("at", Sql.timestamp(at)).param("ids", Sql.array(bookingIds)).update();
	}

	public List<Booking> pageByCustomer(UUID customerId, PageQuery page) {
		return page("customer_id", customerId, page);
	}

	public List<Booking> pageByEvent(UUID eventId, PageQuery page) {
		return page("event_id", eventId, page);
	}

	public long countByCustomer(UUID customerId) {
		return this.jdbc.sql("SELECT count(*) FROM booking WHERE customer_id = :id")
			.param("id", customerId)
			.query(Long.class)
			.single();
	}

	public long countByEvent(UUID eventId) {
		return this.jdbc.sql("SELECT count(*) FROM booking WHERE event_id = :id")
			.param("id", eventId)
			.query(Long.class)
			.single();
	}

	private List<Booking> page(String column, UUID id, PageQuery page) {
		return withItems(this.jdbc
			.sql("SELECT " + COLUMNS + " FROM booking WHERE " + column
					+ " = :id ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
			.param("id", id)
			.param("limit", page.size())
			.param("offset", page.offset())
			.query(BookingRepository::row)
			.list());
	}

	private Optional<Booking> one(JdbcClient.StatementSpec statement) {
		return withItems(statement.query(BookingRepository::row).list()).stream().findFirst();
	}

	private List<Booking> withItems(List<Booking> bookings) {
		List<UUID> ids = bookings.stream().map(Booking::id).toList();
		Map<UUID, List<Item>> byBooking = this.items.find(ids);
		Map<UUID, List<Ticket>> tickets = tickets(ids);
		return bookings.stream()
			.map(b -> new Booking(b.id(), b.eventId(), b.customerId(), b.holdId(), b.status(),
					byBooking.getOrDefault(b.id(), List.of()), b.total(), b.currency(), b.createdAt(), b.cancelledAt(),
					tickets.getOrDefault(b.id(), List.of())))
			.toList();
	}

	/** The bookings' tickets, each booking's in issue order. */
	private Map<UUID, List<Ticket>> tickets(List<UUID> bookingIds) {
		Map<UUID, List<Ticket>> tickets = new HashMap<>();
		if (bookingIds.isEmpty()) {
			return tickets;
		}
		this.jdbc.sql("""
				SELECT t.booking_id, t.id, t.code, t.category_id, c.code AS category, t.seat,
				       t.revoked_at IS NOT NULL AS revoked, t.checked_in_at IS NOT NULL AS checked_in
				  FROM ticket t JOIN category c ON c.id = t.category_id
				 WHERE t.booking_id = ANY (CAST(:ids AS uuid[]))
				 ORDER BY t.booking_id, t.position
				""").param("ids", Sql.array(bookingIds)).query((rs, n) -> {
			TicketStatus status = rs.getBoolean("revoked") ? TicketStatus.REVOKED
					: rs.getBoolean("checked_in") ? TicketStatus.CHECKED_IN : TicketStatus.VALID;
			return tickets.computeIfAbsent(rs.getObject("booking_id", UUID.class), id -> new ArrayList<>())
				.add(new Ticket(rs.getObject("id", UUID.class), rs.getString("code"),
						rs.getObject("category_id", UUID.class), rs.getString("category"), rs.getString("seat"),
						status));
		}).list();
		return tickets;
	}

	private static Booking row(ResultSet rs, int n) throws SQLException {
		return new Booking(rs.getObject("id", UUID.class), rs.getObject("event_id", UUID.class),
				rs.getObject("customer_id", UUID.class), rs.getObject("hold_id", UUID.class),
				BookingStatus.valueOf(rs.getString("status")), List.of(), rs.getBigDecimal("total_amount"),
				rs.getString("currency"), Sql.instant(rs, "created_at"), Sql.nullableInstant(rs, "cancelled_at"),
				List.of());
	}

}
