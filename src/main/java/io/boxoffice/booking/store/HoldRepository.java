package io.boxoffice.booking.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.boxoffice.booking.Hold;
import io.boxoffice.booking.HoldStatus;
import io.boxoffice.booking.Item;
import io.boxoffice.event.CategoryKind;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

@Repository
public class HoldRepository {

	private static final String COLUMNS = "id, event_id, customer_id, status, expires_at, total_amount, currency, created_at";

	/** Inserts holds, each column one array parameter. */
	private static final String INSERT_HOLDS = """
			INSERT INTO hold (id, event_id, customer_id, status, quantity, total_amount, currency, created_at, expires_at)
			SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:eventIds AS uuid[]), CAST(:customerIds AS uuid[]),
			                     CAST(:statuses AS text[]), CAST(:quantities AS int[]), CAST(:totals AS numeric[]),
			                     CAST(:currencies AS text[]), CAST(:createdAts AS timestamptz[]),
			                     CAST(:expiresAts AS timestamptz[]))
			""";

	private final JdbcClient jdbc;

	private final ItemRows items;

	/** Inserts holds with their items in one statement. */
	private final String insertAll;

	/**
	 * The holds made here lately, as committed, until they end: their event, customer and
	 * items never change, so confirming one of them (the next request of a buyer who just
	 * held) asks the database neither which event's sale it belongs to nor, for general
	 * admission, its items; the sale still reads and locks the hold's row. The items of
	 * holds with seats are read from the database, their seats in seat-map order.
	 */
	private final Cache<UUID, Recent> recent = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterWrite(Duration.ofHours(2))
		.build();

	/** A hold made here: {@code items} unless it has seats. */
	private record Recent(UUID eventId, UUID customerId, @Nullable List<Item> items) {
	}

	HoldRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
		this.items = new ItemRows(jdbc, "hold_item", "hold_id");
		this.insertAll = "WITH " + this.items.insertAllClause() + "\n" + INSERT_HOLDS;
	}

	public void insert(Hold hold) {
		this.jdbc
			.sql("""
					INSERT INTO hold (id, event_id, customer_id, status, quantity, total_amount, currency, created_at, expires_at)
					VALUES (:id, :eventId, :customerId, :status, :quantity, :total, :currency, :createdAt, :expiresAt)
					""")
			.param("id", hold.id())
			.param("eventId", hold.eventId())
			.param("customerId", hold.customerId())
			.param("status", hold.status().name())
			.param("quantity", hold.quantity())
			.param("total", hold.total())
			.param("currency", hold.currency())
			.param("createdAt", Sql.timestamp(hold.createdAt()))
			.param("expiresAt", Sql.timestamp(hold.expiresAt()))
			.update();
		this.items.insert(hold.id(), hold.items());
		remember(List.of(hold));
	}

	/**
	 * Inserts holds, the group commit's insert: one statement however many holds and
	 * items.
	 */
	public void insertAll(List<Hold> holds) {
		if (holds.isEmpty()) {
			return;
		}
		Map<UUID, List<Item>> items = new LinkedHashMap<>();
		holds.forEach(hold -> items.put(hold.id(), hold.items()));
		this.items.bindAll(this.jdbc.sql(this.insertAll), items)
			.param("ids", Sql.array(holds.stream().map(Hold::id).toList()))
			.param("eventIds", Sql.array(holds.stream().map(Hold::eventId).toList()))
			.param("customerIds", Sql.array(holds.stream().map(Hold::customerId).toList()))
			.param("statuses", Sql.array(holds.stream().map(Hold::status).toList()))
			.param("quantities", Sql.array(holds.stream().map(Hold::quantity).toList()))
			.param("totals", Sql.array(holds.stream().map(hold -> hold.total().toPlainString()).toList()))
			.param("currencies", Sql.array(holds.stream().map(Hold::currency).toList()))
			.param("createdAts", Sql.array(holds.stream().map(Hold::createdAt).toList()))
			.param("expiresAts", Sql.array(holds.stream().map(Hold::expiresAt).toList()))
			.update();
		remember(holds);
	}

	/** Remembers new holds once their transaction commits. */
	private void remember(List<Hold> holds) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return;
		}
		Map<UUID, Recent> made = new HashMap<>();
		holds.forEach(hold -> made.put(hold.id(), new Recent(hold.eventId(), hold.customerId(),
				hold.items().stream().allMatch(item -> item.seats().isEmpty()) ? hold.items() : null)));
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				HoldRepository.this.recent.putAll(made);
			}
		});
	}

	/**
	 * Locks these holds in id order (the order every batch keeps), with their items.
	 */
	public List<Hold> lockAll(Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return withItems(this.jdbc
			.sql("SELECT " + COLUMNS + " FROM hold WHERE id = ANY (CAST(:ids AS uuid[])) ORDER BY id FOR UPDATE")
			.param("ids", Sql.array(ids))
			.query(HoldRepository::row)
			.list());
	}

	public Optional<Hold> find(UUID id) {
		return one(this.jdbc.sql("SELECT " + COLUMNS + " FROM hold WHERE id = :id").param("id", id));
	}

	/**
	 * The event of the customer's hold: known if it was made here, else one index probe.
	 */
	public Optional<UUID> eventOf(UUID holdId, UUID customerId) {
		Recent made = this.recent.getIfPresent(holdId);
		if (made != null && made.customerId().equals(customerId)) {
			return Optional.of(made.eventId());
		}
		return this.jdbc.sql("SELECT event_id FROM hold WHERE id = :id AND customer_id = :customer")
			.param("id", holdId)
			.param("customer", customerId)
			.query(UUID.class)
			.optional();
	}

	/**
	 * Locks the hold: confirm, release, expiry and cancellation of one hold are
	 * serialised on this row.
	 */
	public Optional<Hold> findForUpdate(UUID id) {
		return one(this.jdbc.sql("SELECT " + COLUMNS + " FROM hold WHERE id = :id FOR UPDATE").param("id", id));
	}

	/**
	 * Locks up to {@code limit} holds that are ACTIVE but expired at {@code now},
	 * skipping any another transaction holds, so that sweepers on every instance share
	 * the work without waiting or releasing a hold twice.
	 */
	public List<Hold> lockExpired(Instant now, int limit) {
		return withItems(this.jdbc.sql("SELECT " + COLUMNS + """
				 FROM hold
				WHERE status = 'ACTIVE' AND expires_at <= :now
				ORDER BY expires_at
				LIMIT :limit
				FOR UPDATE SKIP LOCKED
				""").param("now", Sql.timestamp(now)).param("limit", limit).query(HoldRepository::row).list());
	}

	/**
	 * Locks up to {@code limit} expired holds of one event, waiting for any that another
	 * transaction has, so that a sale short of tickets sees every expired hold's tickets
	 * returned. Several holds are always locked in id order, as the event's cancellation
	 * does.
	 */
	public List<Hold> lockExpired(UUID eventId, Instant now, int limit) {
		return withItems(this.jdbc.sql("SELECT " + COLUMNS + """
				 FROM hold
				WHERE event_id = :eventId AND status = 'ACTIVE' AND expires_at <= :now
				ORDER BY id
				LIMIT :limit
				FOR UPDATE
				""")
			.param("eventId", eventId)
			.param("now", Sql.timestamp(now))
			.param("limit", limit)
			.query(HoldRepository::row)
			.list());
	}

	/**
	 * Whether the event has an ACTIVE hold past its expiry at {@code now}: one index
	 * probe, which a batch asks before it reads so that lapsed holds are expired first.
	 */
	public boolean anyExpired(UUID eventId, Instant now) {
		return this.jdbc
			.sql("""
					SELECT EXISTS (SELECT 1 FROM hold WHERE event_id = :eventId AND status = 'ACTIVE' AND expires_at <= :now)
					""")
			.param("eventId", eventId)
			.param("now", Sql.timestamp(now))
			.query(Boolean.class)
			.single();
	}

	/** Locks every ACTIVE hold of an event (its cancellation). */
	public List<Hold> lockActive(UUID eventId) {
		return withItems(this.jdbc
			.sql("SELECT " + COLUMNS
					+ " FROM hold WHERE event_id = :eventId AND status = 'ACTIVE' ORDER BY id FOR UPDATE")
			.param("eventId", eventId)
			.query(HoldRepository::row)
			.list());
	}

	public void setStatus(Collection<UUID> ids, HoldStatus status) {
		if (!ids.isEmpty()) {
			// an ended hold is read again only to show it
			this.recent.invalidateAll(ids);
			this.jdbc.sql("UPDATE hold SET status = :status WHERE id = ANY (CAST(:ids AS uuid[]))")
				.param("status", status.name())
				.param("ids", Sql.array(ids))
				.update();
		}
	}

	private Optional<Hold> one(JdbcClient.StatementSpec statement) {
		return withItems(statement.query(HoldRepository::row).list()).stream().findFirst();
	}

	private List<Hold> withItems(List<Hold> holds) {
		Map<UUID, List<Item>> byHold = new HashMap<>();
		List<UUID> unknown = new ArrayList<>();
		for (Hold hold : holds) {
			Recent made = this.recent.getIfPresent(hold.id());
			if (made != null && made.items() != null) {
				byHold.put(hold.id(), made.items());
			}
			else {
				unknown.add(hold.id());
			}
		}
		byHold.putAll(this.items.find(unknown));
		return holds.stream()
			.map(hold -> new Hold(hold.id(), hold.eventId(), hold.customerId(), hold.status(), hold.expiresAt(),
					byHold.getOrDefault(hold.id(), List.of()), hold.total(), hold.currency(), hold.createdAt()))
			.toList();
	}

	private static Hold row(ResultSet rs, int n) throws SQLException {
		return new Hold(rs.getObject("id", UUID.class), rs.getObject("event_id", UUID.class),
				rs.getObject("customer_id", UUID.class), HoldStatus.valueOf(rs.getString("status")),
				Sql.instant(rs, "expires_at"), List.of(), rs.getBigDecimal("total_amount"), rs.getString("currency"),
				Sql.instant(rs, "created_at"));
	}

	/** The item rows of holds or bookings; both tables have the same shape. */
	static final class ItemRows {

		private final JdbcClient jdbc;

		private final String table;

		private final String owner;

		ItemRows(JdbcClient jdbc, String table, String owner) {
			this.jdbc = jdbc;
			this.table = table;
			this.owner = owner;
		}

		void insert(UUID ownerId, List<Item> items) {
			for (int position = 0; position < items.size(); position++) {
				Item item = items.get(position);
				this.jdbc
					.sql("INSERT INTO " + this.table + " (" + this.owner
							+ ", position, category_id, quantity) VALUES (:owner, :position, :categoryId, :quantity)")
					.param("owner", ownerId)
					.param("position", position)
					.param("categoryId", item.categoryId())
					.param("quantity", item.quantity())
					.update();
			}
		}

		/**
		 * The clause of a {@code WITH} named {@code items} that inserts the items of
		 * several owners, each at its position, in the statement that inserts the owners
		 * (a foreign key is checked once the whole statement has run); {@link #bindAll}
		 * binds it.
		 */
		String insertAllClause() {
			return "items AS (INSERT INTO " + this.table + " (" + this.owner + ", position, category_id, quantity)"
					+ " SELECT * FROM unnest(CAST(:itemOwners AS uuid[]), CAST(:itemPositions AS int[]),"
					+ " CAST(:itemCategories AS uuid[]), CAST(:itemQuantities AS int[])))";
		}

		/**
		 * Binds the items of several owners to the statement's {@link #insertAllClause}.
		 */
		StatementSpec bindAll(StatementSpec statement, Map<UUID, List<Item>> byOwner) {
			List<UUID> owners = new ArrayList<>();
			List<Integer> positions = new ArrayList<>();
			List<UUID> categories = new ArrayList<>();
			List<Integer> quantities = new ArrayList<>();
			byOwner.forEach((owner, items) -> {
				for (int position = 0; position < items.size(); position++) {
					owners.add(owner);
					positions.add(position);
					categories.add(items.get(position).categoryId());
					quantities.add(items.get(position).quantity());
				}
			});
			return statement.param("itemOwners", Sql.array(owners))
				.param("itemPositions", Sql.array(positions))
				.param("itemCategories", Sql.array(categories))
				.param("itemQuantities", Sql.array(quantities));
		}

		/**
		 * The items of the owners in position order, each with its seats in seat-map
		 * order: one query however many owners, and a second for the seats when an item
		 * is of reserved seats.
		 */
		Map<UUID, List<Item>> find(Collection<UUID> ownerIds) {
			Map<UUID, List<Item>> items = new HashMap<>();
			if (ownerIds.isEmpty()) {
				return items;
			}
			List<ItemRow> rows = this.jdbc
				.sql("SELECT i." + this.owner + " AS owner, i.position, i.category_id, c.code, c.kind, i.quantity FROM "
						+ this.table + " i JOIN category c ON c.id = i.category_id WHERE i." + this.owner
						+ " = ANY (CAST(:ids AS uuid[])) ORDER BY i.position")
				.param("ids", Sql.array(ownerIds))
				.query((rs, n) -> new ItemRow(rs.getObject("owner", UUID.class), rs.getInt("position"),
						rs.getObject("category_id", UUID.class), rs.getString("code"), rs.getInt("quantity"),
						CategoryKind.valueOf(rs.getString("kind")) == CategoryKind.RESERVED))
				.list();
			List<UUID> seated = rows.stream().filter(ItemRow::reserved).map(ItemRow::owner).distinct().toList();
			Map<UUID, Map<Integer, List<String>>> seats = new HashMap<>();
			if (!seated.isEmpty()) {
				this.jdbc
					.sql("SELECT c." + this.owner + " AS owner, c.position, s.label FROM seat_claim c"
							+ " JOIN seat s ON s.id = c.seat_id WHERE c." + this.owner
							+ " = ANY (CAST(:ids AS uuid[])) ORDER BY s.row_rank, s.number")
					.param("ids", Sql.array(seated))
					.query((rs, n) -> seats.computeIfAbsent(rs.getObject("owner", UUID.class), id -> new HashMap<>())
						.computeIfAbsent(rs.getInt("position"), position -> new ArrayList<>())
						.add(rs.getString("label")))
					.list();
			}
			for (ItemRow row : rows) {
				items.computeIfAbsent(row.owner(), id -> new ArrayList<>())
					.add(new Item(row.categoryId(), row.code(), row.quantity(),
							seats.getOrDefault(row.owner(), Map.of()).getOrDefault(row.position(), List.of())));
			}
			return items;
		}

		/** An item as read, before its seats are known. */
		private record ItemRow(UUID owner, int position, UUID categoryId, String code, int quantity, boolean reserved) {
		}

	}

}
