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
import io.boxoffice.support.PoolLock;
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
			String opener = api.customer();
			String ana = api.customer();
			String ben = api.customer();
			MeterRegistry meters = instance.context().getBean(MeterRegistry.class);
			String path = "/api/v1/events/" + eventId + "/bookings";

			List<CompletableFuture<Response>> queued = new ArrayList<>();
			ExecutorService clients = Executors.newCachedThreadPool();
			try (PoolLock blocker = PoolLock.hold(eventId)) {
				// a first request takes the worker into the blocked transaction; the rest
				// queue behind it one by one, so their order in the next batch is known
				CompletableFuture<Response> first = CompletableFuture
					.supplyAsync(() -> api.post(path, opener, Api.items("GA", 1)), clients);
				await().atMost(30, TimeUnit.SECONDS)
					.until(() -> meters.get("boxoffice.batch.size").summary().count() >= 1);
				List<Object[]> asks = List.of(new Object[] { ana, 2 }, new Object[] { ana, 2 }, new Object[] { ana, 1 },
						new Object[] { ben, 1 });
				for (Object[] ask : asks) {
					queued.add(CompletableFuture.supplyAsync(
							() -> api.post(path, (String) ask[0], Api.items("GA", (Integer) ask[1])), clients));
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

			// ana: 2 fit her limit of 3, 2 more do not, 1 more does; ben is within his
			// limit but the 3 tickets left went to ana first
			assertThat(responses).extracting(Response::status).containsExactly(201, 422, 201, 409);
			assertThat(responses.get(1).code()).isEqualTo("LIMIT_EXCEEDED");
			assertThat(responses.get(3).code()).isEqualTo("SOLD_OUT");
			assertThat(api.counts(eventId, "GA")).isEqualTo(new Api.Counts(4, 0, 0, 4));
			// tallies count what was sold, nothing refused: opener 1, ana 3, ben 0
			assertThat(JdbcClient.create(new DriverManagerDataSource(TestDatabase.jdbcUrl()))
				.sql("SELECT tickets FROM customer_tally WHERE event_id = :id ORDER BY tickets")
				.param("id", UUID.fromString(eventId))
				.query(Integer.class)
				.list()).containsExactly(0, 1, 3);
		}
	}

}
