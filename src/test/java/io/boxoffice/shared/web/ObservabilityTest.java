package io.boxoffice.shared.web;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.MutableClock;
import io.boxoffice.support.SecondInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request ids in headers and logs, and the sales metrics on /actuator/prometheus. An
 * instance of its own with a clock the test moves (to expire a hold without waiting).
 */
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTest {

	private static final MutableClock CLOCK = new MutableClock(
			Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));

	private static SecondInstance instance;

	private static Api api;

	@BeforeAll
	static void start() {
		ApplicationContextInitializer<ConfigurableApplicationContext> clock = (context) -> context.getBeanFactory()
			.registerSingleton("clock", CLOCK);
		instance = SecondInstance.initializedBy(clock, "boxoffice.auth.login-failures-per-account=1");
		api = instance.api();
	}

	@AfterAll
	static void stop() {
		instance.close();
	}

	@Test
	void echoesASaneRequestIdAndReplacesAnythingElse() {
		Response given = api.send(api.request("/api/v1/events", null).header("X-Request-Id", "trace-42.a:b_c").build());
		assertThat(given.header("X-Request-Id")).isEqualTo("trace-42.a:b_c");

		Response hostile = api
			.send(api.request("/api/v1/events", null).header("X-Request-Id", "<script>alert(1)</script>").build());
		assertThat(UUID.fromString(hostile.header("X-Request-Id")).toString())
			.isEqualTo(hostile.header("X-Request-Id"));

		Response tooLong = api.send(api.request("/api/v1/events", null).header("X-Request-Id", "a".repeat(65)).build());
		assertThat(tooLong.header("X-Request-Id")).hasSize(36).isNotEqualTo("a".repeat(65));

		Response none = api.get("/api/v1/events", null);
		assertThat(UUID.fromString(none.header("X-Request-Id"))).isNotNull();
		assertThat(none.header("X-Request-Id")).isNotEqualTo(hostile.header("X-Request-Id"));

		Response refused = api.get("/api/v1/bookings", null);
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("X-Request-Id")).hasSize(36);
	}

	@Test
	void logLinesOfARequestCarryItsId(CapturedOutput output) {
		String email = "obs-" + UUID.randomUUID() + "@example.org";
		api.post("/api/v1/accounts", null, Map.of("email", email, "password", "password-123", "role", "CUSTOMER"))
			.expectStatus(201);
		api.post("/api/v1/auth/token", null, Map.of("email", email, "password", "wrong-password")).expectStatus(401);
		String requestId = "login-" + UUID.randomUUID();

		Response throttled = api.post("/api/v1/auth/token", null, Map.of("email", email, "password", "password-123"),
				Map.of("X-Request-Id", requestId));

		assertThat(throttled.status()).isEqualTo(429);
		assertThat(output.getAll().lines().filter(line -> line.contains("Login refused")))
			.anySatisfy(line -> assertThat(line).contains("[req=" + requestId + "]"));
	}

	@Test
	void countsSalesRejectionsAndExpiriesOnPrometheus() {
		String organizer = api.organizer();
		String customer = api.customer();
		String eventId = api.event(organizer, Map.of("name", "Metrics", "startsAt", "2031-01-01T19:00:00Z",
				"holdTtlSeconds", 10, "categories", java.util.List
					.of(Map.of("code", "GA", "name", "Standing", "price", "25.00", "currency", "EUR", "capacity", 5))));
		String before = scrape();

		api.post("/api/v1/events/" + eventId + "/bookings", customer, Api.items("GA", 2)).expectStatus(201);
		String holdId = api.post("/api/v1/events/" + eventId + "/holds", customer, Api.items("GA", 1))
			.expectStatus(201)
			.json()
			.get("id")
			.asString();
		api.post("/api/v1/holds/" + holdId + "/confirm", customer, null).expectStatus(201);
		api.post("/api/v1/events/" + eventId + "/holds", customer, Api.items("GA", 2)).expectStatus(201);
		api.post("/api/v1/events/" + eventId + "/bookings", customer, Api.items("GA", 1)).expectStatus(409);
		api.get("/api/v1/bookings", null).expectStatus(401);
		// the second hold expires; a sale short of tickets expires it and succeeds
		CLOCK.advance(11);
		api.post("/api/v1/events/" + eventId + "/bookings", customer, Api.items("GA", 2)).expectStatus(201);
		// an idempotent replay is not a new booking
		api.post("/api/v1/events/" + eventId + "/holds", customer, Api.items("GA", 5), Map.of("Idempotency-Key", "k1"))
			.expectStatus(409);

		String after = scrape();
		assertThat(delta(before, after, "boxoffice_bookings_confirmed_total", "via=\"book\"")).isEqualTo(2);
		assertThat(delta(before, after, "boxoffice_bookings_confirmed_total", "via=\"hold\"")).isEqualTo(1);
		assertThat(delta(before, after, "boxoffice_tickets_sold_total", "via=\"book\"")).isEqualTo(4);
		assertThat(delta(before, after, "boxoffice_tickets_sold_total", "via=\"hold\"")).isEqualTo(1);
		assertThat(delta(before, after, "boxoffice_holds_placed_total", "")).isEqualTo(2);
		assertThat(delta(before, after, "boxoffice_holds_expired_total", "")).isEqualTo(1);
		assertThat(delta(before, after, "boxoffice_rejections_total", "code=\"SOLD_OUT\"")).isEqualTo(2);
		assertThat(delta(before, after, "boxoffice_rejections_total", "code=\"UNAUTHENTICATED\"")).isEqualTo(1);
	}

	private static String scrape() {
		return api.get("/actuator/prometheus", null).expectStatus(200).body();
	}

	private static double delta(String before, String after, String name, String tag) {
		return value(after, name, tag) - value(before, name, tag);
	}

	/** The sample of a counter with the given tag; 0 when it was not registered yet. */
	private static double value(String scrape, String name, String tag) {
		return scrape.lines()
			.filter(line -> line.startsWith(name + "{") && line.contains(tag))
			.mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

}
