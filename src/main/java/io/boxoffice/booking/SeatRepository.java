package io.boxoffice.booking;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.event.EventInventory.SeatState;
import io.boxoffice.event.SeatRange;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reserved seating: one row per named seat. */
@Repository
class SeatRepository {

	private final JdbcClient jdbc;

	SeatRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** One statement per range, however many seats it has. */
	void insert(UUID eventId, UUID categoryId, int rowRank, SeatRange range) {
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

	/** Seat counts per reserved category of the given events; one query. */
	Map<UUID, Integer> capacities(List<UUID> eventIds) {
		Map<UUID, Integer> capacities = new HashMap<>();
		if (!eventIds.isEmpty()) {
			this.jdbc
				.sql("SELECT category_id, count(*) AS seats FROM seat WHERE event_id IN (:ids) GROUP BY category_id")
				.param("ids", eventIds)
				.query((rs, n) -> capacities.put(rs.getObject("category_id", UUID.class), rs.getInt("seats")))
				.list();
		}
		return capacities;
	}

	/** The seats of an event, or of one category, in seat-map order; one query. */
	List<SeatState> states(UUID eventId, @Nullable UUID categoryId) {
		return this.jdbc.sql("""
				SELECT s.label, c.code, 'AVAILABLE' AS status
				  FROM seat s JOIN category c ON c.id = s.category_id
				 WHERE s.event_id = :eventId AND (CAST(:categoryId AS uuid) IS NULL OR s.category_id = :categoryId)
				 ORDER BY c.position, s.row_rank, s.number
				""")
			.param("eventId", eventId)
			.param("categoryId", categoryId)
			.query((rs, n) -> new SeatState(rs.getString("label"), rs.getString("code"), rs.getString("status")))
			.list();
	}

}
