package io.boxoffice.booking;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.Race;
import io.boxoffice.support.SecondInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same race against every safe strategy, on one instance and on two: 300 buyers, 100
 * tickets, exactly 100 sold.
 */
class StrategyRaceTest {

	@ParameterizedTest
	@EnumSource(value = Strategy.class,
			names = { "SELECT_FOR_UPDATE", "CONDITIONAL_UPDATE", "OPTIMISTIC", "SERIALIZABLE", "BATCHED" })
	void neverOversellsOnOneOrTwoInstances(Strategy strategy) {
		// Correctness only: per-request strategies hold a connection while they wait for
		// the row, so a burst of 300 buyers may outwait the fail-fast connection timeout,
		// and the batched strategy would shed part of it (OverloadTest shows that).
		String[] properties = { "boxoffice.booking.strategy=" + strategy.name(),
				"spring.datasource.hikari.connection-timeout=60000", "boxoffice.booking.batch.queue-capacity=1000" };
		try (SecondInstance first = new SecondInstance(properties);
				SecondInstance second = new SecondInstance(properties)) {
			Api one = first.api();
			Api two = second.api();
			JdbcClient jdbc = first.context().getBean(JdbcClient.class);
			String customer = one.customer();

			String alone = one.gaEvent(one.organizer(), 100);
			List<Response> onOne = Race.run(300,
					i -> one.post("/api/v1/events/" + alone + "/bookings", customer, Api.items("GA", 1)));
			assertExactlyHundredSold(onOne, one, jdbc, alone);

			String shared = one.gaEvent(one.organizer(), 100);
			List<Response> onTwo = Race.run(300, i -> ((i % 2 == 0) ? one : two)
				.post("/api/v1/events/" + shared + "/bookings", customer, Api.items("GA", 1)));
			assertExactlyHundredSold(onTwo, one, jdbc, shared);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "read-check-write", "jvm-lock" })
	void unsafeStrategiesRefuseToStartWithoutPermission(String strategy) {
		assertThatThrownBy(() -> new SecondInstance("boxoffice.booking.strategy=" + strategy).close())
			.hasStackTraceContaining("can oversell; it starts only with boxoffice.booking.allow-unsafe=true");
	}

	private static void assertExactlyHundredSold(List<Response> responses, Api api, JdbcClient jdbc, String eventId) {
		Map<Integer, Long> byStatus = responses.stream()
			.collect(Collectors.groupingBy(Response::status, Collectors.counting()));
		assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of(201, 100L, 409, 200L));
		assertThat(responses.stream().filter(r -> r.status() == 409).map(Response::code).distinct())
			.containsExactly("SOLD_OUT");
		assertThat(api.counts(eventId, "GA")).isEqualTo(new Counts(100, 0, 0, 100));
		assertThat(jdbc.sql("""
				SELECT coalesce(sum(i.quantity), 0) FROM booking b JOIN booking_item i ON i.booking_id = b.id
				 WHERE b.event_id = :id AND b.status = 'CONFIRMED'
				""").param("id", UUID.fromString(eventId)).query(Integer.class).single()).isEqualTo(100);
	}

}
