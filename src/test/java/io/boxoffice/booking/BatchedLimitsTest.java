package io.boxoffice.booking;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.RowLock;
import io.boxoffice.support.SecondInstance;
import io.boxoffice.support.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code maxTicketsPerCustomer} inside one group commit, where the tallies of all its
 * customers are decided together: the pool row is held so that every request lands in the
 * same batch, in a known order, then released.
 */
class BatchedLimitsTest {

	@Test
	void decidesEachCustomersRequestsInArrivalOrderAndCountsOnlyWhatWasSold() throws Exception {
		try (SecondInstance instance = new SecondInstance("boxoffice.booking.strategy=batched",
				"boxoffice.booking.batch.max-wait=1m")) {
			Api api = instance.api();
			String eventId = api.gaEvent(api.organizer(), 4, 60, 3);
			String ana = api.customer();
			String ben = api.customer();

			List<Response> responses = inOneBatch(instance, eventId,
					List.of(new Ask(ana, 2), new Ask(ana, 2), new Ask(ana, 1), new Ask(ben, 1)));

			// ana: 2 fit her limit of 3, 2 more do not, 1 more does; ben is within his
			// limit but the 3 tickets left went to ana first
			assertThat(responses).extracting(Response::status).containsExactly(201, 422, 201, 409);
			assertThat(responses.get(1).code()).isEqualTo("LIMIT_EXCEEDED");
			assertThat(responses.get(3).code()).isEqualTo("SOLD_OUT");
			assertThat(api.counts(eventId, "GA")).isEqualTo(new Api.Counts(4, 0, 0, 4));
			// tallies count what was sold, nothing refused: opener 1, ana 3, ben 0
			assertThat(tallies(eventId)).containsExactly(0, 1, 3);
		}
	}

	@Test
	void aRequestRefusedForWantOfTicketsCountsForNoLimit() throws Exception {
		try (SecondInstance instance = new SecondInstance("boxoffice.booking.strategy=batched",
				"boxoffice.booking.batch.max-wait=1m")) {
			Api api = instance.api();
			String eventId = api.gaEvent(api.organizer(), 3, 60, 2);
			String ana = api.customer();
			String ben = api.customer();

			List<Response> responses = inOneBatch(instance, eventId,
					List.of(new Ask(ben, 1), new Ask(ana, 2), new Ask(ana, 1)));

			// one after the other: ben takes 1 of the 2 left, ana's 2 do not fit the 1
			// left, and her 1 is within her limit of 2 since she has none
			assertThat(responses).extracting(Response::status).containsExactly(201, 409, 201);
			assertThat(responses.get(1).code()).isEqualTo("SOLD_OUT");
			assertThat(api.counts(eventId, "GA")).isEqualTo(new Api.Counts(3, 0, 0, 3));
			assertThat(tallies(eventId)).containsExactly(1, 1, 1);
		}
	}

	private record Ask(String customer, int tickets) {
	}

	/**
	 * Sends the asks so that they are decided in one batch, in this order: a first
	 * request (of another customer, one ticket) takes the worker into a transaction
	 * blocked on the pool's row; the asks queue behind it one by one; then the row is
	 * released.
	 */
	private static List<Response> inOneBatch(SecondInstance instance, String eventId, List<Ask> asks) throws Exception {
		Api api = instance.api();
		String opener = api.customer();
		MeterRegistry meters = instance.context().getBean(MeterRegistry.class);
		String path = "/api/v1/events/" + eventId + "/bookings";
		List<CompletableFuture<Response>> queued = new ArrayList<>();
		ExecutorService clients = Executors.newCachedThreadPool();
		try (RowLock blocker = RowLock.pools(eventId)) {
			CompletableFuture<Response> first = CompletableFuture
				.supplyAsync(() -> api.post(path, opener, Api.items("GA", 1)), clients);
			await().atMost(30, TimeUnit.SECONDS).until(() -> meters.get("boxoffice.batch.size").summary().count() >= 1);
			for (Ask ask : asks) {
				queued.add(CompletableFuture
					.supplyAsync(() -> api.post(path, ask.customer(), Api.items("GA", ask.tickets())), clients));
				int depth = queued.size();
				await().atMost(30, TimeUnit.SECONDS)
					.until(() -> meters.get("boxoffice.batch.queue.depth").gauge().value() >= depth);
			}
			blocker.release();
			assertThat(first.get(60, TimeUnit.SECONDS).status()).isEqualTo(201);
		}
		finally {
			clients.shutdown();
		}
		List<Response> responses = new ArrayList<>();
		for (CompletableFuture<Response> response : queued) {
			responses.add(response.get(60, TimeUnit.SECONDS));
		}
		return responses;
	}

	private static List<Integer> tallies(String eventId) {
		return JdbcClient.create(new DriverManagerDataSource(TestDatabase.jdbcUrl()))
			.sql("SELECT tickets FROM customer_tally WHERE event_id = :id ORDER BY tickets")
			.param("id", UUID.fromString(eventId))
			.query(Integer.class)
			.list();
	}

}
