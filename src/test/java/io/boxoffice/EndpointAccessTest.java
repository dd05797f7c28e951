package io.boxoffice;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import io.boxoffice.support.Ledger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/api.md, Access rules: no or bad token 401, wrong role 403, someone else's hold,
 * booking or event 404 (existence is not revealed); the event's organizer may read and
 * cancel its bookings.
 */
class EndpointAccessTest extends IntegrationTest {

	String organizer;

	String customer;

	String event;

	@BeforeEach
	void setUp() {
		this.organizer = this.api.organizer();
		this.customer = this.api.customer();
		this.event = this.api.gaEvent(this.organizer, 10);
	}

	@AfterEach
	void booksBalance() {
		Ledger.assertBalanced(this.jdbc);
	}

	@Test
	void refusesProtectedEndpointsWithoutAValidToken() {
		String booking = book(this.customer, this.event, 1).expectStatus(201).json().get("id").asString();
		String valid = this.customer;
		String[] parts = valid.split("\\.");
		String badSignature = parts[0] + "." + parts[1] + "."
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
		String otherRole = parts[0] + "." + Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(
					new String(Base64.getUrlDecoder().decode(parts[1])).replace("CUSTOMER", "ORGANIZER").getBytes())
				+ "." + parts[2];
		String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
				+ parts[1] + ".";
		for (String token : new String[] { null, "garbage", "a.b.c", badSignature, otherRole, unsigned }) {
			expectProblem(this.api.post("/api/v1/events/" + this.event + "/bookings", token, Api.items("GA", 1)), 401,
					"UNAUTHENTICATED");
			expectProblem(this.api.post("/api/v1/events/" + this.event + "/holds", token, Api.items("GA", 1)), 401,
					"UNAUTHENTICATED");
			expectProblem(this.api.get("/api/v1/bookings/" + booking, token), 401, "UNAUTHENTICATED");
			expectProblem(this.api.get("/api/v1/bookings", token), 401, "UNAUTHENTICATED");
			expectProblem(this.api.post("/api/v1/bookings/" + booking + "/cancel", token, null), 401,
					"UNAUTHENTICATED");
			expectProblem(this.api.post("/api/v1/events", token, Map.of("name", "x")), 401, "UNAUTHENTICATED");
			expectProblem(this.api.post("/api/v1/events/" + this.event + "/cancel", token, null), 401,
					"UNAUTHENTICATED");
		}
		assertThat(this.api.counts(this.event, "GA")).isEqualTo(new Counts(10, 9, 0, 1));
		assertThat(this.api.get("/api/v1/events/" + this.event, null).json().get("status").asString())
			.isEqualTo("ON_SALE");
	}

	@Test
	void refusesTheWrongRole() {
		expectProblem(
				this.api.post("/api/v1/events", this.customer,
						Map.of("name", "Mine", "startsAt", "2035-01-01T19:00:00Z", "categories", List
							.of(Map.of("code", "GA", "name", "S", "price", "1.00", "currency", "EUR", "capacity", 1)))),
				403, "FORBIDDEN");
		expectProblem(this.api.post("/api/v1/events/" + this.event + "/cancel", this.customer, null), 403, "FORBIDDEN");
		expectProblem(this.api.get("/api/v1/events/" + this.event + "/bookings", this.customer), 403, "FORBIDDEN");
		expectProblem(this.api.get("/api/v1/organizer/events", this.customer), 403, "FORBIDDEN");
		expectProblem(book(this.organizer, this.event, 1), 403, "FORBIDDEN");
		expectProblem(this.api.post("/api/v1/events/" + this.event + "/holds", this.organizer, Api.items("GA", 1)), 403,
				"FORBIDDEN");
		expectProblem(this.api.get("/api/v1/bookings", this.organizer), 403, "FORBIDDEN");
		assertThat(this.api.counts(this.event, "GA")).isEqualTo(new Counts(10, 10, 0, 0));
		assertThat(this.api.get("/api/v1/events/" + this.event, null).json().get("status").asString())
			.isEqualTo("ON_SALE");
	}

	@Test
	void hidesAnotherCustomersHoldsAndBookings() {
		String booking = book(this.customer, this.event, 2).expectStatus(201).json().get("id").asString();
		String hold = hold(this.customer, this.event, 3).expectStatus(201).id();
		String stranger = this.api.customer();

		expectProblem(this.api.get("/api/v1/bookings/" + booking, stranger), 404, "NOT_FOUND");
		expectProblem(this.api.post("/api/v1/bookings/" + booking + "/cancel", stranger, null), 404, "NOT_FOUND");
		expectProblem(this.api.get("/api/v1/holds/" + hold, stranger), 404, "NOT_FOUND");
		expectProblem(this.api.delete("/api/v1/holds/" + hold, stranger), 404, "NOT_FOUND");
		expectProblem(this.api.post("/api/v1/holds/" + hold + "/confirm", stranger, null), 404, "NOT_FOUND");
		assertThat(this.api.get("/api/v1/bookings", stranger).expectStatus(200).json().get("total").asInt()).isZero();

		assertThat(this.api.counts(this.event, "GA")).isEqualTo(new Counts(10, 5, 3, 2));
		assertThat(this.api.get("/api/v1/holds/" + hold, this.customer).json().get("status").asString())
			.isEqualTo("ACTIVE");
		assertThat(this.api.get("/api/v1/bookings/" + booking, this.customer).json().get("status").asString())
			.isEqualTo("CONFIRMED");
	}

	@Test
	void hidesAnEventFromAnotherOrganizer() {
		String booking = book(this.customer, this.event, 2).expectStatus(201).json().get("id").asString();
		String rival = this.api.organizer();

		expectProblem(this.api.post("/api/v1/events/" + this.event + "/cancel", rival, null), 404, "NOT_FOUND");
		expectProblem(this.api.get("/api/v1/events/" + this.event + "/bookings", rival), 404, "NOT_FOUND");
		expectProblem(this.api.get("/api/v1/bookings/" + booking, rival), 404, "NOT_FOUND");
		expectProblem(this.api.post("/api/v1/bookings/" + booking + "/cancel", rival, null), 404, "NOT_FOUND");
		assertThat(this.api.get("/api/v1/organizer/events", rival).json().get("total").asInt()).isZero();

		assertThat(this.api.get("/api/v1/events/" + this.event, null).json().get("status").asString())
			.isEqualTo("ON_SALE");
		assertThat(this.api.counts(this.event, "GA")).isEqualTo(new Counts(10, 8, 0, 2));
	}

	@Test
	void letsTheEventsOrganizerReadAndCancelACustomersBooking() {
		String booking = book(this.customer, this.event, 2).expectStatus(201).json().get("id").asString();

		Response read = this.api.get("/api/v1/bookings/" + booking, this.organizer).expectStatus(200);
		assertThat(read.json().get("status").asString()).isEqualTo("CONFIRMED");
		Response listed = this.api.get("/api/v1/events/" + this.event + "/bookings", this.organizer).expectStatus(200);
		assertThat(listed.json().get("total").asInt()).isEqualTo(1);
		assertThat(listed.json().get("items").get(0).get("id").asString()).isEqualTo(booking);

		Response cancelled = this.api.post("/api/v1/bookings/" + booking + "/cancel", this.organizer, null)
			.expectStatus(200);

		assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
		assertThat(this.api.counts(this.event, "GA")).isEqualTo(new Counts(10, 10, 0, 0));
		assertThat(this.api.get("/api/v1/bookings/" + booking, this.customer).json().get("status").asString())
			.isEqualTo("CANCELLED");
	}

	static void expectProblem(Response response, int status, String code) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("status").asInt()).isEqualTo(status);
		assertThat(response.code()).isEqualTo(code);
	}

}
