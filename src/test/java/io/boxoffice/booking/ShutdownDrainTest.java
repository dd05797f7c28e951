package io.boxoffice.booking;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
 * An instance that shuts down answers, and books, every request its group commit took.
 */
class ShutdownDrainTest {

	private static final int BUYERS = 10;

	@Test
	void answersEveryAcceptedRequestWhileShuttingDown() throws Exception {
		SecondInstance instance = new SecondInstance("boxoffice.booking.strategy=batched",
				"boxoffice.booking.batch.max-wait=1m");
		Api api = instance.api();
		String eventId = api.gaEvent(api.organizer(), 100);
		String customer = api.customer();
		MeterRegistry meters = instance.context().getBean(MeterRegistry.class);
		// outside the instance's pool, which closes with the instance
		DataSource dataSource = new DriverManagerDataSource(TestDatabase.jdbcUrl());

		List<Response> responses;
		try (RowLock blocker = RowLock.pools(eventId)) {
			CompletableFuture<List<Response>> buyers = CompletableFuture.supplyAsync(() -> Race.run(BUYERS,
					i -> api.post("/api/v1/events/" + eventId + "/bookings", customer, Api.items("GA", 1))));
			// every buyer is accepted: in the batch waiting for the row, or queued behind
			// it
			await().atMost(30, TimeUnit.SECONDS)
				.until(() -> meters.get("boxoffice.batch.queue.depth").gauge().value()
						+ meters.get("boxoffice.batch.size").summary().totalAmount() >= BUYERS);
			CompletableFuture<Void> shutdown = CompletableFuture.runAsync(instance::close);
			blocker.release();
			responses = buyers.get(60, TimeUnit.SECONDS);
			shutdown.get(60, TimeUnit.SECONDS);
		}

		assertThat(responses).extracting(Response::status).containsOnly(201);
		JdbcClient jdbc = JdbcClient.create(dataSource);
		assertThat(jdbc.sql("SELECT available, sold FROM pool WHERE event_id = :id")
			.param("id", UUID.fromString(eventId))
			.query((rs, n) -> List.of(rs.getInt("available"), rs.getInt("sold")))
			.single()).containsExactly(100 - BUYERS, BUYERS);
	}

}
