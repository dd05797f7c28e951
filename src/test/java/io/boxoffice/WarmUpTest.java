package io.boxoffice;

import java.util.List;
import java.util.Map;

import io.boxoffice.support.SecondInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A started instance sends itself the requests of a sale before it reports ready, and
 * they change nothing.
 */
class WarmUpTest {

	private static final List<String> TABLES = List.of("account", "event", "hold", "booking", "ticket",
			"idempotency_record", "customer_tally");

	@Test
	void warmsTheSalePathUpBeforeReadinessAndWritesNothing() {
		Map<String, Long> before;
		try (SecondInstance quiet = new SecondInstance()) {
			before = rows(quiet.context().getBean(JdbcClient.class));
		}
		try (SecondInstance instance = new SecondInstance("boxoffice.warm-up.enabled=true",
				"boxoffice.warm-up.duration=500ms", "boxoffice.warm-up.clients=2")) {
			MeterRegistry meters = instance.context().getBean(MeterRegistry.class);
			// the start returned after the warm-up, which ran before the instance was
			// ready
			assertThat(instance.context().getBean(ApplicationAvailability.class).getReadinessState())
				.isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
			assertThat(instance.context().getBean(WarmUp.class).health().getStatus()).isEqualTo(Status.UP);
			assertThat(instance.api().get("/actuator/health", null).status()).isEqualTo(200);
			for (String uri : List.of("/api/v1/events/{eventId}/bookings", "/api/v1/events/{eventId}/holds",
					"/api/v1/holds/{holdId}/confirm", "/api/v1/events/{eventId}/availability")) {
				List<Timer> answers = meters.find("http.server.requests").tag("uri", uri).timers().stream().toList();
				assertThat(answers).as(uri).isNotEmpty();
				assertThat(answers).as(uri)
					.allSatisfy(answer -> assertThat(answer.getId().getTag("status")).isEqualTo("404"));
			}
			assertThat(rows(instance.context().getBean(JdbcClient.class))).isEqualTo(before);
		}
	}

	@Test
	void isOutOfServiceUntilItHasRun() {
		WarmUp warmUp = new WarmUp(new WarmUpProperties(true, java.time.Duration.ofSeconds(1), 1), null, null);

		assertThat(warmUp.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
	}

	private static Map<String, Long> rows(JdbcClient jdbc) {
		return TABLES.stream()
			.collect(java.util.stream.Collectors.toMap(table -> table,
					table -> jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single()));
	}

}
