package io.boxoffice.faults;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.boxoffice.BoxofficeApplication;
import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.Ledger;
import io.boxoffice.support.RowLock;
import io.boxoffice.support.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection to the database breaks after a sale's COMMIT reached the server and
 * before its acknowledgement reached the service ({@link CommitCutter} in between). The
 * buyer is told what happened: 201 (or 200, 204) with the real result when the commit
 * took, or 503 OUTCOME_UNKNOWN while the database cannot be asked, never 503 UNAVAILABLE
 * ("nothing was booked") for a sale that was booked. Every sale happens exactly once.
 */
class LostCommitAcknowledgementTest {

	private final JdbcClient jdbc = JdbcClient.create(new DriverManagerDataSource(TestDatabase.jdbcUrl()));

	private CommitCutter cutter;

	private ConfigurableApplicationContext service;

	private Api api;

	@AfterEach
	void tearDown() throws Exception {
		if (this.service != null) {
			this.service.close();
		}
		if (this.cutter != null) {
			this.cutter.close();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "batched", "select-for-update", "serializable" })
	void everySaleIsAnsweredByWhatItsCommitDid(String strategy) {
		start(strategy);
		String organizer = this.api.organizer();
		String event = this.api.gaEvent(organizer, 10, 60, null);
		String customer = this.api.customer();
		Map<String, String> key = Map.of("Idempotency-Key", "lost-ack-" + strategy);

		this.cutter.cutCommitOf("INSERT INTO booking", 0, false);
		Response booked = this.api.post(bookings(event), customer, Api.items("GA", 2), key);
		assertThat(this.cutter.cuts()).isEqualTo(1);
		assertThat(booked.status()).as(booked.body()).isEqualTo(201);
		String bookingId = booked.json().get("id").asString();
		assertThat(booked.header("Location")).isEqualTo("/api/v1/bookings/" + bookingId);
		assertThat(bookingIds(event)).containsExactly(bookingId);
		Response replayed = this.api.post(bookings(event), customer, Api.items("GA", 2), key).expectStatus(201);
		assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(replayed.json().get("id").asString()).isEqualTo(bookingId);

		this.cutter.cutCommitOf("INSERT INTO hold ", 0, false);
		Response hold = this.api.post("/api/v1/events/" + event + "/holds", customer, Api.items("GA", 3));
		assertThat(this.cutter.cuts()).isEqualTo(2);
		assertThat(hold.status()).as(hold.body()).isEqualTo(201);
		String holdId = hold.json().get("id").asString();
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(10, 5, 3, 2));

		this.cutter.cutCommitOf("INSERT INTO booking", 0, false);
		Response confirmed = this.api.post("/api/v1/holds/" + holdId + "/confirm", customer, null);
		assertThat(this.cutter.cuts()).isEqualTo(3);
		assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(201);
		assertThat(confirmed.json().get("holdId").asString()).isEqualTo(holdId);
		assertThat(bookingIds(event)).containsExactlyInAnyOrder(bookingId, confirmed.json().get("id").asString());

		this.cutter.cutCommitOf("UPDATE booking SET status = 'CANCELLED'", 0, false);
		Response cancelled = this.api.post("/api/v1/bookings/" + bookingId + "/cancel", customer, null);
		assertThat(this.cutter.cuts()).isEqualTo(4);
		assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
		assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");

		String released = this.api.post("/api/v1/events/" + event + "/holds", customer, Api.items("GA", 1))
			.expectStatus(201)
			.json()
			.get("id")
			.asString();
		this.cutter.cutCommitOf("UPDATE hold SET status", 0, false);
		Response release = this.api.delete("/api/v1/holds/" + released, customer);
		assertThat(this.cutter.cuts()).isEqualTo(5);
		assertThat(release.status()).as(release.body()).isEqualTo(204);

		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(10, 7, 0, 3));
		Ledger.assertBalanced(this.jdbc);
	}

	/**
	 * One group commit decides several requests: each is answered its own outcome of the
	 * commit whose acknowledgement was lost, granted or refused.
	 */
	@Test
	void everyRequestOfABatchGetsItsOwnOutcome() throws Exception {
		start("batched");
		String event = this.api.gaEvent(this.api.organizer(), 3, 60, null);
		List<String> customers = List.of(this.api.customer(), this.api.customer(), this.api.customer(),
				this.api.customer(), this.api.customer());
		MeterRegistry meters = this.service.getBean(MeterRegistry.class);
		List<CompletableFuture<Response>> answers = new ArrayList<>();
		try (RowLock lock = RowLock.pools(event)) {
			// the first batch waits for the pool, its booking written (a batch takes its
			// pool last); the other four queue behind it and make the next batch, whose
			// acknowledgement is lost
			answers.add(CompletableFuture.supplyAsync(() -> book(event, customers.get(0))));
			awaitCondition(() -> waitingForLock() == 1, "the first batch waiting for the pool");
			for (String customer : customers.subList(1, customers.size())) {
				answers.add(CompletableFuture.supplyAsync(() -> book(event, customer)));
			}
			awaitCondition(() -> meters.get("boxoffice.batch.queue.depth").gauge().value() == 4,
					"four requests queued");
			this.cutter.cutCommitOf("INSERT INTO booking", 0, false);
		}
		List<Response> responses = new ArrayList<>();
		for (CompletableFuture<Response> answer : answers) {
			responses.add(answer.get(60, TimeUnit.SECONDS));
		}
		assertThat(this.cutter.cuts()).isEqualTo(1);
		assertThat(responses.get(0).status()).isEqualTo(201);
		assertThat(responses).extracting(Response::status).containsExactlyInAnyOrder(201, 201, 201, 409, 409);
		Set<String> booked = new HashSet<>();
		for (Response response : responses) {
			if (response.status() == 201) {
				booked.add(response.json().get("id").asString());
			}
			else {
				assertThat(response.code()).isEqualTo("SOLD_OUT");
			}
		}
		assertThat(bookingIds(event)).containsExactlyInAnyOrderElementsOf(booked);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(3, 0, 0, 3));
		Ledger.assertBalanced(this.jdbc);
	}

	/**
	 * The database stays unreachable after the lost acknowledgement: the buyer hears 503
	 * OUTCOME_UNKNOWN with Retry-After, and once it is back, the same Idempotency-Key
	 * answers the one booking that was made.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "batched", "conditional-update" })
	void outcomeUnknownWhileTheDatabaseCannotBeAsked(String strategy) {
		start(strategy);
		String event = this.api.gaEvent(this.api.organizer(), 5, 60, null);
		String customer = this.api.customer();
		Map<String, String> key = Map.of("Idempotency-Key", "unknown-" + strategy);

		this.cutter.cutCommitOf("INSERT INTO booking", 0, true);
		Response unknown = this.api.post(bookings(event), customer, Api.items("GA", 1), key);
		assertThat(this.cutter.cuts()).isEqualTo(1);
		assertThat(unknown.status()).as(unknown.body()).isEqualTo(503);
		assertThat(unknown.code()).isEqualTo("OUTCOME_UNKNOWN");
		assertThat(unknown.header("Retry-After")).isEqualTo("1");
		assertThat(unknown.body()).doesNotContainIgnoringCase("exception").doesNotContainIgnoringCase("sql");
		List<String> made = bookingIds(event);
		assertThat(made).hasSize(1);

		this.cutter.reachable();
		// as a client would: again after Retry-After while the service cannot reach the
		// database yet
		Response retried = this.api.post(bookings(event), customer, Api.items("GA", 1), key);
		for (int tries = 1; retried.status() == 503 && "UNAVAILABLE".equals(retried.code()) && tries < 30; tries++) {
			pause(1000);
			retried = this.api.post(bookings(event), customer, Api.items("GA", 1), key);
		}
		assertThat(retried.status()).as(retried.body()).isEqualTo(201);
		assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(retried.json().get("id").asString()).isEqualTo(made.get(0));
		assertThat(bookingIds(event)).containsExactlyElementsOf(made);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(5, 4, 0, 1));
	}

	private void start(String strategy) {
		this.cutter = new CommitCutter(TestDatabase.jdbcUrl());
		this.service = new SpringApplicationBuilder(BoxofficeApplication.class).run(
				"--spring.datasource.url=" + this.cutter.jdbcUrl(TestDatabase.jdbcUrl()),
				"--spring.datasource.username=postgres", "--spring.datasource.password=",
				"--boxoffice.booking.strategy=" + strategy, "--boxoffice.booking.outcome-wait=2s", "--server.port=0");
		this.api = new Api(((WebServerApplicationContext) this.service).getWebServer().getPort());
	}

	private Response book(String event, String customer) {
		return this.api.post(bookings(event), customer, Api.items("GA", 1));
	}

	private static String bookings(String event) {
		return "/api/v1/events/" + event + "/bookings";
	}

	private List<String> bookingIds(String event) {
		return this.jdbc.sql("SELECT id::text FROM booking WHERE event_id = :event ORDER BY created_at")
			.param("event", UUID.fromString(event))
			.query(String.class)
			.list();
	}

	private int waitingForLock() {
		return this.jdbc.sql(
				"SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ~ '(UPDATE|FROM) pool'")
			.query(Integer.class)
			.single();
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Waits for what the test needs next; the bound only guards against a hang. */
	private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Gave up waiting for " + what);
			}
			Thread.sleep(20);
		}
	}

}
