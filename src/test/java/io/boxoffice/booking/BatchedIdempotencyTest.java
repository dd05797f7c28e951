package io.boxoffice.booking;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.boxoffice.support.Api;
import io.boxoffice.support.RowLock;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.Race;
import io.boxoffice.support.SecondInstance;
import io.boxoffice.support.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Idempotency-Keys inside one group commit: the pool row is held so that every request
 * lands in the same batch, then released.
 */
class BatchedIdempotencyTest {

	@Test
	void decidesAKeySentManyTimesInOneBatchOnceAndForgetsRefusedKeys() throws Exception {
		try (SecondInstance instance = new SecondInstance("boxoffice.booking.strategy=batched",
				"boxoffice.booking.batch.max-wait=1m")) {
			Api api = instance.api();
			String eventId = api.gaEvent(api.organizer(), 2);
			String customer = api.customer();
			MeterRegistry meters = instance.context().getBean(MeterRegistry.class);
			DataSource dataSource = new DriverManagerDataSource(TestDatabase.jdbcUrl());
			String path = "/api/v1/events/" + eventId + "/bookings";

			List<Response> responses;
			// threads of their own: the common pool may have one thread on a small
			// machine
			ExecutorService clients = Executors.newCachedThreadPool();
			try (RowLock blocker = RowLock.pools(eventId)) {
				// 0: a first request that takes the worker into the blocked transaction
				// then ten with one key and one body, then one with the same key and
				// another body, and two of two tickets each with other keys
				CompletableFuture<Response> opener = CompletableFuture
					.supplyAsync(() -> api.post(path, customer, Api.items("GA", 1)), clients);
				await().atMost(30, TimeUnit.SECONDS)
					.until(() -> meters.get("boxoffice.batch.size").summary().count() >= 1);
				// the ten with one key and body queue first, so that one of them is the
				// first to claim the key
				CompletableFuture<List<Response>> sameKey = CompletableFuture.supplyAsync(() -> Race.run(10, i -> api
					.post(path, customer, Api.items("GA", 1), Map.of("Idempotency-Key", "same-" + eventId))));
				await().atMost(30, TimeUnit.SECONDS)
					.until(() -> meters.get("boxoffice.batch.queue.depth").gauge().value() >= 10);
				CompletableFuture<List<Response>> later = CompletableFuture.supplyAsync(() -> Race.run(3, i -> {
					String key = (i == 0) ? "same-" + eventId : "other-" + i + "-" + eventId;
					return api.post(path, customer, Api.items("GA", 2), Map.of("Idempotency-Key", key));
				}), clients);
				await().atMost(30, TimeUnit.SECONDS)
					.until(() -> meters.get("boxoffice.batch.queue.depth").gauge().value() >= 13);
				blocker.release();
				assertThat(opener.get(60, TimeUnit.SECONDS).status()).isEqualTo(201);
				responses = new java.util.ArrayList<>(sameKey.get(60, TimeUnit.SECONDS));
				responses.addAll(later.get(60, TimeUnit.SECONDS));
			}
			finally {
				clients.shutdownNow();
			}

			List<Response> same = responses.subList(0, 10);
			assertThat(same).extracting(Response::status).containsOnly(201);
			assertThat(same).extracting(Response::body).containsOnly(same.get(0).body());
			assertThat(same).filteredOn(r -> "true".equals(r.header("Idempotent-Replayed"))).hasSize(9);
			assertThat(responses.get(10).status()).isEqualTo(422);
			assertThat(responses.get(10).code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
			// 2 tickets: whatever the order in the batch, a 2-ticket request never fits
			// (at most 1 is left), and the key "same" gets the last one
			assertThat(responses.subList(11, 13)).extracting(Response::code).containsOnly("SOLD_OUT");

			JdbcClient jdbc = JdbcClient.create(dataSource);
			assertThat(jdbc.sql("SELECT count(*) FROM booking WHERE event_id = :id")
				.param("id", UUID.fromString(eventId))
				.query(Long.class)
				.single()).isEqualTo(2L);
			assertThat(jdbc.sql("SELECT idempotency_key FROM idempotency_record WHERE idempotency_key LIKE :suffix")
				.param("suffix", "%-" + eventId)
				.query(String.class)
				.list()).containsExactly("same-" + eventId);
		}
	}

	@Test
	void aKeyOfAnyPrintableCharactersIsClaimedAndReplayedAsSent() throws Exception {
		try (SecondInstance instance = new SecondInstance("boxoffice.booking.strategy=batched")) {
			Api api = instance.api();
			String eventId = api.gaEvent(api.organizer(), 5);
			String customer = api.customer();
			String path = "/api/v1/events/" + eventId + "/bookings";
			// the characters an array literal would have to quote
			String key = "a,b{\"c\"}\\d_'e'";

			Response first = api.post(path, customer, Api.items("GA", 1), Map.of("Idempotency-Key", key));
			Response again = api.post(path, customer, Api.items("GA", 1), Map.of("Idempotency-Key", key));

			assertThat(first.status()).isEqualTo(201);
			assertThat(again.status()).isEqualTo(201);
			assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
			assertThat(again.body()).isEqualTo(first.body());
			assertThat(api.counts(eventId, "GA")).isEqualTo(new Api.Counts(5, 4, 0, 1));
		}
	}

}
