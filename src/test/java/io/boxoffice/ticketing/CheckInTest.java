package io.boxoffice.ticketing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import io.boxoffice.support.Race;
import io.boxoffice.support.SecondInstance;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Check-in at the gates: one admitting scan per ticket, whatever the concurrency; the
 * rules for revoked, unknown and foreign tickets and for roles; a scanner's retry; the
 * counts per gate.
 */
class CheckInTest extends IntegrationTest {

	@Autowired
	MeterRegistry metrics;

	String organizer;

	String event;

	String customer;

	@BeforeEach
	void setUp() {
		this.organizer = this.api.organizer();
		this.event = this.api.gaEvent(this.organizer, 100);
		this.customer = this.api.customer();
	}

	private List<String> codes(Response booking) {
		List<String> codes = new ArrayList<>();
		booking.json().get("tickets").forEach(ticket -> codes.add(ticket.get("code").asString()));
		return codes;
	}

	private List<String> buy(int quantity) {
		return codes(book(this.customer, this.event, quantity).expectStatus(201));
	}

	private Response scan(Api api, String eventId, String code, @Nullable String gate) {
		return scan(api, eventId, code, gate, Map.of());
	}

	private Response scan(Api api, String eventId, String code, @Nullable String gate, Map<String, String> headers) {
		Map<String, Object> body = (gate != null) ? Map.<String, Object>of("code", code, "gate", gate)
				: Map.<String, Object>of("code", code);
		return api.post("/api/v1/events/" + eventId + "/checkins", this.organizer, body, headers);
	}

	private Response scan(String code, @Nullable String gate) {
		return scan(this.api, this.event, code, gate);
	}

	@Test
	void theFirstScanAdmitsAndLaterScansLearnWhenAndWhere() {
		Response booking = book(this.customer, this.event, 2).expectStatus(201);
		String code = codes(booking).get(0);

		Response admitted = scan(code, "North").expectStatus(200);
		Response again = scan(code, "South");

		JsonNode body = admitted.json();
		assertThat(body.get("result").asString()).isEqualTo("ADMITTED");
		assertThat(body.get("gate").asString()).isEqualTo("North");
		assertThat(body.get("ticket").get("code").asString()).isEqualTo(code);
		assertThat(body.get("ticket").get("status").asString()).isEqualTo("CHECKED_IN");
		assertThat(body.get("ticket").get("id").asString())
			.isEqualTo(booking.json().get("tickets").get(0).get("id").asString());
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.code()).isEqualTo("ALREADY_CHECKED_IN");
		assertThat(again.json().get("checkedInAt").asString()).isEqualTo(body.get("checkedInAt").asString());
		assertThat(again.json().get("gate").asString()).isEqualTo("North");
		JsonNode tickets = this.api.get("/api/v1/bookings/" + booking.id(), this.customer)
			.expectStatus(200)
			.json()
			.get("tickets");
		assertThat(tickets.get(0).get("status").asString()).isEqualTo("CHECKED_IN");
		assertThat(tickets.get(1).get("status").asString()).isEqualTo("VALID");
	}

	@Test
	void aScanWithoutAGateAdmitsAndItsLosersGetANullGate() {
		String code = buy(1).get(0);

		Response admitted = scan(code, null).expectStatus(200);
		Response again = scan(code, "East");

		assertThat(admitted.json().get("gate").isNull()).isTrue();
		assertThat(again.code()).isEqualTo("ALREADY_CHECKED_IN");
		assertThat(again.json().has("gate")).isTrue();
		assertThat(again.json().get("gate").isNull()).isTrue();
	}

	@Test
	void oneTicketScannedAtOnceFromManyGatesOnTwoInstancesIsAdmittedExactlyOnce() {
		List<String> codes = buy(3);
		try (SecondInstance second = new SecondInstance()) {
			Api other = second.api();
			for (String code : codes) {
				int scanners = 24;
				List<Response> answers = Race.run(scanners,
						i -> scan((i % 2 == 0) ? this.api : other, this.event, code, "Gate " + i));

				List<Response> admitted = answers.stream().filter(answer -> answer.status() == 200).toList();
				assertThat(admitted).hasSize(1);
				JsonNode winner = admitted.get(0).json();
				List<Response> refused = answers.stream().filter(answer -> answer.status() != 200).toList();
				assertThat(refused).hasSize(scanners - 1).allSatisfy(answer -> {
					assertThat(answer.status()).isEqualTo(409);
					assertThat(answer.code()).isEqualTo("ALREADY_CHECKED_IN");
					assertThat(answer.json().get("checkedInAt").asString())
						.isEqualTo(winner.get("checkedInAt").asString());
					assertThat(answer.json().get("gate").asString()).isEqualTo(winner.get("gate").asString());
				});
			}
		}
		assertThat(checkedIn(this.event)).isEqualTo(3);
	}

	@Test
	void aTicketOfACancelledBookingOrEventIsRevoked() {
		Response booking = book(this.customer, this.event, 1).expectStatus(201);
		Response kept = book(this.customer, this.event, 1).expectStatus(201);
		this.api.cancelBooking(this.customer, booking.id()).expectStatus(200);

		assertThat(scan(codes(booking).get(0), "North").code()).isEqualTo("TICKET_REVOKED");
		assertThat(scan(codes(booking).get(0), "North").status()).isEqualTo(409);

		this.api.post("/api/v1/events/" + this.event + "/cancel", this.organizer, null).expectStatus(200);

		Response revoked = scan(codes(kept).get(0), "North");
		assertThat(revoked.status()).isEqualTo(409);
		assertThat(revoked.code()).isEqualTo("TICKET_REVOKED");
		assertThat(checkedIn(this.event)).isZero();
	}

	@Test
	void unknownCodesForeignEventsAndOtherRolesAreRefusedAndChangeNothing() {
		String code = buy(1).get(0);
		String otherEvent = this.api.gaEvent(this.organizer, 10);
		String otherOrganizer = this.api.organizer();
		String body = Api.json(Map.of("code", code, "gate", "North"));

		assertThat(scan("AAAAAAAAAAAAAAAAAAAAAA", "North").status()).isEqualTo(404);
		assertThat(scan("not a code at all!", "North").status()).isEqualTo(404);
		assertThat(scan(this.api, otherEvent, code, "North").status()).as("another event of the same organizer")
			.isEqualTo(404);
		assertThat(this.api.post("/api/v1/events/" + this.event + "/checkins", otherOrganizer, body).code())
			.isEqualTo("NOT_FOUND");
		assertThat(this.api.post("/api/v1/events/" + this.event + "/checkins", this.customer, body).status())
			.isEqualTo(403);
		assertThat(this.api.post("/api/v1/events/" + this.event + "/checkins", null, body).status()).isEqualTo(401);
		assertThat(this.api.get("/api/v1/events/" + this.event + "/checkins", otherOrganizer).status()).isEqualTo(404);
		assertThat(this.api.get("/api/v1/events/" + this.event + "/checkins", this.customer).status()).isEqualTo(403);
		assertThat(this.api.post("/api/v1/events/" + UUID.randomUUID() + "/checkins", this.organizer, body).status())
			.isEqualTo(404);
		assertThat(checkedIn(this.event)).isZero();

		scan(code, "North").expectStatus(200);
	}

	@Test
	void aBadGateOrBodyIsAValidationErrorAndChangesNothing() {
		String code = buy(1).get(0);

		for (String gate : List.of("", "   ", "x".repeat(65), "North\tGate", "North\u0000")) {
			Response refused = this.api.post("/api/v1/events/" + this.event + "/checkins", this.organizer,
					Api.json(Map.of("code", code, "gate", gate)));
			assertThat(refused.status()).as(gate).isEqualTo(400);
			assertThat(refused.code()).isEqualTo("VALIDATION_FAILED");
		}
		assertThat(
				this.api.post("/api/v1/events/" + this.event + "/checkins", this.organizer, Map.of("gate", "N")).code())
			.isEqualTo("VALIDATION_FAILED");
		assertThat(this.api
			.post("/api/v1/events/" + this.event + "/checkins", this.organizer, Map.of("code", 17, "gate", "N"))
			.status()).isEqualTo(400);
		assertThat(scan(this.api, this.event, code, "North", Map.of("Idempotency-Key", "has space")).status())
			.isEqualTo(400);
		assertThat(checkedIn(this.event)).isZero();

		Response admitted = scan(code, "Ö".repeat(64)).expectStatus(200);
		assertThat(admitted.json().get("gate").asString()).isEqualTo("Ö".repeat(64));
	}

	@Test
	void aScannersRetryWithItsKeyGetsTheFirstAnswerAgain() {
		List<String> codes = buy(2);
		Map<String, String> key = Map.of("Idempotency-Key", "scanner-7-" + UUID.randomUUID());

		Response first = scan(this.api, this.event, codes.get(0), "North", key).expectStatus(200);
		Response retry = scan(this.api, this.event, codes.get(0), "North", key).expectStatus(200);
		Response withoutKey = scan(codes.get(0), "North");
		Response otherTicket = scan(this.api, this.event, codes.get(1), "North", key);
		Response otherGate = scan(this.api, this.event, codes.get(0), "South", key);

		assertThat(retry.json()).isEqualTo(first.json());
		assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(first.header("Idempotent-Replayed")).isNull();
		assertThat(withoutKey.code()).isEqualTo("ALREADY_CHECKED_IN");
		assertThat(otherTicket.status()).isEqualTo(422);
		assertThat(otherTicket.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
		assertThat(otherGate.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
		assertThat(checkedIn(this.event)).isEqualTo(1);
		// the refused scans changed nothing: the other ticket is still valid
		scan(this.api, this.event, codes.get(1), "North", Map.of("Idempotency-Key", "scanner-8-" + UUID.randomUUID()))
			.expectStatus(200);
	}

	@Test
	void countsTheValidAndCheckedInTicketsPerGate() {
		List<String> codes = buy(6);
		Response cancelled = book(this.customer, this.event, 2).expectStatus(201);
		this.api.cancelBooking(this.customer, cancelled.id()).expectStatus(200);
		scan(codes.get(0), "North").expectStatus(200);
		scan(codes.get(1), "North").expectStatus(200);
		scan(codes.get(2), "South").expectStatus(200);
		scan(codes.get(3), null).expectStatus(200);
		scan(codes.get(0), "South");

		JsonNode counts = this.api.get("/api/v1/events/" + this.event + "/checkins", this.organizer)
			.expectStatus(200)
			.json();

		assertThat(counts.get("tickets").asLong()).isEqualTo(6);
		assertThat(counts.get("checkedIn").asLong()).isEqualTo(4);
		assertThat(counts.get("byGate").properties()).hasSize(2);
		assertThat(counts.get("byGate").get("North").asLong()).isEqualTo(2);
		assertThat(counts.get("byGate").get("South").asLong()).isEqualTo(1);
		JsonNode empty = this.api
			.get("/api/v1/events/" + this.api.gaEvent(this.organizer, 5) + "/checkins", this.organizer)
			.expectStatus(200)
			.json();
		assertThat(empty.get("tickets").asLong()).isZero();
		assertThat(empty.get("checkedIn").asLong()).isZero();
		assertThat(empty.get("byGate").properties()).isEmpty();
	}

	@Test
	void ticketsIssuedAndCheckInsByResultAreCounted() {
		double issued = this.metrics.counter("boxoffice.tickets.issued").count();
		double admitted = this.metrics.counter("boxoffice.checkins", "result", "ADMITTED").count();
		double already = this.metrics.counter("boxoffice.checkins", "result", "ALREADY_CHECKED_IN").count();

		String code = buy(3).get(0);
		scan(code, "North").expectStatus(200);
		scan(code, "North");

		assertThat(this.metrics.counter("boxoffice.tickets.issued").count()).isEqualTo(issued + 3);
		assertThat(this.metrics.counter("boxoffice.checkins", "result", "ADMITTED").count()).isEqualTo(admitted + 1);
		assertThat(this.metrics.counter("boxoffice.checkins", "result", "ALREADY_CHECKED_IN").count())
			.isEqualTo(already + 1);
	}

	private long checkedIn(String eventId) {
		return this.jdbc.sql("SELECT count(*) FROM ticket WHERE event_id = :id AND checked_in_at IS NOT NULL")
			.param("id", UUID.fromString(eventId))
			.query(Long.class)
			.single();
	}

}
