package io.boxoffice.booking;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import io.boxoffice.support.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.test.context.TestPropertySource;

import static io.boxoffice.booking.Seats.best;
import static io.boxoffice.booking.Seats.itemSeats;
import static io.boxoffice.booking.Seats.named;
import static io.boxoffice.booking.Seats.row;
import static io.boxoffice.booking.Seats.statuses;
import static io.boxoffice.booking.Seats.strings;
import static io.boxoffice.booking.Seats.withStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reserved seating over real HTTP on a real PostgreSQL: named seats, best available, lazy
 * expiry and the database's own refusal of a seat claimed twice. The sweeper is kept from
 * running during a test, so that anything expired is only expired lazily.
 */
@Import(MutableClock.Configuration.class)
@TestPropertySource(properties = "boxoffice.booking.sweep-interval=PT24H")
class ReservedSeatingTest extends IntegrationTest {

	@Autowired
	MutableClock clock;

	@Autowired
	Expiry expiry;

	String organizer;

	@BeforeEach
	void setUp() {
		this.organizer = this.api.organizer();
	}

	/**
	 * GA (10 at 25.00), STALLS rows A and B of 6 seats (60.00), VIP row C of 4 (100.00).
	 */
	private String theatre() {
		return Seats.event(this.api, this.organizer,
				List.of(Seats.generalAdmission("GA", 10),
						Seats.reserved("STALLS", "60.00", List.of(row("A", 1, 6), row("B", 1, 6))),
						Seats.reserved("VIP", "100.00", List.of(row("C", 1, 4)))));
	}

	@Test
	void holdsConfirmsAndCancelsExactlyTheNamedSeats() {
		String eventId = theatre();
		String customer = this.api.customer();

		Response held = hold(customer, eventId, named("A-2", "A-1")).expectStatus(201);

		JsonNode item = held.json().get("items").get(0);
		assertThat(item.get("category").asString()).isEqualTo("STALLS");
		assertThat(item.get("quantity").asInt()).isEqualTo(2);
		assertThat(itemSeats(held)).containsExactly(List.of("A-1", "A-2"));
		assertThat(held.json().get("total").get("amount").asString()).isEqualTo("120.00");
		assertThat(withStatus(this.api, eventId, "HELD")).containsExactly("A-1", "A-2");
		assertThat(withStatus(this.api, eventId, "AVAILABLE")).hasSize(14);
		assertThat(this.api.counts(eventId, "STALLS")).isEqualTo(new Counts(12, 10, 2, 0));
		assertThat(available(eventId, "STALLS")).isEqualTo(10);

		String holdId = held.json().get("id").asString();
		Response booked = this.api.post("/api/v1/holds/" + holdId + "/confirm", customer, null).expectStatus(201);
		assertThat(itemSeats(booked)).containsExactly(List.of("A-1", "A-2"));
		assertThat(withStatus(this.api, eventId, "SOLD")).containsExactly("A-1", "A-2");
		assertThat(this.api.counts(eventId, "STALLS")).isEqualTo(new Counts(12, 10, 0, 2));
		String bookingId = booked.json().get("id").asString();
		assertThat(itemSeats(this.api.get("/api/v1/bookings/" + bookingId, customer).expectStatus(200)))
			.containsExactly(List.of("A-1", "A-2"));
		Response readHold = this.api.get("/api/v1/holds/" + holdId, customer).expectStatus(200);
		assertThat(readHold.json().get("status").asString()).isEqualTo("CONFIRMED");
		assertThat(itemSeats(readHold)).containsExactly(List.of("A-1", "A-2"));

		Response cancelled = this.api.post("/api/v1/bookings/" + bookingId + "/cancel", customer, null)
			.expectStatus(200);
		assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
		assertThat(itemSeats(cancelled)).containsExactly(List.of("A-1", "A-2"));
		assertThat(withStatus(this.api, eventId, "AVAILABLE")).hasSize(16);
		assertThat(this.api.counts(eventId, "STALLS")).isEqualTo(new Counts(12, 12, 0, 0));

		String vipHold = hold(customer, eventId, named("C-1")).expectStatus(201).json().get("id").asString();
		assertThat(statuses(this.api, eventId)).containsEntry("C-1", "HELD");
		this.api.delete("/api/v1/holds/" + vipHold, customer).expectStatus(204);
		assertThat(statuses(this.api, eventId)).containsEntry("C-1", "AVAILABLE");
		assertThat(this.api.counts(eventId, "VIP")).isEqualTo(new Counts(4, 4, 0, 0));
		assertThat(itemSeats(hold(this.api.customer(), eventId, named("C-1")).expectStatus(201)))
			.containsExactly(List.of("C-1"));
	}

	@Test
	void refusesNamedSeatsAllOrNothingListingEverySeatThatIsTaken() {
		String eventId = theatre();
		String first = this.api.customer();
		book(first, eventId, named("A-1")).expectStatus(201);
		hold(first, eventId, named("A-3")).expectStatus(201);
		String second = this.api.customer();

		Response refused = hold(second, eventId, named("A-4", "A-3", "A-2", "A-1"));

		refused.expectStatus(409);
		assertThat(refused.code()).isEqualTo("SEATS_UNAVAILABLE");
		assertThat(strings(refused.json().get("seats"))).containsExactly("A-1", "A-3");

		Response acrossItems = book(second, eventId, named("A-2", "A-3"), named("B-1", "A-1"));
		acrossItems.expectStatus(409);
		assertThat(acrossItems.code()).isEqualTo("SEATS_UNAVAILABLE");
		assertThat(strings(acrossItems.json().get("seats"))).containsExactly("A-1", "A-3");

		assertThat(withStatus(this.api, eventId, "SOLD")).containsExactly("A-1");
		assertThat(withStatus(this.api, eventId, "HELD")).containsExactly("A-3");
		assertThat(this.api.counts(eventId, "STALLS")).isEqualTo(new Counts(12, 10, 1, 1));
		assertThat(activeClaims(eventId)).isEqualTo(2);
	}

	@Test
	void refusesUnknownSeatsAndSeatsOfTwoCategoriesInOneItem() {
		String eventId = theatre();
		String customer = this.api.customer();

		Response unknown = hold(customer, eventId, named("A-1", "Z-9"));
		unknown.expectStatus(400);
		assertThat(unknown.code()).isEqualTo("VALIDATION_FAILED");
		assertThat(unknown.json().get("errors").get(0).get("field").asString()).isEqualTo("items[0].seats");
		assertThat(unknown.json().get("errors").get(0).get("message").asString()).endsWith(": Z-9");

		Response twoCategories = hold(customer, eventId, named("A-1", "C-1"));
		twoCategories.expectStatus(400);
		assertThat(twoCategories.code()).isEqualTo("VALIDATION_FAILED");

		Response twice = hold(customer, eventId, named("A-1"), named("A-1"));
		twice.expectStatus(400);
		assertThat(twice.json().get("errors").get(0).get("field").asString()).isEqualTo("items[1].seats");

		assertThat(activeClaims(eventId)).isZero();
		assertThat(withStatus(this.api, eventId, "AVAILABLE")).hasSize(16);
	}

	@Test
	void mixedRequestOfPoolNamedSeatsAndBestAvailableIsAllOrNothing() {
		String eventId = theatre();
		book(this.api.customer(), eventId, named("A-1")).expectStatus(201);
		String customer = this.api.customer();

		Response seatTaken = book(customer, eventId, best("GA", 2), named("A-1"), best("STALLS", 2));
		seatTaken.expectStatus(409);
		assertThat(seatTaken.code()).isEqualTo("SEATS_UNAVAILABLE");
		assertThat(strings(seatTaken.json().get("seats"))).containsExactly("A-1");

		Response poolShort = book(customer, eventId, best("GA", 11), named("A-2"));
		poolShort.expectStatus(409);
		assertThat(poolShort.code()).isEqualTo("SOLD_OUT");
		assertThat(poolShort.json().get("available").asInt()).isEqualTo(10);

		Response seatsShort = book(customer, eventId, best("GA", 2), named("A-2"), best("VIP", 5));
		seatsShort.expectStatus(409);
		assertThat(seatsShort.code()).isEqualTo("SOLD_OUT");
		assertThat(seatsShort.json().get("available").asInt()).isEqualTo(4);

		assertThat(this.api.counts(eventId, "GA")).isEqualTo(new Counts(10, 10, 0, 0));
		assertThat(this.api.counts(eventId, "STALLS")).isEqualTo(new Counts(12, 11, 0, 1));
		assertThat(this.api.counts(eventId, "VIP")).isEqualTo(new Counts(4, 4, 0, 0));
		assertThat(withStatus(this.api, eventId, "SOLD")).containsExactly("A-1");

		Response booked = book(customer, eventId, best("GA", 2), named("A-2"), best("STALLS", 2)).expectStatus(201);
		assertThat(itemSeats(booked)).containsExactly(List.of(), List.of("A-2"), List.of("A-3", "A-4"));
		assertThat(booked.json().get("items").get(1).get("category").asString()).isEqualTo("STALLS");
		assertThat(booked.json().get("total").get("amount").asString()).isEqualTo("230.00");
		assertThat(this.api.counts(eventId, "GA")).isEqualTo(new Counts(10, 8, 0, 2));
		assertThat(this.api.counts(eventId, "STALLS")).isEqualTo(new Counts(12, 8, 0, 4));
	}

	@Test
	void bestAvailableTakesTheFrontRowWithAdjacentSeatsThenTheLowestNumbers() {
		String eventId = Seats.event(this.api, this.organizer,
				List.of(Seats.reserved("STALLS", "60.00", List.of(row("A", 1, 8), row("B", 1, 4), row("C", 1, 10)))));
		book(this.api.customer(), eventId, named("A-2", "A-4", "A-6", "A-8", "B-1")).expectStatus(201);
		String customer = this.api.customer();

		// row A has only single free seats, so a pair goes to row B
		assertThat(itemSeats(hold(customer, eventId, best("STALLS", 2)).expectStatus(201)))
			.containsExactly(List.of("B-2", "B-3"));
		assertThat(itemSeats(hold(customer, eventId, best("STALLS", 1)).expectStatus(201)))
			.containsExactly(List.of("A-1"));
		assertThat(itemSeats(hold(customer, eventId, best("STALLS", 3)).expectStatus(201)))
			.containsExactly(List.of("C-1", "C-2", "C-3"));
		assertThat(itemSeats(book(customer, eventId, best("STALLS", 2)).expectStatus(201)))
			.containsExactly(List.of("C-4", "C-5"));
	}

	@Test
	void bestAvailableSplitsInSeatMapOrderWhenNoRowHasEnoughAdjacentSeats() {
		// Z is listed first, so it is the front row
		String eventId = Seats.event(this.api, this.organizer,
				List.of(Seats.reserved("STALLS", "60.00", List.of(row("Z", 1, 3), row("A", 1, 3)))));
		book(this.api.customer(), eventId, named("Z-2", "A-2")).expectStatus(201);
		String customer = this.api.customer();

		assertThat(itemSeats(hold(customer, eventId, best("STALLS", 3)).expectStatus(201)))
			.containsExactly(List.of("Z-1", "Z-3", "A-1"));
		Response soldOut = hold(customer, eventId, best("STALLS", 2));
		soldOut.expectStatus(409);
		assertThat(soldOut.code()).isEqualTo("SOLD_OUT");
		assertThat(soldOut.json().get("available").asInt()).isEqualTo(1);
		assertThat(itemSeats(hold(customer, eventId, best("STALLS", 1)).expectStatus(201)))
			.containsExactly(List.of("A-3"));
		assertThat(statuses(this.api, eventId)).containsExactly(Map.entry("Z-1", "HELD"), Map.entry("Z-2", "SOLD"),
				Map.entry("Z-3", "HELD"), Map.entry("A-1", "HELD"), Map.entry("A-2", "SOLD"), Map.entry("A-3", "HELD"));
	}

	@Test
	void seatsOfALapsedHoldAreAvailableAtOnceAndTakenOverWithoutTheSweeper() {
		String eventId = theatre();
		String first = this.api.customer();
		String lapsing = hold(first, eventId, named("A-1", "A-2")).expectStatus(201).json().get("id").asString();

		this.clock.advance(Duration.ofSeconds(601));

		assertThat(storedHoldStatus(lapsing)).isEqualTo("ACTIVE");
		assertThat(withStatus(this.api, eventId, "AVAILABLE")).hasSize(16);
		assertThat(this.api.counts(eventId, "STALLS")).isEqualTo(new Counts(12, 12, 0, 0));
		assertThat(available(eventId, "STALLS")).isEqualTo(12);
		assertThat(this.api.get("/api/v1/holds/" + lapsing, first).json().get("status").asString())
			.isEqualTo("EXPIRED");
		// the lapsed claims still stand in the database until a sale needs the seats
		assertThat(activeClaims(eventId)).isEqualTo(2);

		assertThat(itemSeats(hold(this.api.customer(), eventId, named("A-1")).expectStatus(201)))
			.containsExactly(List.of("A-1"));
		assertThat(itemSeats(book(this.api.customer(), eventId, best("STALLS", 1)).expectStatus(201)))
			.containsExactly(List.of("A-2"));
		Response confirm = this.api.post("/api/v1/holds/" + lapsing + "/confirm", first, null);
		confirm.expectStatus(410);
		assertThat(confirm.code()).isEqualTo("HOLD_EXPIRED");

		assertThat(statuses(this.api, eventId)).containsEntry("A-1", "HELD").containsEntry("A-2", "SOLD");
		assertThat(this.api.counts(eventId, "STALLS")).isEqualTo(new Counts(12, 10, 1, 1));
		assertThat(activeClaims(eventId)).isEqualTo(2);
		assertThat(this.jdbc.sql("SELECT count(*) FROM seat_claim WHERE hold_id = :id AND active")
			.param("id", UUID.fromString(lapsing))
			.query(Integer.class)
			.single()).isZero();

		// the sale engine expired the lapsed hold before its batch read the seats; the
		// sweeper, when it comes, finds nothing left and leaves the new claims alone
		assertThat(this.expiry.expireDue(UUID.fromString(eventId))).isZero();
		assertThat(storedHoldStatus(lapsing)).isEqualTo("EXPIRED");
		assertThat(this.api.counts(eventId, "STALLS")).isEqualTo(new Counts(12, 10, 1, 1));
		assertThat(activeClaims(eventId)).isEqualTo(2);
	}

	@Test
	void cancellingTheEventReturnsEverySeat() {
		String eventId = theatre();
		book(this.api.customer(), eventId, named("A-1"), best("VIP", 2)).expectStatus(201);
		hold(this.api.customer(), eventId, named("B-6")).expectStatus(201);

		this.api.post("/api/v1/events/" + eventId + "/cancel", this.organizer, null).expectStatus(200);

		assertThat(withStatus(this.api, eventId, "AVAILABLE")).hasSize(16);
		assertThat(this.api.counts(eventId, "STALLS")).isEqualTo(new Counts(12, 12, 0, 0));
		assertThat(this.api.counts(eventId, "VIP")).isEqualTo(new Counts(4, 4, 0, 0));
		assertThat(activeClaims(eventId)).isZero();
	}

	@Test
	void idempotentRetryReplaysTheSameSeatsAndClaimsNothingMore() {
		String eventId = theatre();
		String customer = this.api.customer();
		Map<String, Object> body = Seats.items(best("STALLS", 2));

		Response first = this.api.post("/api/v1/events/" + eventId + "/holds", customer, body,
				Map.of("Idempotency-Key", "seats-1"));
		Response again = this.api.post("/api/v1/events/" + eventId + "/holds", customer, body,
				Map.of("Idempotency-Key", "seats-1"));

		first.expectStatus(201);
		again.expectStatus(201);
		assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(again.json()).isEqualTo(first.json());
		assertThat(itemSeats(first)).containsExactly(List.of("A-1", "A-2"));
		assertThat(this.api.counts(eventId, "STALLS")).isEqualTo(new Counts(12, 10, 2, 0));
	}

	@Test
	void databaseRefusesASeatInTwoActiveClaimsWhateverJavaDoes() {
		String eventId = theatre();
		String customer = this.api.customer();
		UUID held = UUID
			.fromString(hold(customer, eventId, named("A-1")).expectStatus(201).json().get("id").asString());
		long seat = seatId(eventId, "A-1");

		assertThatThrownBy(() -> this.jdbc.sql("""
				INSERT INTO seat_claim (seat_id, event_id, hold_id, position, expires_at, active)
				VALUES (:seat, :event, :hold, 1, now() + interval '1 hour', true)
				""").param("seat", seat).param("event", UUID.fromString(eventId)).param("hold", held).update())
			.isInstanceOf(DataIntegrityViolationException.class)
			.hasMessageContaining("seat_claim_one_active_per_seat");

		this.api.delete("/api/v1/holds/" + held, customer).expectStatus(204);
		hold(this.api.customer(), eventId, named("A-1")).expectStatus(201);
		assertThatThrownBy(() -> this.jdbc.sql("UPDATE seat_claim SET active = true WHERE hold_id = :hold")
			.param("hold", held)
			.update()).isInstanceOf(DataIntegrityViolationException.class)
			.hasMessageContaining("seat_claim_one_active_per_seat");
		assertThat(activeClaims(eventId)).isEqualTo(1);
	}

	@Test
	void listsAndCountsTheSeatsOfA20000SeatStadium() {
		List<Map<String, Object>> rows = new ArrayList<>();
		for (int r = 1; r <= 100; r++) {
			rows.add(row("R" + r, 1, 200));
		}
		String eventId = Seats.event(this.api, this.organizer,
				List.of(Seats.reserved("STADIUM", "40.00", rows), Seats.generalAdmission("GA", 100)));
		book(this.api.customer(), eventId, named("R1-1", "R50-100", "R100-200"), best("STADIUM", 4)).expectStatus(201);
		hold(this.api.customer(), eventId, best("STADIUM", 2)).expectStatus(201);

		// one query for /seats and one for the counts, however many seats
		// (SeatRepository)
		Map<String, Long> byStatus = statuses(this.api, eventId).values()
			.stream()
			.collect(Collectors.groupingBy(status -> status, Collectors.counting()));
		assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of("AVAILABLE", 19_991L, "HELD", 2L, "SOLD", 7L));
		assertThat(withStatus(this.api, eventId, "SOLD")).containsExactly("R1-1", "R1-2", "R1-3", "R1-4", "R1-5",
				"R50-100", "R100-200");
		assertThat(withStatus(this.api, eventId, "HELD")).containsExactly("R1-6", "R1-7");
		assertThat(this.api.counts(eventId, "STADIUM")).isEqualTo(new Counts(20_000, 19_991, 2, 7));
		assertThat(available(eventId, "STADIUM")).isEqualTo(19_991);
		assertThat(this.api.get("/api/v1/events/" + eventId + "/seats?category=STADIUM", null)
			.expectStatus(200)
			.json()
			.get("seats")
			.size()).isEqualTo(20_000);
	}

	private int available(String eventId, String category) {
		for (JsonNode node : this.api.get("/api/v1/events/" + eventId, null)
			.expectStatus(200)
			.json()
			.get("categories")) {
			if (node.get("code").asString().equals(category)) {
				return node.get("available").asInt();
			}
		}
		throw new AssertionError("No category " + category);
	}

	private int activeClaims(String eventId) {
		return this.jdbc.sql("SELECT count(*) FROM seat_claim WHERE event_id = :id AND active")
			.param("id", UUID.fromString(eventId))
			.query(Integer.class)
			.single();
	}

	private long seatId(String eventId, String label) {
		return this.jdbc.sql("SELECT id FROM seat WHERE event_id = :event AND label = :label")
			.param("event", UUID.fromString(eventId))
			.param("label", label)
			.query(Long.class)
			.single();
	}

}
