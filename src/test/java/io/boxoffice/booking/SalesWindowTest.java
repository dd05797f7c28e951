package io.boxoffice.booking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.ClockedIntegrationTest;
import io.boxoffice.support.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Holds and bookings are taken from {@code salesOpenAt} until {@code salesCloseAt}, to
 * the microsecond, and a booking is made at its request's time, however late its group
 * commit decides it.
 */
class SalesWindowTest extends ClockedIntegrationTest {

	@Autowired
	MeterRegistry meters;

	Instant opens;

	Instant closes;

	String eventId;

	@BeforeEach
	void setUp() {
		this.opens = clock.instant().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
		this.closes = this.opens.plus(1, ChronoUnit.HOURS);
		this.eventId = this.api.event(this.api.organizer(),
				Map.of("name", "Window", "startsAt", "2035-01-01T19:00:00Z", "salesOpenAt", this.opens.toString(),
						"salesCloseAt", this.closes.toString(), "categories", List.of(Map.of("code", "GA", "name",
								"Standing", "price", "25.00", "currency", "EUR", "capacity", 10))));
	}

	@Test
	void sellsFromTheOpeningToTheClosingAndNotAMicrosecondOutside() {
		String customer = this.api.customer();

		clock.set(this.opens.minus(1, ChronoUnit.MICROS));
		assertThat(book(customer, this.eventId, 1).expectStatus(409).code()).isEqualTo("SALES_CLOSED");
		assertThat(hold(customer, this.eventId, 1).expectStatus(409).code()).isEqualTo("SALES_CLOSED");

		clock.set(this.opens);
		book(customer, this.eventId, 1).expectStatus(201);
		hold(customer, this.eventId, 1).expectStatus(201);

		clock.set(this.closes.minus(1, ChronoUnit.MICROS));
		book(customer, this.eventId, 1).expectStatus(201);

		clock.set(this.closes);
		assertThat(book(customer, this.eventId, 1).expectStatus(409).code()).isEqualTo("SALES_CLOSED");
		assertThat(hold(customer, this.eventId, 1).expectStatus(409).code()).isEqualTo("SALES_CLOSED");
		// the hold has lapsed by the closing (10 minutes to live)
		assertThat(this.api.counts(this.eventId, "GA")).isEqualTo(new Counts(10, 8, 0, 2));
	}

	@Test
	void aBookingAskedBeforeTheOpeningIsRefusedThoughItsBatchIsDecidedAfter() throws Exception {
		String customer = this.api.customer();
		double batches = this.meters.get("boxoffice.batch.size").summary().count();
		Response answer;
		// the event's row held from outside: the group commit takes the request, then
		// waits for the row before it decides
		try (Connection lock = new DriverManagerDataSource(TestDatabase.jdbcUrl()).getConnection()) {
			lock.setAutoCommit(false);
			try (PreparedStatement event = lock.prepareStatement("SELECT 1 FROM event WHERE id = ? FOR UPDATE")) {
				event.setObject(1, UUID.fromString(this.eventId));
				event.executeQuery();
			}
			clock.set(this.opens.minusSeconds(1));
			CompletableFuture<Response> early = CompletableFuture.supplyAsync(() -> book(customer, this.eventId, 1));
			await().atMost(30, TimeUnit.SECONDS)
				.until(() -> this.meters.get("boxoffice.batch.size").summary().count() > batches);
			clock.set(this.opens.plusSeconds(1));
			lock.rollback();
			answer = early.get(30, TimeUnit.SECONDS);
		}

		assertThat(answer.expectStatus(409).code()).isEqualTo("SALES_CLOSED");
		assertThat(this.api.counts(this.eventId, "GA")).isEqualTo(new Counts(10, 10, 0, 0));
		book(customer, this.eventId, 1).expectStatus(201);
	}

}
