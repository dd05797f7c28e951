package io.boxoffice.booking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.boxoffice.booking.HoldRepository.ItemRows;
import io.boxoffice.shared.PageQuery;
import io.boxoffice.shared.Sql;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class BookingRepository {

	private static final String COLUMNS = "id, event_id, customer_id, hold_id, status, total_amount, currency, created_at, cancelled_at";

	private final JdbcClient jdbc;

	private final ItemRows items;

	BookingRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
		this.items = new ItemRows(jdbc, "booking_item", "booking_id");
	}

	void insert(Booking booking) {
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
	}

	/**
	 * Inserts bookings, the group commit's insert: two statements however many bookings
	 * and items, each column one array parameter, so that every batch runs the same
	 * prepared statement and plan.
	 */
	void insertAll(List<Booking> bookings) {
		if (bookings.isEmpty()) {
			return;
		}
		this.jdbc
			.sql("""
					INSERT INTO booking (id, event_id, customer_id, hold_id, status, quantity, total_amount, currency, created_at)
					SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:eventIds AS uuid[]), CAST(:customerIds AS uuid[]),
					                     CAST(:holdIds AS uuid[]), CAST(:statuses AS text[]), CAST(:quantities AS int[]),
					                     CAST(:totals AS numeric[]), CAST(:currencies AS text[]),
					                     CAST(:createdAts AS timestamptz[]))
					""")
			.param("ids", column(bookings, Booking::id))
			.param("eventIds", column(bookings, Booking::eventId))
			.param("customerIds", column(bookings, Booking::customerId))
			.param("holdIds", Sql.array(bookings.stream().map(Booking::holdId).toList()))
			.param("statuses", column(bookings, Booking::status))
			.param("quantities", column(bookings, Booking::quantity))
			.param("totals", column(bookings, booking -> booking.total().toPlainString()))
			.param("currencies", column(bookings, Booking::currency))
			.param("createdAts", column(bookings, Booking::createdAt))
			.update();
		Map<UUID, List<Item>> items = new LinkedHashMap<>();
		bookings.forEach(booking -> items.put(booking.id(), booking.items()));
		this.items.insertAll(items);
	}

	private static String column(List<Booking> bookings, Function<Booking, Object> value) {
		return Sql.array(bookings.stream().map(value).toList());
	}

	Optional<Booking> find(UUID id) {
		return one(this.jdbc.sql("SELECT " + COLUMNS + " FROM booking WHERE id = :id").param("id", id));
	}

	Optional<Booking> findByHold(UUID holdId) {
		return one(
				this.jdbc.sql("SELECT " + COLUMNS + " FROM booking WHERE hold_id = :holdId").param("holdId", holdId));
	}

	/** Locks the booking: its cancellations are serialised on this row. */
	Optional<Booking> findForUpdate(UUID id) {
		return one(this.jdbc.sql("SELECT " + COLUMNS + " FROM booking WHERE id = :id FOR UPDATE").param("id", id));
	}

	/** Locks every confirmed booking of an event (its cancellation). */
	List<Booking> lockConfirmed(UUID eventId) {
		return withItems(this.jdbc
			.sql("SELECT " + COLUMNS
					+ " FROM booking WHERE event_id = :eventId AND status = 'CONFIRMED' ORDER BY id FOR UPDATE")
			.param("eventId", eventId)
			.query(BookingRepository::row)
			.list());
	}

	void cancel(List<UUID> ids, Instant at) {
		if (!ids.isEmpty()) {
			this.jdbc.sql(
					"UPDATE booking SET status = 'CANCELLED', cancelled_at = :at WHERE id = ANY (CAST(:ids AS uuid[]))")
				.param("at", Sql.timestamp(at))
				.param("ids", Sql.array(ids))
				.update();
		}
	}

	List<Booking> pageByCustomer(UUID customerId, PageQuery page) {
		return page("customer_id", customerId, page);
	}

	List<Booking> pageByEvent(UUID eventId, PageQuery page) {
		return page("event_id", eventId, page);
	}

	long countByCustomer(UUID customerId) {
		return this.jdbc.sql("SELECT count(*) FROM booking WHERE customer_id = :id")
			.param("id", customerId)
			.query(Long.class)
			.single();
	}

	long countByEvent(UUID eventId) {
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
		Map<UUID, List<Item>> byBooking = this.items.find(bookings.stream().map(Booking::id).toList());
		return bookings.stream()
			.map(b -> new Booking(b.id(), b.eventId(), b.customerId(), b.holdId(), b.status(),
					byBooking.getOrDefault(b.id(), List.of()), b.total(), b.currency(), b.createdAt(), b.cancelledAt()))
			.toList();
	}

	private static Booking row(ResultSet rs, int n) throws SQLException {
		return new Booking(rs.getObject("id", UUID.class), rs.getObject("event_id", UUID.class),
				rs.getObject("customer_id", UUID.class), rs.getObject("hold_id", UUID.class),
				BookingStatus.valueOf(rs.getString("status")), List.of(), rs.getBigDecimal("total_amount"),
				rs.getString("currency"), Sql.instant(rs, "created_at"), Sql.nullableInstant(rs, "cancelled_at"));
	}

}
