package io.boxoffice.account;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a curious customer and a rival organizer can see of an organizer's data: nothing
 * beyond the public event.
 */
class OrganizerDataPrivacyTest extends IntegrationTest {

	String organizer;

	String eventId;

	String buyer;

	String bookingId;

	@BeforeEach
	void setUp() {
		this.organizer = this.api.organizer();
		this.eventId = this.api.gaEvent(this.organizer, 10);
		this.buyer = this.api.customer();
		this.bookingId = book(this.buyer, this.eventId, 2).expectStatus(201).id();
	}

	@Test
	void aCustomerCannotReachOrganizerData() {
		String curious = this.api.customer();
		assertCode(this.api.get("/api/v1/events/" + this.eventId + "/bookings", curious), 403, "FORBIDDEN");
		assertCode(this.api.get("/api/v1/organizer/events", curious), 403, "FORBIDDEN");
		assertCode(this.api.post("/api/v1/events/" + this.eventId + "/cancel", curious, null), 403, "FORBIDDEN");
		assertCode(this.api.post("/api/v1/events", curious, Map.of("name", "x")), 403, "FORBIDDEN");
		// another customer's booking does not exist for them
		assertCode(this.api.get("/api/v1/bookings/" + this.bookingId, curious), 404, "NOT_FOUND");
		assertCode(this.api.post("/api/v1/bookings/" + this.bookingId + "/cancel", curious, null), 404, "NOT_FOUND");
		assertThat(this.api.get("/api/v1/bookings", curious).expectStatus(200).json().get("total").asInt()).isZero();
	}

	@Test
	void theEventAsAnyoneSeesItHoldsNoCustomerOrSalesRecords() {
		Response event = this.api.get("/api/v1/events/" + this.eventId, null).expectStatus(200);

		assertThat(Set.copyOf(event.json().propertyNames()))
			.isEqualTo(Set.of("id", "organizerId", "name", "venue", "startsAt", "salesOpenAt", "salesCloseAt", "status",
					"holdTtlSeconds", "maxTicketsPerCustomer", "queue", "categories"));
		assertThat(event.body()).doesNotContain(this.bookingId);
	}

	@Test
	void aRivalOrganizerLearnsNothingOfAnotherOrganizersEvent() {
		String rival = this.api.organizer();
		assertCode(this.api.get("/api/v1/events/" + this.eventId + "/bookings", rival), 404, "NOT_FOUND");
		assertCode(this.api.post("/api/v1/events/" + this.eventId + "/cancel", rival, null), 404, "NOT_FOUND");
		assertCode(this.api.get("/api/v1/bookings/" + this.bookingId, rival), 404, "NOT_FOUND");
		assertCode(this.api.post("/api/v1/bookings/" + this.bookingId + "/cancel", rival, null), 404, "NOT_FOUND");
		assertThat(this.api.get("/api/v1/organizer/events", rival).expectStatus(200).json().get("total").asInt())
			.isZero();
		// the event's own organizer does see the booking
		assertThat(this.api.get("/api/v1/events/" + this.eventId + "/bookings", this.organizer)
			.expectStatus(200)
			.json()
			.get("items")
			.valueStream()
			.map(b -> b.get("id").asString())
			.toList()).isEqualTo(List.of(this.bookingId));
	}

	private static void assertCode(Response response, int status, String code) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.code()).isEqualTo(code);
	}

}
