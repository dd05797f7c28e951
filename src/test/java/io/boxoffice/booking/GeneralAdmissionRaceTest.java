package io.boxoffice.booking;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import io.boxoffice.support.Race;
import io.boxoffice.support.SecondInstance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two buyers, one ticket left, same instant: real HTTP, real threads, real PostgreSQL.
 */
class GeneralAdmissionRaceTest extends IntegrationTest {

	@Test
	void neverOversellsWhen300BuyersRaceFor100Tickets() {
		String eventId = this.api.gaEvent(this.api.organizer(), 100);
		String customer = this.api.customer();

		List<Response> responses = Race.run(300, i -> book(customer, eventId, 1));

		assertOutcome(responses, eventId);
	}

	@Test
	void neverOversellsWhenTwoInstancesShareTheRace() {
		String eventId = this.api.gaEvent(this.api.organizer(), 100);
		String customer = this.api.customer();
		try (SecondInstance second = new SecondInstance()) {
			Api other = second.api();

			List<Response> responses = Race.run(300, i -> ((i % 2 == 0) ? this.api : other)
				.post("/api/v1/events/" + eventId + "/bookings", customer, Api.items("GA", 1)));

			assertOutcome(responses, eventId);
		}
	}

	private void assertOutcome(List<Response> responses, String eventId) {
		Map<Integer, Long> byStatus = responses.stream()
			.collect(Collectors.groupingBy(Response::status, Collectors.counting()));
		assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of(201, 100L, 409, 200L));
		assertThat(responses.stream().filter(r -> r.status() == 409).map(Response::code).distinct())
			.containsExactly("SOLD_OUT");
		assertThat(responses.stream()
			.filter(r -> r.status() == 409)
			.map(r -> r.json().get("available").asInt())
			.distinct()).containsExactly(0);

		assertThat(this.api.counts(eventId, "GA")).isEqualTo(new Counts(100, 0, 0, 100));
		UUID event = UUID.fromString(eventId);
		assertThat(soldInRows(event)).isEqualTo(100);
		assertThat(this.jdbc.sql("SELECT count(*) FROM booking WHERE event_id = :id AND status = 'CONFIRMED'")
			.param("id", event)
			.query(Long.class)
			.single()).isEqualTo(100L);
		List<String> bookingIds = responses.stream()
			.filter(r -> r.status() == 201)
			.map(r -> r.json().get("id").asString())
			.toList();
		assertThat(bookingIds).doesNotHaveDuplicates().hasSize(100);
		Map<String, Long> stored = this.jdbc.sql("SELECT id FROM booking WHERE event_id = :id")
			.param("id", event)
			.query(String.class)
			.list()
			.stream()
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(bookingIds);
	}

	private int soldInRows(UUID eventId) {
		return this.jdbc.sql("""
				SELECT coalesce(sum(i.quantity), 0) FROM booking b JOIN booking_item i ON i.booking_id = b.id
				 WHERE b.event_id = :id AND b.status = 'CONFIRMED'
				""").param("id", eventId).query(Integer.class).single();
	}

}
