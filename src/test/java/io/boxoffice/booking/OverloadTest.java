package io.boxoffice.booking;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.boxoffice.support.Api;
import io.boxoffice.support.RowLock;
import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.Race;
import io.boxoffice.support.SecondInstance;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The batched strategy's queue is bounded: while a batch cannot commit, arrivals past the
 * bound are answered at once with 503 OVERLOADED and book nothing, and the accepted ones
 * are all answered.
 */
class OverloadTest {

	private static final int QUEUE = 4;

	private static final int BUYERS = 50;

	@Test
	void shedsPastTheQueueBoundAndBooksNothingForShedRequests() throws Exception {
		try (SecondInstance instance = new SecondInstance("boxoffice.booking.strategy=batched",
				"boxoffice.booking.batch.queue-capacity=" + QUEUE, "boxoffice.booking.batch.max-wait=1m")) {
			Api api = instance.api();
			String eventId = api.gaEvent(api.organizer(), 1000);
			String customer = api.customer();
			MeterRegistry meters = instance.context().getBean(MeterRegistry.class);

			List<Response> responses;
			try (RowLock blocker = RowLock.pools(eventId)) {
				// Hold the pool's row so that no batch can commit while the buyers
				// arrive.
				CompletableFuture<List<Response>> race = CompletableFuture.supplyAsync(() -> Race.run(BUYERS,
						i -> api.post("/api/v1/events/" + eventId + "/bookings", customer, Api.items("GA", 1))));
				// At most the queue plus the batch already drained can be accepted; the
				// rest are shed.
				await().atMost(60, TimeUnit.SECONDS)
					.until(() -> meters.counter("boxoffice.batch.shed").count() >= BUYERS - 2 * QUEUE);
				blocker.release();
				responses = race.get(60, TimeUnit.SECONDS);
			}

			List<Response> accepted = responses.stream().filter(r -> r.status() == 201).toList();
			List<Response> shed = responses.stream().filter(r -> r.status() == 503).toList();
			assertThat(accepted.size() + shed.size()).isEqualTo(BUYERS);
			assertThat(accepted.size()).isBetween(1, 2 * QUEUE);
			assertThat(shed).allSatisfy(r -> {
				assertThat(r.code()).isEqualTo("OVERLOADED");
				assertThat(r.header("Retry-After")).isEqualTo("1");
			});
			assertThat((double) shed.size()).isEqualTo(meters.counter("boxoffice.batch.shed").count());
			assertThat(api.counts(eventId, "GA"))
				.isEqualTo(new Counts(1000, 1000 - accepted.size(), 0, accepted.size()));
		}
	}

	@Test
	void answersUnavailableAtOnceWhileTheBatchInFlightIsStalled() throws Exception {
		try (SecondInstance instance = new SecondInstance("boxoffice.booking.strategy=batched",
				"boxoffice.booking.batch.max-wait=100ms")) {
			Api api = instance.api();
			String eventId = api.gaEvent(api.organizer(), 1000);
			String customer = api.customer();
			MeterRegistry meters = instance.context().getBean(MeterRegistry.class);
			String path = "/api/v1/events/" + eventId + "/bookings";

			List<Response> late;
			Response first;
			try (RowLock blocker = RowLock.pools(eventId)) {
				CompletableFuture<Response> accepted = CompletableFuture
					.supplyAsync(() -> api.post(path, customer, Api.items("GA", 1)));
				await().atMost(30, TimeUnit.SECONDS)
					.until(() -> meters.get("boxoffice.batch.size").summary().count() >= 1);
				// the rule is about elapsed time: let the stuck batch pass max-wait
				Thread.sleep(300);
				late = Race.run(20, i -> api.post(path, customer, Api.items("GA", 1)));
				blocker.release();
				first = accepted.get(60, TimeUnit.SECONDS);
			}

			assertThat(first.status()).isEqualTo(201);
			assertThat(late).extracting(Response::code).containsOnly("UNAVAILABLE");
			assertThat(late).extracting(r -> r.header("Retry-After")).containsOnly("1");
			assertThat(api.counts(eventId, "GA")).isEqualTo(new Counts(1000, 999, 0, 1));
			// the lane recovers: once the stuck batch is done, the next request is
			// accepted
			api.post(path, customer, Api.items("GA", 1)).expectStatus(201);
		}
	}

	@Test
	void admitsAFewSalesAtOnceQueuesSomeAndRefusesTheRestBeforeAnyWork() throws Exception {
		try (SecondInstance instance = new SecondInstance("boxoffice.booking.strategy=batched",
				"boxoffice.booking.batch.max-wait=1m", "boxoffice.web.admission.max-concurrent=1",
				"boxoffice.web.admission.max-queued=2")) {
			Api api = instance.api();
			String eventId = api.gaEvent(api.organizer(), 1000);
			String customer = api.customer();
			MeterRegistry meters = instance.context().getBean(MeterRegistry.class);
			String path = "/api/v1/events/" + eventId + "/bookings";

			List<Response> responses;
			try (RowLock blocker = RowLock.pools(eventId)) {
				CompletableFuture<List<Response>> race = CompletableFuture
					.supplyAsync(() -> Race.run(BUYERS, i -> api.post(path, customer, Api.items("GA", 1))));
				// one is worked on (stuck on the row), two wait their turn, the others
				// are refused
				await().atMost(60, TimeUnit.SECONDS)
					.until(() -> meters.counter("boxoffice.admission.refused").count() >= BUYERS - 3);
				blocker.release();
				responses = race.get(60, TimeUnit.SECONDS);
			}

			assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(3);
			assertThat(responses).filteredOn(r -> r.status() == 503)
				.hasSize(BUYERS - 3)
				.allSatisfy(r -> assertThat(r.code()).isEqualTo("OVERLOADED"))
				.allSatisfy(r -> assertThat(r.header("Retry-After")).isEqualTo("1"));
			assertThat(api.counts(eventId, "GA")).isEqualTo(new Counts(1000, 997, 0, 3));
		}
	}

}
