package io.boxoffice.booking;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import io.boxoffice.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import static io.boxoffice.booking.Seats.reserved;
import static io.boxoffice.booking.Seats.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new hall is known to the planner once its event is created: taken for a few dozen
 * seats, a 20,000-seat hall's first free seats were read by scanning, hashing and sorting
 * all of them in every batch instead of walking the seat map's index.
 */
class SeatStatisticsTest extends IntegrationTest {

	@Test
	void theSeatsOfABigNewHallAreCountedInThePlannersEstimates() {
		// 30 rows of 40: 1,200 seats
		String event = Seats.event(this.api, this.api.organizer(), List
			.of(reserved("STALLS", "40.00", IntStream.rangeClosed(1, 30).mapToObj(r -> row("R" + r, 1, 40)).toList())));
		UUID category = this.jdbc.sql("SELECT id FROM category WHERE event_id = :event")
			.param("event", UUID.fromString(event))
			.query(UUID.class)
			.single();

		assertThat(this.jdbc.sql("SELECT count(*) FROM seat WHERE category_id = :category")
			.param("category", category)
			.query(Long.class)
			.single()).isEqualTo(1200);
		// the estimate comes from a sample of the table: near the hall's size, far above
		// what a category the statistics have not seen is taken for
		assertThat(estimatedSeats(category)).isBetween(900L, 1500L);
	}

	private long estimatedSeats(UUID category) {
		String plan = this.jdbc.sql("EXPLAIN (FORMAT JSON) SELECT * FROM seat WHERE category_id = '" + category + "'")
			.query(String.class)
			.single();
		Map<?, ?> top = (Map<?, ?>) ((List<?>) tools.jackson.databind.json.JsonMapper.shared()
			.readValue(plan, List.class)).get(0);
		return ((Number) ((Map<?, ?>) top.get("Plan")).get("Plan Rows")).longValue();
	}

}
