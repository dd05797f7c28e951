package io.boxoffice.waitlist;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import io.boxoffice.support.Ledger;
import io.boxoffice.support.Race;
import io.boxoffice.support.SecondInstance;
import io.boxoffice.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Returns racing against a waiting list, on two instances of the service on one database:
 * every returned ticket is offered to one entry only, every entry gets at most one offer,
 * the line is served in order of joining, and the counts add up exactly.
 */
class WaitlistRaceTest extends IntegrationTest {

	static SecondInstance second;

	Api other;

	String organizer;

	@BeforeEach
	void setUp() {
		if (second == null) {
			second = new SecondInstance();
		}
		this.other = second.api();
		this.organizer = this.api.organizer();
	}

	@AfterEach
	void booksBalance() {
		Ledger.assertBalanced(this.jdbc);
	}

	@AfterAll
	static void stopSecondInstance() {
		if (second != null) {
			second.close();
			second = null;
		}
	}

	/** Even threads on this instance, odd ones on the other. */
	Api instance(int i) {
		return (i % 2 == 0) ? this.api : this.other;
	}

	@Test
	void cancellationsRacingOnTwoInstancesOfferEachTicketOnceInOrderOfJoining() {
		int bookings = 12;
		String event = this.api.gaEvent(this.organizer, 2 * bookings, 600, null);
		List<String> sellers = new ArrayList<>();
		List<String> sold = new ArrayList<>();
		for (int i = 0; i < bookings; i++) {
			sellers.add(this.api.customer());
			sold.add(book(sellers.get(i), event, 2).expectStatus(201).id());
		}
		int waiters = 24;
		List<String> customers = new ArrayList<>();
		List<String> entries = new ArrayList<>();
		int[] quantities = new int[waiters];
		for (int i = 0; i < waiters; i++) {
			quantities[i] = (i % 3 == 0) ? 2 : 1;
			customers.add(this.api.customer());
			entries.add(join(instance(i), customers.get(i), event, "GA", quantities[i]).expectStatus(201).id());
		}

		List<Response> cancelled = Race.run(bookings, i -> instance(i).cancelBooking(sellers.get(i), sold.get(i)));

		assertThat(cancelled).allSatisfy(response -> response.expectStatus(200));
		// every return of 2 tickets serves the line in order, whichever came first
		boolean[] offered = new boolean[waiters];
		for (int r = 0; r < bookings; r++) {
			int left = 2;
			for (int i = 0; i < waiters && left > 0; i++) {
				if (!offered[i] && quantities[i] <= left) {
					offered[i] = true;
					left -= quantities[i];
				}
			}
		}
		Set<String> holds = new HashSet<>();
		int held = 0;
		int position = 0;
		for (int i = 0; i < waiters; i++) {
			JsonNode entry = entry(customers.get(i), entries.get(i));
			if (offered[i]) {
				assertThat(entry.get("status").asString()).as("entry %d", i).isEqualTo("OFFERED");
				String holdId = entry.get("holdId").asString();
				assertThat(holds.add(holdId)).isTrue();
				JsonNode hold = this.api.get("/api/v1/holds/" + holdId, customers.get(i)).expectStatus(200).json();
				assertThat(hold.get("status").asString()).isEqualTo("ACTIVE");
				assertThat(hold.get("items").get(0).get("quantity").asInt()).isEqualTo(quantities[i]);
				held += quantities[i];
			}
			else {
				assertThat(entry.get("status").asString()).as("entry %d", i).isEqualTo("WAITING");
				assertThat(entry.get("position").asInt()).isEqualTo(++position);
			}
		}
		assertThat(held).isEqualTo(2 * bookings - this.api.counts(event, "GA").available());
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(2 * bookings, 2 * bookings - held, held, 0));
		assertThat(offersPerEntry(event)).isEqualTo(holds.size());
	}

	@Test
	void seatsReturnedOnTwoInstancesAreOfferedToDistinctEntriesWithDistinctSeats() {
		int bookings = 10;
		Map<String, Object> body = new HashMap<>();
		body.put("name", "Race hall");
		body.put("startsAt", "2035-01-01T19:00:00Z");
		body.put("holdTtlSeconds", 600);
		body.put("categories", List.of(Map.of("code", "STALLS", "name", "Stalls", "price", "40.00", "currency", "EUR",
				"seats", List.of(Map.of("row", "A", "from", 1, "to", 10), Map.of("row", "B", "from", 1, "to", 10)))));
		String event = this.api.event(this.organizer, body);
		List<String> sellers = new ArrayList<>();
		List<String> sold = new ArrayList<>();
		for (int i = 0; i < bookings; i++) {
			sellers.add(this.api.customer());
			String row = (i < 5) ? "A" : "B";
			int from = 2 * (i % 5) + 1;
			sold.add(book(sellers.get(i), event, Map.of("seats", List.of(row + "-" + from, row + "-" + (from + 1))))
				.expectStatus(201)
				.id());
		}
		int waiters = 13;
		List<String> customers = new ArrayList<>();
		List<String> entries = new ArrayList<>();
		for (int i = 0; i < waiters; i++) {
			customers.add(this.api.customer());
			entries.add(join(instance(i), customers.get(i), event, "STALLS", 2).expectStatus(201).id());
		}

		List<Response> cancelled = Race.run(bookings, i -> instance(i).cancelBooking(sellers.get(i), sold.get(i)));

		assertThat(cancelled).allSatisfy(response -> response.expectStatus(200));
		Set<String> seats = new HashSet<>();
		Set<String> holds = new HashSet<>();
		for (int i = 0; i < waiters; i++) {
			JsonNode entry = entry(customers.get(i), entries.get(i));
			if (i < bookings) {
				assertThat(entry.get("status").asString()).as("entry %d", i).isEqualTo("OFFERED");
				assertThat(holds.add(entry.get("holdId").asString())).isTrue();
				JsonNode items = this.api.get("/api/v1/holds/" + entry.get("holdId").asString(), customers.get(i))
					.expectStatus(200)
					.json()
					.get("items");
				items.get(0).get("seats").forEach(seat -> assertThat(seats.add(seat.asString())).isTrue());
			}
			else {
				assertThat(entry.get("status").asString()).as("entry %d", i).isEqualTo("WAITING");
				assertThat(entry.get("position").asInt()).isEqualTo(i - bookings + 1);
			}
		}
		assertThat(seats).hasSize(2 * bookings);
		assertThat(this.api.counts(event, "STALLS")).isEqualTo(new Counts(20, 0, 20, 0));
		assertThat(offersPerEntry(event)).isEqualTo(bookings);
	}

	/**
	 * A ticket that comes back while a join is between its look at the category and its
	 * commit is not lost to the line: the join sees it and answers NOT_SOLD_OUT (the
	 * return could not see the entry yet). The join is held at that point by an
	 * uncommitted entry of the same customer and category, written from outside.
	 */
	@Test
	void aTicketReturnedWhileAJoinIsUnderWayIsNotLeftAvailableBesideAWaitingEntry() throws Exception {
		String event = this.api.gaEvent(this.organizer, 2, 600, null);
		String seller = this.api.customer();
		String returned = book(seller, event, 1).expectStatus(201).id();
		book(this.api.customer(), event, 1).expectStatus(201);
		String joiner = this.api.customer();
		UUID category = this.jdbc.sql("SELECT category_id FROM pool WHERE event_id = :event")
			.param("event", UUID.fromString(event))
			.query(UUID.class)
			.single();

		Response joined;
		try (Connection outside = new DriverManagerDataSource(TestDatabase.jdbcUrl()).getConnection()) {
			outside.setAutoCommit(false);
			try (PreparedStatement entry = outside.prepareStatement("""
					INSERT INTO waitlist_entry (id, event_id, category_id, category, customer_id, quantity, status,
					                            created_at)
					VALUES (?, ?, ?, 'GA', ?, 1, 'WAITING', now())
					""")) {
				entry.setObject(1, UUID.randomUUID());
				entry.setObject(2, UUID.fromString(event));
				entry.setObject(3, category);
				entry.setObject(4, accountId(joiner));
				entry.executeUpdate();
			}
			CompletableFuture<Response> join = CompletableFuture
				.supplyAsync(() -> join(this.other, joiner, event, "GA", 1));
			awaitBlockedEntryInsert();
			this.api.cancelBooking(seller, returned).expectStatus(200);
			outside.rollback();
			joined = join.get();
		}

		assertThat(joined.status()).isEqualTo(409);
		assertThat(joined.code()).isEqualTo("NOT_SOLD_OUT");
		assertThat(joined.json().get("available").asInt()).isEqualTo(1);
		assertThat(this.api.get("/api/v1/waitlist", joiner).expectStatus(200).json().get("total").asInt()).isZero();
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(2, 1, 0, 1));
	}

	private static UUID accountId(String token) {
		String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
		java.util.regex.Matcher subject = java.util.regex.Pattern.compile("\"sub\"\\s*:\\s*\"([^\"]+)\"")
			.matcher(claims);
		assertThat(subject.find()).isTrue();
		return UUID.fromString(subject.group(1));
	}

	/** Waits until a join's insert of its entry waits for a lock. */
	private void awaitBlockedEntryInsert() throws InterruptedException {
		for (int i = 0; i < 200; i++) {
			long waiting = this.jdbc.sql("""
					SELECT count(*) FROM pg_stat_activity
					 WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO waitlist_entry%'
					""").query(Long.class).single();
			if (waiting > 0) {
				return;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("The join never waited for the outside entry");
	}

	private Response join(Api api, String customer, String event, String category, int quantity) {
		return api.post("/api/v1/events/" + event + "/waitlist", customer,
				Map.of("category", category, "quantity", quantity));
	}

	private JsonNode entry(String customer, String entryId) {
		return this.api.get("/api/v1/waitlist/" + entryId, customer).expectStatus(200).json();
	}

	/**
	 * Active holds of the event's waiting customers: one per offered entry, never two for
	 * one entry.
	 */
	private long offersPerEntry(String event) {
		return this.jdbc.sql("""
				SELECT count(*) FROM hold h JOIN waitlist_entry w ON w.customer_id = h.customer_id
				                                             AND w.event_id = h.event_id
				 WHERE h.event_id = :event AND h.status = 'ACTIVE'
				""").param("event", UUID.fromString(event)).query(Long.class).single();
	}

}
