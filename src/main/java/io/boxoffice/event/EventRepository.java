package io.boxoffice.event;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import io.boxoffice.shared.PageQuery;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class EventRepository {

	private static final String EVENT_COLUMNS = """
			id, organizer_id, name, venue, starts_at, sales_open_at, sales_close_at, status,
			hold_ttl_seconds, max_tickets_per_customer, created_at, queue_max_active, queue_pass_ttl_seconds""";

	/** The same, of the event aliased {@code e} in a join. */
	private static final String EVENT_COLUMNS_OF_E = Arrays.stream(EVENT_COLUMNS.split(","))
		.map(column -> "e." + column.strip())
		.collect(Collectors.joining(", "));

	private final JdbcClient jdbc;

	EventRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(Event event) {
		QueueSettings queue = event.queue();
		this.jdbc.sql("""
				INSERT INTO event (id, organizer_id, name, venue, starts_at, sales_open_at, sales_close_at, status,
				                   hold_ttl_seconds, max_tickets_per_customer, created_at, queue_max_active,
				                   queue_pass_ttl_seconds)
				VALUES (:id, :organizerId, :name, :venue, :startsAt, :salesOpenAt, :salesCloseAt, :status,
				        :holdTtlSeconds, :maxTickets, :createdAt, :queueMaxActive, :queuePassTtl)
				""")
			.param("id", event.id())
			.param("organizerId", event.organizerId())
			.param("name", event.name())
			.param("venue", event.venue())
			.param("startsAt", Sql.timestamp(event.startsAt()))
			.param("salesOpenAt", Sql.timestamp(event.salesOpenAt()))
			.param("salesCloseAt", Sql.timestamp(event.salesCloseAt()))
			.param("status", event.status().name())
			.param("holdTtlSeconds", event.holdTtlSeconds())
			.param("maxTickets", event.maxTicketsPerCustomer())
			.param("createdAt", Sql.timestamp(event.createdAt()))
			.param("queueMaxActive", (queue != null) ? queue.maxActiveBuyers() : null)
			.param("queuePassTtl", (queue != null) ? queue.passTtlSeconds() : null)
			.update();
		int position = 0;
		for (Category category : event.categories()) {
			this.jdbc.sql("""
					INSERT INTO category (id, event_id, position, code, name, kind, price, currency, capacity)
					VALUES (:id, :eventId, :position, :code, :name, :kind, :price, :currency, :capacity)
					""")
				.param("id", category.id())
				.param("eventId", event.id())
				.param("position", position++)
				.param("code", category.code())
				.param("name", category.name())
				.param("kind", category.kind().name())
				.param("price", category.price())
				.param("currency", category.currency())
				.param("capacity", category.capacity())
				.update();
		}
	}

	Optional<Event> find(UUID id) {
		return first(this.jdbc.sql("SELECT " + EVENT_COLUMNS + " FROM event WHERE id = :id").param("id", id));
	}

	/**
	 * Reads the event with its categories (one round trip, as every batch of a sale
	 * begins with it) and keeps a share lock on it to the end of the transaction: a sale
	 * in progress and the event's cancellation exclude each other, so no ticket is sold
	 * on an event that a committed cancellation has already emptied.
	 */
	Optional<Event> findForSale(UUID id) {
		List<EventRow> event = new ArrayList<>(1);
		List<Category> categories = new ArrayList<>();
		this.jdbc.sql("SELECT " + EVENT_COLUMNS_OF_E + """
				, c.id AS category_id, c.code, c.name AS category_name, c.kind, c.price, c.currency, c.capacity
				  FROM event e LEFT JOIN category c ON c.event_id = e.id
				 WHERE e.id = :id
				 ORDER BY c.position
				   FOR SHARE OF e
				""").param("id", id).query(rs -> {
			if (event.isEmpty()) {
				event.add(eventRow(rs, 0));
			}
			if (rs.getObject("category_id") != null) {
				categories.add(category(rs, "category_id", "category_name"));
			}
		});
		return event.stream().findFirst().map(row -> row.toEvent(categories));
	}

	/** Locks the event against concurrent sales while it is cancelled. */
	Optional<Event> findForCancel(UUID id) {
		return first(
				this.jdbc.sql("SELECT " + EVENT_COLUMNS + " FROM event WHERE id = :id FOR UPDATE").param("id", id));
	}

	void markCancelled(UUID id) {
		this.jdbc.sql("UPDATE event SET status = 'CANCELLED' WHERE id = :id").param("id", id).update();
	}

	List<Event> newest(@Nullable UUID organizerId, PageQuery page) {
		return withCategories(this.jdbc.sql("SELECT " + EVENT_COLUMNS + """
				 FROM event
				WHERE (CAST(:organizerId AS uuid) IS NULL OR organizer_id = :organizerId)
				ORDER BY created_at DESC, id DESC
				LIMIT :limit OFFSET :offset
				""")
			.param("organizerId", organizerId)
			.param("limit", page.size())
			.param("offset", page.offset())
			.query(EventRepository::eventRow)
			.list());
	}

	long count(@Nullable UUID organizerId) {
		return this.jdbc
			.sql("SELECT count(*) FROM event WHERE (CAST(:organizerId AS uuid) IS NULL OR organizer_id = :organizerId)")
			.param("organizerId", organizerId)
			.query(Long.class)
			.single();
	}

	private Optional<Event> first(JdbcClient.StatementSpec statement) {
		return withCategories(statement.query(EventRepository::eventRow).list()).stream().findFirst();
	}

	private List<Event> withCategories(List<EventRow> rows) {
		if (rows.isEmpty()) {
			return List.of();
		}
		Map<UUID, List<Category>> categories = new LinkedHashMap<>();
		this.jdbc.sql("""
				SELECT event_id, id, code, name, kind, price, currency, capacity
				  FROM category WHERE event_id IN (:ids) ORDER BY event_id, position
				""").param("ids", rows.stream().map(EventRow::id).toList()).query(rs -> {
			categories.computeIfAbsent(rs.getObject("event_id", UUID.class), id -> new ArrayList<>())
				.add(category(rs, "id", "name"));
		});
		return rows.stream().map(row -> row.toEvent(categories.getOrDefault(row.id(), List.of()))).toList();
	}

	private static Category category(ResultSet rs, String idColumn, String nameColumn) throws SQLException {
		return new Category(rs.getObject(idColumn, UUID.class), rs.getString("code"), rs.getString(nameColumn),
				CategoryKind.valueOf(rs.getString("kind")), rs.getBigDecimal("price"), rs.getString("currency"),
				rs.getInt("capacity"));
	}

	private static EventRow eventRow(ResultSet rs, int n) throws SQLException {
		Integer maxTickets = rs.getObject("max_tickets_per_customer", Integer.class);
		Integer queueMaxActive = rs.getObject("queue_max_active", Integer.class);
		QueueSettings queue = (queueMaxActive != null)
				? new QueueSettings(queueMaxActive, rs.getInt("queue_pass_ttl_seconds")) : null;
		return new EventRow(rs.getObject("id", UUID.class), rs.getObject("organizer_id", UUID.class),
				rs.getString("name"), rs.getString("venue"), Sql.instant(rs, "starts_at"),
				Sql.instant(rs, "sales_open_at"), Sql.instant(rs, "sales_close_at"),
				EventStatus.valueOf(rs.getString("status")), rs.getInt("hold_ttl_seconds"), maxTickets,
				Sql.instant(rs, "created_at"), queue);
	}

	private record EventRow(UUID id, UUID organizerId, String name, @Nullable String venue, Instant startsAt,
			Instant salesOpenAt, Instant salesCloseAt, EventStatus status, int holdTtlSeconds,
			@Nullable Integer maxTickets, Instant createdAt, @Nullable QueueSettings queue) {

		Event toEvent(List<Category> categories) {
			return new Event(this.id, this.organizerId, this.name, this.venue, this.startsAt, this.salesOpenAt,
					this.salesCloseAt, this.status, this.holdTtlSeconds, this.maxTickets, categories, this.createdAt,
					this.queue);
		}

	}

}
