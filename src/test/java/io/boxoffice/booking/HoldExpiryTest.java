package io.boxoffice.booking;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.ClockedBoxofficeTest;
import io.boxoffice.support.Ledger;
import io.boxoffice.support.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hold sets tickets aside until {@code expiresAt} and not a microsecond longer, whether
 * or not the sweeper has run (it does not run during these tests).
 */
@ClockedBoxofficeTest
class HoldExpiryTest {

	static final TestClock clock = TestClock.CLOCK;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	Api api;

	String organizer;

	final List<String> events = new java.util.ArrayList<>();

	@BeforeEach
	void setUp() {
		clock.catchUp();
		this.api = new Api(this.port);
		this.organizer = this.api.organizer();
	}

	@AfterEach
	void booksBalance() {
		for (String event : this.events) {
			assertThat(this.api.counts(event, "GA").addsUp()).isTrue();
		}
		Ledger.assertBalanced(this.jdbc);
	}

	@Test
	void confirmsHoldOneMillisecondBeforeItExpires() {
		String event = event(5, null);
		String customer = this.api.customer();
		Response hold = hold(customer, event, 2).expectStatus(201);
		Instant expiresAt = Instant.parse(hold.json().get("expiresAt").asString());
		assertThat(expiresAt)
			.isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS).plusSeconds(60));

		clock.set(expiresAt.minusMillis(1));
		assertThat(getHold(customer, hold).json().get("status").asString()).isEqualTo("ACTIVE");
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(5, 3, 2, 0));

		Response booking = confirm(customer, hold).expectStatus(201);
		assertThat(booking.json().get("status").asString()).isEqualTo("CONFIRMED");
		assertThat(booking.json().get("holdId").asString()).isEqualTo(id(hold));
		assertThat(getHold(customer, hold).json().get("status").asString()).isEqualTo("CONFIRMED");
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(5, 3, 0, 2));
	}

	@Test
	void expiredHoldIsAvailableAtOnceWithoutTheSweeper() {
		String event = event(2, null);
		String first = this.api.customer();
		String next = this.api.customer();
		Response hold = hold(first, event, 2).expectStatus(201);
		Instant expiresAt = Instant.parse(hold.json().get("expiresAt").asString());

		clock.set(expiresAt.minusMillis(1));
		assertThat(getHold(first, hold).json().get("status").asString()).isEqualTo("ACTIVE");
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(2, 0, 2, 0));
		Response refused = book(next, event, 1);
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.code()).isEqualTo("SOLD_OUT");
		assertThat(refused.json().get("available").asInt()).isZero();

		clock.set(expiresAt);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(2, 2, 0, 0));
		assertThat(getHold(first, hold).json().get("status").asString()).isEqualTo("EXPIRED");
		clock.set(expiresAt.plusMillis(1));
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(2, 2, 0, 0));
		assertThat(getHold(first, hold).json().get("status").asString()).isEqualTo("EXPIRED");
		assertThat(storedStatus(hold)).as("nothing has swept the hold").isEqualTo("ACTIVE");

		book(next, event, 2).expectStatus(201);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(2, 0, 0, 2));
		assertThat(storedStatus(hold)).isEqualTo("EXPIRED");

		Response late = confirm(first, hold);
		assertThat(late.status()).isEqualTo(410);
		assertThat(late.code()).isEqualTo("HOLD_EXPIRED");
		assertThat(bookingsOf(hold)).isZero();
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(2, 0, 0, 2));
	}

	@Test
	void rejectsConfirmOfExpiredHold() {
		String event = event(3, null);
		String customer = this.api.customer();
		Response hold = hold(customer, event, 3).expectStatus(201);
		clock.set(Instant.parse(hold.json().get("expiresAt").asString()));

		Response late = confirm(customer, hold);

		assertThat(late.status()).isEqualTo(410);
		assertThat(late.code()).isEqualTo("HOLD_EXPIRED");
		assertThat(late.header("Content-Type")).startsWith("application/problem+json");
		assertThat(bookingsOf(hold)).isZero();
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(3, 3, 0, 0));
		assertThat(getHold(customer, hold).json().get("status").asString()).isEqualTo("EXPIRED");
	}

	@Test
	void releasedHoldReturnsItsTicketsAndCannotBeConfirmed() {
		String event = event(4, null);
		String customer = this.api.customer();
		Response hold = hold(customer, event, 3).expectStatus(201);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(4, 1, 3, 0));

		this.api.delete("/api/v1/holds/" + id(hold), customer).expectStatus(204);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(4, 4, 0, 0));
		this.api.delete("/api/v1/holds/" + id(hold), customer).expectStatus(204);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(4, 4, 0, 0));
		assertThat(getHold(customer, hold).json().get("status").asString()).isEqualTo("RELEASED");

		Response late = confirm(customer, hold);
		assertThat(late.status()).isEqualTo(410);
		assertThat(late.code()).isEqualTo("HOLD_EXPIRED");
		assertThat(bookingsOf(hold)).isZero();
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(4, 4, 0, 0));
	}

	@Test
	void expiredHoldNoLongerCountsAgainstTheCustomerLimit() {
		String event = event(10, 2);
		String customer = this.api.customer();
		Response hold = hold(customer, event, 2).expectStatus(201);
		Response over = hold(customer, event, 1);
		assertThat(over.status()).isEqualTo(422);
		assertThat(over.code()).isEqualTo("LIMIT_EXCEEDED");

		clock.set(Instant.parse(hold.json().get("expiresAt").asString()));

		hold(customer, event, 2).expectStatus(201);
		assertThat(storedStatus(hold)).isEqualTo("EXPIRED");
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(10, 8, 2, 0));
		Response stillOver = book(customer, event, 1);
		assertThat(stillOver.status()).isEqualTo(422);
		assertThat(stillOver.code()).isEqualTo("LIMIT_EXCEEDED");
	}

	private String event(int capacity, Integer maxPerCustomer) {
		String id = this.api.gaEvent(this.organizer, capacity, 60, maxPerCustomer);
		this.events.add(id);
		return id;
	}

	private Response hold(String customer, String event, int quantity) {
		return this.api.post("/api/v1/events/" + event + "/holds", customer, Api.items("GA", quantity));
	}

	private Response book(String customer, String event, int quantity) {
		return this.api.post("/api/v1/events/" + event + "/bookings", customer, Api.items("GA", quantity));
	}

	private Response confirm(String customer, Response hold) {
		return this.api.post("/api/v1/holds/" + id(hold) + "/confirm", customer, null);
	}

	private Response getHold(String customer, Response hold) {
		return this.api.get("/api/v1/holds/" + id(hold), customer).expectStatus(200);
	}

	private String storedStatus(Response hold) {
		return this.jdbc.sql("SELECT status FROM hold WHERE id = :id")
			.param("id", UUID.fromString(id(hold)))
			.query(String.class)
			.single();
	}

	private long bookingsOf(Response hold) {
		return this.jdbc.sql("SELECT count(*) FROM booking WHERE hold_id = :id")
			.param("id", UUID.fromString(id(hold)))
			.query(Long.class)
			.single();
	}

	private static String id(Response response) {
		return response.json().get("id").asString();
	}

}
