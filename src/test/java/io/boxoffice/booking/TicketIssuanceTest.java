package io.boxoffice.booking;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import io.boxoffice.support.Ledger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.boxoffice.booking.Seats.best;
import static io.boxoffice.booking.Seats.named;
import static io.boxoffice.booking.Seats.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tickets are issued with the booking that sells them, one per admission, with codes
 * nobody can guess, and revoked when the booking or its event is cancelled.
 */
class TicketIssuanceTest extends IntegrationTest {

	/** URL-safe base64 of at least 16 bytes (128 bits). */
	private static final String CODE = "[A-Za-z0-9_-]{22,}";

	String organizer;

	@BeforeEach
	void setUp() {
		this.organizer = this.api.organizer();
	}

	@AfterEach
	void booksBalance() {
		Ledger.assertBalanced(this.jdbc);
	}

	private String theatre() {
		return Seats.event(this.api, this.organizer, List.of(Seats.generalAdmission("GA", 100),
				Seats.reserved("STALLS", "60.00", List.of(row("A", 1, 6), row("B", 1, 6)))));
	}

	@Test
	void aOneStepBookingCarriesOneValidTicketPerAdmissionInItsAnswerAndItsRows() {
		String event = theatre();
		String customer = this.api.customer();

		Response booking = book(customer, event, 3).expectStatus(201);

		JsonNode tickets = booking.json().get("tickets");
		assertThat(tickets).hasSize(3);
		for (JsonNode ticket : tickets) {
			assertThat(ticket.get("code").asString()).matches(CODE);
			assertThat(ticket.get("category").asString()).isEqualTo("GA");
			assertThat(ticket.get("seat").isNull()).isTrue();
			assertThat(ticket.get("status").asString()).isEqualTo("VALID");
			assertThat(ticket.get("code").asString()).doesNotContain(booking.id().replace("-", ""));
		}
		assertThat(codes(booking)).doesNotHaveDuplicates();
		assertThat(storedCodes(booking.id())).isEqualTo(codes(booking));
		assertThat(this.api.get("/api/v1/bookings/" + booking.id(), customer).expectStatus(200).json().get("tickets"))
			.isEqualTo(tickets);
		assertThat(
				this.api.get("/api/v1/bookings", customer).expectStatus(200).json().get("items").get(0).get("tickets"))
			.isEqualTo(tickets);
		assertThat(this.api.get("/api/v1/events/" + event + "/bookings", this.organizer)
			.expectStatus(200)
			.json()
			.get("items")
			.get(0)
			.get("tickets")).isEqualTo(tickets);
	}

	@Test
	void aSeatIsOneTicketNamingItsSeatAndItemsKeepTheirOrder() {
		String event = theatre();
		String customer = this.api.customer();

		Response booking = book(customer, event, named("B-2", "A-5"), Map.of("category", "GA", "quantity", 2),
				best("STALLS", 2))
			.expectStatus(201);

		List<String> seats = new ArrayList<>();
		List<String> categories = new ArrayList<>();
		for (JsonNode ticket : booking.json().get("tickets")) {
			categories.add(ticket.get("category").asString());
			seats.add(ticket.get("seat").isNull() ? null : ticket.get("seat").asString());
		}
		assertThat(categories).containsExactly("STALLS", "STALLS", "GA", "GA", "STALLS", "STALLS");
		assertThat(seats).containsExactly("A-5", "B-2", null, null, "A-1", "A-2");
		assertThat(this.api.get("/api/v1/bookings/" + booking.id(), customer).expectStatus(200).json().get("tickets"))
			.isEqualTo(booking.json().get("tickets"));
	}

	@Test
	void confirmingAHoldIssuesItsTicketsAndConfirmingAgainAnswersTheSameTickets() {
		String event = theatre();
		String customer = this.api.customer();
		String hold = hold(customer, event, named("A-3"), Map.of("category", "GA", "quantity", 1)).expectStatus(201)
			.id();
		assertThat(ticketRows(event)).isZero();

		Response booking = this.api.confirm(customer, hold).expectStatus(201);
		Response again = this.api.confirm(customer, hold).expectStatus(201);

		assertThat(booking.json().get("tickets")).hasSize(2);
		assertThat(booking.json().get("tickets").get(0).get("seat").asString()).isEqualTo("A-3");
		assertThat(again.json().get("tickets")).isEqualTo(booking.json().get("tickets"));
		assertThat(storedCodes(booking.id())).isEqualTo(codes(booking));
	}

	@Test
	void anIdempotentReplayAnswersTheTicketsThatWereIssued() {
		String event = theatre();
		String customer = this.api.customer();
		Map<String, String> key = Map.of("Idempotency-Key", "tickets-" + UUID.randomUUID());

		Response first = this.api
			.post("/api/v1/events/" + event + "/bookings", customer,
					Map.of("items", List.of(Map.of("category", "GA", "quantity", 2))), key)
			.expectStatus(201);
		Response replay = this.api
			.post("/api/v1/events/" + event + "/bookings", customer,
					Map.of("items", List.of(Map.of("category", "GA", "quantity", 2))), key)
			.expectStatus(201);

		assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(replay.json().get("tickets")).isEqualTo(first.json().get("tickets"));
		assertThat(storedCodes(first.id())).isEqualTo(codes(first)).hasSize(2);
		assertThat(ticketRows(event)).isEqualTo(2);
	}

	@Test
	void everyAdmissionSoldHasOneTicketAndNoTwoCodesAreAlike() {
		String event = theatre();
		Set<String> codes = new HashSet<>();
		int sold = 0;
		for (int i = 1; i <= 8; i++) {
			Response booking = book(this.api.customer(), event, i).expectStatus(201);
			codes.addAll(codes(booking));
			sold += i;
		}

		assertThat(codes).hasSize(sold);
		assertThat(ticketRows(event)).isEqualTo(sold);
		assertThat(this.api.counts(event, "GA").sold()).isEqualTo(sold);
	}

	@Test
	void cancellingABookingRevokesItsTickets() {
		String event = theatre();
		String customer = this.api.customer();
		Response booking = book(customer, event, named("A-1"), Map.of("category", "GA", "quantity", 2))
			.expectStatus(201);
		Response other = book(this.api.customer(), event, 1).expectStatus(201);

		Response cancelled = this.api.cancelBooking(customer, booking.id()).expectStatus(200);

		assertThat(statuses(cancelled)).containsExactly("REVOKED", "REVOKED", "REVOKED");
		assertThat(codes(cancelled)).isEqualTo(codes(booking));
		assertThat(statuses(this.api.get("/api/v1/bookings/" + booking.id(), customer).expectStatus(200)))
			.containsExactly("REVOKED", "REVOKED", "REVOKED");
		assertThat(this.api.cancelBooking(customer, booking.id()).expectStatus(200).json()).isEqualTo(cancelled.json());
		assertThat(statuses(this.api.get("/api/v1/bookings/" + other.id(), this.organizer).expectStatus(200)))
			.containsExactly("VALID");
	}

	@Test
	void cancellingTheEventRevokesEveryTicketOfIt() {
		String event = theatre();
		String customer = this.api.customer();
		Response first = book(customer, event, named("B-6"), Map.of("category", "GA", "quantity", 1)).expectStatus(201);
		Response second = this.api.confirm(customer, hold(customer, event, 2).expectStatus(201).id()).expectStatus(201);
		String otherEvent = theatre();
		Response elsewhere = book(customer, otherEvent, 1).expectStatus(201);

		this.api.post("/api/v1/events/" + event + "/cancel", this.organizer, null).expectStatus(200);

		assertThat(statuses(this.api.get("/api/v1/bookings/" + first.id(), customer).expectStatus(200)))
			.containsExactly("REVOKED", "REVOKED");
		assertThat(statuses(this.api.get("/api/v1/bookings/" + second.id(), customer).expectStatus(200)))
			.containsExactly("REVOKED", "REVOKED");
		assertThat(statuses(this.api.get("/api/v1/bookings/" + elsewhere.id(), customer).expectStatus(200)))
			.containsExactly("VALID");
		assertThat(this.jdbc.sql("SELECT count(*) FROM ticket WHERE event_id = :id AND revoked_at IS NULL")
			.param("id", UUID.fromString(event))
			.query(Long.class)
			.single()).isZero();
	}

	private static List<String> codes(Response booking) {
		List<String> codes = new ArrayList<>();
		booking.json().get("tickets").forEach(ticket -> codes.add(ticket.get("code").asString()));
		return codes;
	}

	private static List<String> statuses(Response booking) {
		List<String> statuses = new ArrayList<>();
		booking.json().get("tickets").forEach(ticket -> statuses.add(ticket.get("status").asString()));
		return statuses;
	}

	private List<String> storedCodes(String bookingId) {
		return this.jdbc.sql("SELECT code FROM ticket WHERE booking_id = :id ORDER BY position")
			.param("id", UUID.fromString(bookingId))
			.query(String.class)
			.list();
	}

	private long ticketRows(String eventId) {
		return this.jdbc.sql("SELECT count(*) FROM ticket WHERE event_id = :id")
			.param("id", UUID.fromString(eventId))
			.query(Long.class)
			.single();
	}

}
