package io.boxoffice.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import io.boxoffice.BoxofficeApplication;
import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Response;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes away for a few seconds while customers book: every request still gets
 * a prompt answer (201, or 503 UNAVAILABLE with Retry-After and no internals, or 503
 * OUTCOME_UNKNOWN for a sale whose COMMIT was in flight when it went), health turns DOWN,
 * and once the database is back the same instance sells again without a restart, with
 * nothing half-done. Runs against a PostgreSQL of its own, so stopping it disturbs no
 * other test.
 */
class DatabaseOutageTest {

	/** Hang guard only: a request must complete, not within any particular time. */
	private static final Duration HANG_GUARD = Duration.ofSeconds(30);

	private Path dataDir;

	private int dbPort;

	private EmbeddedPostgres postgres;

	private ConfigurableApplicationContext service;

	@AfterEach
	void tearDown() throws IOException {
		if (this.service != null) {
			this.service.close();
		}
		if (this.postgres != null) {
			this.postgres.close();
		}
	}

	@Test
	void failsFastDuringAnOutageAndRecoversByItself() throws Exception {
		this.dataDir = Files.createTempDirectory("boxoffice-outage-pg");
		this.dbPort = freePort();
		startDatabase();
		this.service = new SpringApplicationBuilder(BoxofficeApplication.class).run(
				"--spring.datasource.url=" + this.postgres.getJdbcUrl("postgres", "postgres"),
				"--spring.datasource.username=postgres", "--spring.datasource.password=", "--server.port=0");
		Api api = new Api(((WebServerApplicationContext) this.service).getWebServer().getPort());
		String eventId = api.gaEvent(api.organizer(), 100_000);
		List<String> customers = List.of(api.customer(), api.customer(), api.customer(), api.customer());
		String bookings = "/api/v1/events/" + eventId + "/bookings";

		Map<String, Response> lastAnswer = new ConcurrentHashMap<>();
		ConcurrentLinkedQueue<Response> answers = new ConcurrentLinkedQueue<>();
		AtomicBoolean stop = new AtomicBoolean();
		ExecutorService load = Executors.newFixedThreadPool(6);
		List<Future<?>> workers = new ArrayList<>();
		for (int w = 0; w < 6; w++) {
			int worker = w;
			workers.add(load.submit(() -> {
				for (int n = 0; !stop.get(); n++) {
					String key = "outage-" + worker + "-" + n;
					Response response = book(api, bookings, customers.get(worker % customers.size()), key);
					lastAnswer.put(key, response);
					answers.add(response);
				}
				return null;
			}));
		}
		awaitCondition(() -> count(answers, 201) >= 30, "bookings before the outage");

		this.postgres.close();
		this.postgres = null;
		awaitCondition(() -> count(answers, 503) >= 20, "503s during the outage");
		Response health = guarded(api, "/actuator/health", null);
		assertThat(health.status()).isEqualTo(503);
		assertThat(health.json().get("status").asString()).isEqualTo("DOWN");
		Response availability = guarded(api, "/api/v1/events/" + eventId + "/availability", null);
		assertUnavailable(availability);
		assertThat(availability.code()).isEqualTo("UNAVAILABLE");

		startDatabase();
		awaitCondition(() -> guarded(api, "/actuator/health", null).status() == 200, "health UP again");
		int before = count(answers, 201);
		awaitCondition(() -> count(answers, 201) >= before + 30, "bookings after the outage");
		stop.set(true);
		for (Future<?> worker : workers) {
			worker.get(HANG_GUARD.toSeconds() * 4, TimeUnit.SECONDS);
		}
		load.shutdown();

		System.out.printf("Database outage: %d answers, %d x 201, %d x 503, %d keys booked%n", answers.size(),
				count(answers, 201), count(answers, 503), lastAnswer.size());
		assertThat(answers).extracting(Response::status).containsOnly(201, 503);
		answers.stream().filter(r -> r.status() == 503).forEach(DatabaseOutageTest::assertUnavailable);

		// a 503 said nothing was booked, or that it is not known; retried with its key,
		// each gets its one booking (or, if the commit landed, the replay of it): never
		// two
		Set<String> bookingIds = ConcurrentHashMap.newKeySet();
		lastAnswer.forEach((key, response) -> {
			int worker = Integer.parseInt(key.split("-")[1]);
			Response last = (response.status() == 503)
					? book(api, bookings, customers.get(worker % customers.size()), key) : response;
			last.expectStatus(201);
			assertThat(bookingIds.add(last.json().get("id").asString())).isTrue();
		});
		JsonNode stored = api.get("/api/v1/events/" + eventId + "/availability", null).expectStatus(200).json();
		assertThat(stored.get("categories").get(0).get("sold").asInt()).isEqualTo(lastAnswer.size());
		JsonNode consistency = api.get("/actuator/consistency/" + eventId, null).expectStatus(200).json();
		assertThat(consistency.get("consistent").asBoolean()).isTrue();
		assertThat(consistency.get("findings").get(0).get("counters").get("sold").asInt()).isEqualTo(lastAnswer.size());
	}

	private static Response book(Api api, String path, String customer, String key) {
		return api.send(api.request(path, customer)
			.timeout(HANG_GUARD)
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key)
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(Api.json(Api.items("GA", 1))))
			.build());
	}

	private static Response guarded(Api api, String path, String token) {
		return api.send(api.request(path, token).timeout(HANG_GUARD).GET().build());
	}

	private static void assertUnavailable(Response response) {
		assertThat(response.status()).isEqualTo(503);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.code()).isIn("UNAVAILABLE", "OUTCOME_UNKNOWN");
		assertThat(response.header("Retry-After")).isEqualTo("1");
		assertThat(response.body()).doesNotContainIgnoringCase("exception")
			.doesNotContainIgnoringCase("sql")
			.doesNotContainIgnoringCase("jdbc")
			.doesNotContainIgnoringCase("hikari")
			.doesNotContain("org.")
			.doesNotContain("127.0.0.1");
	}

	private static int count(ConcurrentLinkedQueue<Response> answers, int status) {
		return (int) answers.stream().filter(r -> r.status() == status).count();
	}

	/** Waits for what the test needs next; the bound only guards against a hang. */
	private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Gave up waiting for " + what);
			}
			Thread.sleep(100);
		}
	}

	private void startDatabase() throws IOException {
		this.postgres = EmbeddedPostgres.builder()
			.setDataDirectory(this.dataDir)
			.setCleanDataDirectory(false)
			.setPort(this.dbPort)
			.start();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
