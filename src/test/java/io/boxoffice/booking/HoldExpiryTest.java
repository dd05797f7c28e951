package io.boxoffice.booking;

import java.time.Instant;
import java.util.List;

import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.ClockedIntegrationTest;
import io.boxoffice.support.Ledger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hold sets tickets aside until {@code expiresAt} and not a microsecond longer, whether
 * or not the sweeper has run (it does not run during these tests).
 */
class HoldExpiryTest extends ClockedIntegrationTest {

	String organizer;

	final List<String> events = new java.util.ArrayList<>();

	@BeforeEach
	void setUp() {
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

		Response booking = this.api.confirm(customer, hold.id()).expectStatus(201);
		assertThat(booking.json().get("status").asString()).isEqualTo("CONFIRMED");
		assertThat(booking.json().get("holdId").asString()).isEqualTo(hold.id());
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
		assertThat(storedHoldStatus(hold.id())).as("nothing has swept the hold").isEqualTo("ACTIVE");

		book(next, event, 2).expectStatus(201);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(2, 0, 0, 2));
		assertThat(storedHoldStatus(hold.id())).isEqualTo("EXPIRED");

		Response late = this.api.confirm(first, hold.id());
		assertThat(late.status()).isEqualTo(410);
		assertThat(late.code()).isEqualTo("HOLD_EXPIRED");
		assertThat(bookingsOfHold(hold.id())).isZero();
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(2, 0, 0, 2));
	}

	@Test
	void rejectsConfirmOfExpiredHold() {
		String event = event(3, null);
		String customer = this.api.customer();
		Response hold = hold(customer, event, 3).expectStatus(201);
		clock.set(Instant.parse(hold.json().get("expiresAt").asString()));

		Response late = this.api.confirm(customer, hold.id());

		assertThat(late.status()).isEqualTo(410);
		assertThat(late.code()).isEqualTo("HOLD_EXPIRED");
		assertThat(late.header("Content-Type")).startsWith("application/problem+json");
		assertThat(bookingsOfHold(hold.id())).isZero();
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(3, 3, 0, 0));
		assertThat(getHold(customer, hold).json().get("status").asString()).isEqualTo("EXPIRED");
	}

	@Test
	void releasedHoldReturnsItsTicketsAndCannotBeConfirmed() {
		String event = event(4, null);
		String customer = this.api.customer();
		Response hold = hold(customer, event, 3).expectStatus(201);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(4, 1, 3, 0));

		this.api.delete("/api/v1/holds/" + hold.id(), customer).expectStatus(204);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(4, 4, 0, 0));
		this.api.delete("/api/v1/holds/" + hold.id(), customer).expectStatus(204);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(4, 4, 0, 0));
		assertThat(getHold(customer, hold).json().get("status").asString()).isEqualTo("RELEASED");

		Response late = this.api.confirm(customer, hold.id());
		assertThat(late.status()).isEqualTo(410);
		assertThat(late.code()).isEqualTo("HOLD_EXPIRED");
		assertThat(bookingsOfHold(hold.id())).isZero();
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
		assertThat(storedHoldStatus(hold.id())).isEqualTo("EXPIRED");
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

	private Response getHold(String customer, Response hold) {
		return this.api.get("/api/v1/holds/" + hold.id(), customer).expectStatus(200);
	}

}
