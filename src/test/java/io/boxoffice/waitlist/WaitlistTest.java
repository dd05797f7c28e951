package io.boxoffice.waitlist;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.ClockedIntegrationTest;
import io.boxoffice.support.Ledger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The waiting list of a sold-out category: who may join, and how returned tickets are
 * offered in order of joining, as holds, to the entries they fit (the sweeper does not
 * run during these tests, so a lapsed offer is noticed by a sale or a release).
 */
class WaitlistTest extends ClockedIntegrationTest {

	String organizer;

	@BeforeEach
	void setUp() {
		this.organizer = this.api.organizer();
	}

	@AfterEach
	void booksBalance() {
		Ledger.assertBalanced(this.jdbc);
	}

	@Test
	void joinsOnlyWhenTooFewAreAvailableAndOncePerCategory() {
		String event = this.api.gaEvent(this.organizer, 4, 60, null);
		book(this.api.customer(), event, 3).expectStatus(201);
		String first = this.api.customer();
		String second = this.api.customer();

		Response notSoldOut = join(second, event, "GA", 1);
		notSoldOut.expectStatus(409);
		assertThat(notSoldOut.code()).isEqualTo("NOT_SOLD_OUT");
		assertThat(notSoldOut.json().get("available").asInt()).isEqualTo(1);

		Response joined = join(first, event, "GA", 2).expectStatus(201);
		assertThat(joined.json().get("status").asString()).isEqualTo("WAITING");
		assertThat(joined.json().get("position").asInt()).isEqualTo(1);
		assertThat(joined.json().get("quantity").asInt()).isEqualTo(2);
		assertThat(joined.json().get("category").asString()).isEqualTo("GA");
		assertThat(joined.json().get("eventId").asString()).isEqualTo(event);
		assertThat(joined.json().get("holdId").isNull()).isTrue();
		assertThat(joined.json().get("offerExpiresAt").isNull()).isTrue();
		assertThat(joined.header("Location")).isEqualTo("/api/v1/waitlist/" + joined.id());

		Response again = join(first, event, "GA", 3);
		again.expectStatus(409);
		assertThat(again.code()).isEqualTo("ALREADY_WAITING");
		assertThat(join(second, event, "GA", 2).expectStatus(201).json().get("position").asInt()).isEqualTo(2);

		assertThat(join(second, event, "VIP", 2).code()).isEqualTo("VALIDATION_FAILED");
		assertThat(join(second, event, "GA", 0).code()).isEqualTo("VALIDATION_FAILED");
		assertThat(join(second, event, "GA", 51).code()).isEqualTo("VALIDATION_FAILED");
		assertThat(this.api
			.post("/api/v1/events/" + event + "/waitlist", second, Map.of("category", "GA", "quantity", "2"))
			.status()).isEqualTo(400);
		assertThat(this.api
			.post("/api/v1/events/" + event + "/waitlist", this.organizer, Map.of("category", "GA", "quantity", 2))
			.code()).isEqualTo("FORBIDDEN");
		assertThat(entries(first)).hasSize(1);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(4, 1, 0, 3));
	}

	@Test
	void refusesToJoinPastTheLimitOrACancelledEvent() {
		String event = this.api.gaEvent(this.organizer, 2, 60, 3);
		String customer = this.api.customer();
		book(customer, event, 2).expectStatus(201);

		Response over = join(customer, event, "GA", 2);
		over.expectStatus(422);
		assertThat(over.code()).isEqualTo("LIMIT_EXCEEDED");
		assertThat(over.json().get("maxTicketsPerCustomer").asInt()).isEqualTo(3);
		join(customer, event, "GA", 1).expectStatus(201);

		this.api.post("/api/v1/events/" + event + "/cancel", this.organizer, null).expectStatus(200);
		Response cancelled = join(this.api.customer(), event, "GA", 1);
		cancelled.expectStatus(409);
		assertThat(cancelled.code()).isEqualTo("EVENT_CANCELLED");
		assertThat(entries(customer).get(0).get("status").asString()).isEqualTo("EXPIRED");
	}

	@Test
	void aCancelledBookingIsOfferedInOrderToEveryEntryItFits() {
		String event = this.api.gaEvent(this.organizer, 5, 60, null);
		String seller = this.api.customer();
		Response returned = book(seller, event, 3).expectStatus(201);
		book(this.api.customer(), event, 2).expectStatus(201);
		List<String> customers = customers(4);
		List<Response> entries = new ArrayList<>();
		int[] quantities = { 2, 3, 1, 1 };
		for (int i = 0; i < 4; i++) {
			entries.add(join(customers.get(i), event, "GA", quantities[i]).expectStatus(201));
		}

		this.api.cancelBooking(seller, returned.id()).expectStatus(200);

		JsonNode first = entry(customers.get(0), entries.get(0));
		assertThat(first.get("status").asString()).isEqualTo("OFFERED");
		assertThat(first.get("position").isNull()).isTrue();
		JsonNode hold = this.api.get("/api/v1/holds/" + first.get("holdId").asString(), customers.get(0))
			.expectStatus(200)
			.json();
		assertThat(hold.get("status").asString()).isEqualTo("ACTIVE");
		assertThat(hold.get("items").get(0).get("quantity").asInt()).isEqualTo(2);
		assertThat(hold.get("expiresAt").asString()).isEqualTo(first.get("offerExpiresAt").asString());
		JsonNode skipped = entry(customers.get(1), entries.get(1));
		assertThat(skipped.get("status").asString()).isEqualTo("WAITING");
		assertThat(skipped.get("position").asInt()).isEqualTo(1);
		assertThat(entry(customers.get(2), entries.get(2)).get("status").asString()).isEqualTo("OFFERED");
		JsonNode last = entry(customers.get(3), entries.get(3));
		assertThat(last.get("status").asString()).isEqualTo("WAITING");
		assertThat(last.get("position").asInt()).isEqualTo(2);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(5, 0, 3, 2));
	}

	@Test
	void whatNoEntryFitsBecomesAvailableToEveryone() {
		String event = this.api.gaEvent(this.organizer, 3, 60, null);
		String seller = this.api.customer();
		Response returned = book(seller, event, 1).expectStatus(201);
		book(this.api.customer(), event, 2).expectStatus(201);
		String waiting = this.api.customer();
		Response entry = join(waiting, event, "GA", 2).expectStatus(201);

		this.api.cancelBooking(seller, returned.id()).expectStatus(200);

		assertThat(entry(waiting, entry).get("status").asString()).isEqualTo("WAITING");
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(3, 1, 0, 2));
		book(this.api.customer(), event, 1).expectStatus(201);
	}

	@Test
	void aLapsedOfferExpiresAndPassesOnBeforeAnyoneElseBuys() {
		String event = this.api.gaEvent(this.organizer, 2, 60, null);
		String seller = this.api.customer();
		Response returned = book(seller, event, 2).expectStatus(201);
		String first = this.api.customer();
		String second = this.api.customer();
		Response firstEntry = join(first, event, "GA", 2).expectStatus(201);
		Response secondEntry = join(second, event, "GA", 2).expectStatus(201);
		this.api.cancelBooking(seller, returned.id()).expectStatus(200);
		Instant lapses = Instant.parse(entry(first, firstEntry).get("offerExpiresAt").asString());

		clock.set(lapses);
		assertThat(entry(first, firstEntry).get("status").asString()).isEqualTo("EXPIRED");
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(2, 2, 0, 0));
		Response outsider = book(this.api.customer(), event, 1);

		assertThat(outsider.code()).isEqualTo("SOLD_OUT");
		assertThat(entry(first, firstEntry).get("status").asString()).isEqualTo("EXPIRED");
		JsonNode next = entry(second, secondEntry);
		assertThat(next.get("status").asString()).isEqualTo("OFFERED");
		assertThat(Instant.parse(next.get("offerExpiresAt").asString())).isEqualTo(lapses.plusSeconds(60));
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(2, 0, 2, 0));
		assertThat(offerCount(event, "EXPIRED")).isEqualTo(1);
	}

	@Test
	void confirmingTheOfferedHoldAcceptsTheEntry() {
		String event = this.api.gaEvent(this.organizer, 2, 60, null);
		String seller = this.api.customer();
		Response returned = book(seller, event, 2).expectStatus(201);
		String waiting = this.api.customer();
		Response entry = join(waiting, event, "GA", 2).expectStatus(201);
		this.api.cancelBooking(seller, returned.id()).expectStatus(200);
		String holdId = entry(waiting, entry).get("holdId").asString();

		Response booking = this.api.confirm(waiting, holdId).expectStatus(201);

		assertThat(booking.json().get("holdId").asString()).isEqualTo(holdId);
		JsonNode accepted = entry(waiting, entry);
		assertThat(accepted.get("status").asString()).isEqualTo("ACCEPTED");
		assertThat(accepted.get("position").isNull()).isTrue();
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(2, 0, 0, 2));
		this.api.delete("/api/v1/waitlist/" + entry.id(), waiting).expectStatus(204);
		assertThat(entry(waiting, entry).get("status").asString()).isEqualTo("ACCEPTED");
		join(waiting, event, "GA", 1).expectStatus(201);
	}

	@Test
	void leavingReleasesTheOfferAndPassesItOn() {
		String event = this.api.gaEvent(this.organizer, 2, 60, null);
		String seller = this.api.customer();
		Response returned = book(seller, event, 2).expectStatus(201);
		List<String> customers = customers(3);
		List<Response> entries = new ArrayList<>();
		for (String customer : customers) {
			entries.add(join(customer, event, "GA", 2).expectStatus(201));
		}
		this.api.cancelBooking(seller, returned.id()).expectStatus(200);
		String firstHold = entry(customers.get(0), entries.get(0)).get("holdId").asString();

		this.api.delete("/api/v1/waitlist/" + entries.get(0).id(), customers.get(0)).expectStatus(204);

		assertThat(entry(customers.get(0), entries.get(0)).get("status").asString()).isEqualTo("LEFT");
		assertThat(this.api.get("/api/v1/holds/" + firstHold, customers.get(0)).json().get("status").asString())
			.isEqualTo("RELEASED");
		assertThat(entry(customers.get(1), entries.get(1)).get("status").asString()).isEqualTo("OFFERED");
		String secondHold = entry(customers.get(1), entries.get(1)).get("holdId").asString();

		// releasing the offered hold declines the offer in the same way
		this.api.delete("/api/v1/holds/" + secondHold, customers.get(1)).expectStatus(204);
		assertThat(entry(customers.get(1), entries.get(1)).get("status").asString()).isEqualTo("LEFT");
		assertThat(entry(customers.get(2), entries.get(2)).get("status").asString()).isEqualTo("OFFERED");
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(2, 0, 2, 0));

		// a waiting entry just leaves; again changes nothing
		String late = this.api.customer();
		Response lateEntry = join(late, event, "GA", 1).expectStatus(201);
		this.api.delete("/api/v1/waitlist/" + lateEntry.id(), late).expectStatus(204);
		this.api.delete("/api/v1/waitlist/" + lateEntry.id(), late).expectStatus(204);
		assertThat(entry(late, lateEntry).get("status").asString()).isEqualTo("LEFT");
		assertThat(this.api.delete("/api/v1/waitlist/" + lateEntry.id(), customers.get(0)).code())
			.isEqualTo("NOT_FOUND");
	}

	@Test
	void anOfferThatWouldPassTheLimitIsNotMadeAndTheEntryKeepsItsPlace() {
		Map<String, Object> body = new HashMap<>();
		body.put("name", "Two floors");
		body.put("startsAt", "2035-01-01T19:00:00Z");
		body.put("holdTtlSeconds", 60);
		body.put("maxTicketsPerCustomer", 3);
		body.put("categories",
				List.of(Map.of("code", "GA", "name", "Standing", "price", "25.00", "currency", "EUR", "capacity", 2),
						Map.of("code", "VIP", "name", "Balcony", "price", "90.00", "currency", "EUR", "capacity", 5)));
		String event = this.api.event(this.organizer, body);
		String seller = this.api.customer();
		Response returned = book(seller, event, Map.of("category", "GA", "quantity", 2)).expectStatus(201);
		String greedy = this.api.customer();
		String patient = this.api.customer();
		Response greedyEntry = join(greedy, event, "GA", 2).expectStatus(201);
		Response patientEntry = join(patient, event, "GA", 2).expectStatus(201);
		book(greedy, event, Map.of("category", "VIP", "quantity", 2)).expectStatus(201);

		this.api.cancelBooking(seller, returned.id()).expectStatus(200);

		JsonNode kept = entry(greedy, greedyEntry);
		assertThat(kept.get("status").asString()).isEqualTo("WAITING");
		assertThat(kept.get("position").asInt()).isEqualTo(1);
		assertThat(entry(patient, patientEntry).get("status").asString()).isEqualTo("OFFERED");
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(2, 0, 2, 0));
	}

	@Test
	void aReservedCategoryOffersTheBestAvailableSeats() {
		Map<String, Object> body = new HashMap<>();
		body.put("name", "Small hall");
		body.put("startsAt", "2035-01-01T19:00:00Z");
		body.put("holdTtlSeconds", 60);
		body.put("categories", List.of(Map.of("code", "STALLS", "name", "Stalls", "price", "40.00", "currency", "EUR",
				"seats", List.of(Map.of("row", "A", "from", 1, "to", 4)))));
		String event = this.api.event(this.organizer, body);
		String seller = this.api.customer();
		book(this.api.customer(), event, Map.of("seats", List.of("A-1", "A-4"))).expectStatus(201);
		Response returned = book(seller, event, Map.of("seats", List.of("A-2", "A-3"))).expectStatus(201);
		String waiting = this.api.customer();
		String single = this.api.customer();
		Response entry = join(waiting, event, "STALLS", 2).expectStatus(201);
		Response singleEntry = join(single, event, "STALLS", 1).expectStatus(201);

		this.api.cancelBooking(seller, returned.id()).expectStatus(200);

		JsonNode offered = entry(waiting, entry);
		assertThat(offered.get("status").asString()).isEqualTo("OFFERED");
		JsonNode items = this.api.get("/api/v1/holds/" + offered.get("holdId").asString(), waiting)
			.expectStatus(200)
			.json()
			.get("items");
		assertThat(items.get(0).get("seats").get(0).asString()).isEqualTo("A-2");
		assertThat(items.get(0).get("seats").get(1).asString()).isEqualTo("A-3");
		assertThat(entry(single, singleEntry).get("status").asString()).isEqualTo("WAITING");
		assertThat(this.api.counts(event, "STALLS")).isEqualTo(new Counts(4, 0, 2, 2));
	}

	@Test
	void theSeatsOfALapsedHoldGoToTheLineBeforeAnyClaimTakesThemOver() {
		Map<String, Object> body = new HashMap<>();
		body.put("name", "Tiny hall");
		body.put("startsAt", "2035-01-01T19:00:00Z");
		body.put("holdTtlSeconds", 60);
		body.put("categories", List.of(Map.of("code", "STALLS", "name", "Stalls", "price", "40.00", "currency", "EUR",
				"seats", List.of(Map.of("row", "A", "from", 1, "to", 3)))));
		String event = this.api.event(this.organizer, body);
		book(this.api.customer(), event, Map.of("seats", List.of("A-2", "A-3"))).expectStatus(201);
		Response lapsing = hold(this.api.customer(), event, Map.of("seats", List.of("A-1"))).expectStatus(201);
		String waiting = this.api.customer();
		Response entry = join(waiting, event, "STALLS", 1).expectStatus(201);

		clock.set(Instant.parse(lapsing.json().get("expiresAt").asString()));
		assertThat(this.api.counts(event, "STALLS")).isEqualTo(new Counts(3, 1, 0, 2));
		Response named = book(this.api.customer(), event, Map.of("seats", List.of("A-1")));

		named.expectStatus(409);
		assertThat(named.code()).isEqualTo("SEATS_UNAVAILABLE");
		JsonNode offered = entry(waiting, entry);
		assertThat(offered.get("status").asString()).isEqualTo("OFFERED");
		assertThat(this.api.get("/api/v1/holds/" + offered.get("holdId").asString(), waiting)
			.expectStatus(200)
			.json()
			.get("items")
			.get(0)
			.get("seats")
			.get(0)
			.asString()).isEqualTo("A-1");
		assertThat(this.api.counts(event, "STALLS")).isEqualTo(new Counts(3, 0, 1, 2));
		assertThat(book(this.api.customer(), event, Map.of("category", "STALLS", "quantity", 1)).code())
			.isEqualTo("SOLD_OUT");
	}

	@Test
	void metricsCountOffersMadeAcceptedAndExpired() {
		String event = this.api.gaEvent(this.organizer, 2, 60, null);
		String seller = this.api.customer();
		Response returned = book(seller, event, 2).expectStatus(201);
		String first = this.api.customer();
		String second = this.api.customer();
		Response firstEntry = join(first, event, "GA", 2).expectStatus(201);
		Response secondEntry = join(second, event, "GA", 2).expectStatus(201);
		String before = scrape();
		assertThat(value(before, "boxoffice_waitlist_waiting", "")).isGreaterThanOrEqualTo(2);

		this.api.cancelBooking(seller, returned.id()).expectStatus(200);
		clock.set(Instant.parse(entry(first, firstEntry).get("offerExpiresAt").asString()));
		assertThat(book(this.api.customer(), event, 1).code()).isEqualTo("SOLD_OUT");
		this.api.confirm(second, entry(second, secondEntry).get("holdId").asString()).expectStatus(201);

		String after = scrape();
		assertThat(value(after, "boxoffice_waitlist_offers_total", "outcome=\"made\"")
				- value(before, "boxoffice_waitlist_offers_total", "outcome=\"made\""))
			.isEqualTo(2);
		assertThat(value(after, "boxoffice_waitlist_offers_total", "outcome=\"expired\"")
				- value(before, "boxoffice_waitlist_offers_total", "outcome=\"expired\""))
			.isEqualTo(1);
		assertThat(value(after, "boxoffice_waitlist_offers_total", "outcome=\"accepted\"")
				- value(before, "boxoffice_waitlist_offers_total", "outcome=\"accepted\""))
			.isEqualTo(1);
	}

	private String scrape() {
		return this.api.get("/actuator/prometheus", null).expectStatus(200).body();
	}

	/** The sum of a metric's samples with the given tag; 0 when it has none. */
	private static double value(String scrape, String name, String tag) {
		return scrape.lines()
			.filter(line -> (line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(tag))
			.mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	private Response join(String customer, String event, String category, int quantity) {
		return this.api.post("/api/v1/events/" + event + "/waitlist", customer,
				Map.of("category", category, "quantity", quantity));
	}

	private JsonNode entry(String customer, Response joined) {
		return this.api.get("/api/v1/waitlist/" + joined.id(), customer).expectStatus(200).json();
	}

	private List<JsonNode> entries(String customer) {
		List<JsonNode> entries = new ArrayList<>();
		this.api.get("/api/v1/waitlist", customer).expectStatus(200).json().get("items").forEach(entries::add);
		return entries;
	}

	private List<String> customers(int n) {
		List<String> customers = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			customers.add(this.api.customer());
		}
		return customers;
	}

	private long offerCount(String event, @Nullable String status) {
		return this.jdbc
			.sql("SELECT count(*) FROM waitlist_entry WHERE event_id = CAST(:event AS uuid) AND status = :s")
			.param("event", event)
			.param("s", status)
			.query(Long.class)
			.single();
	}

}
