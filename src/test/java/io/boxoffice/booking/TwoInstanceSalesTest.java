package io.boxoffice.booking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.ClockedIntegrationTest;
import io.boxoffice.support.Ledger;
import io.boxoffice.support.Race;
import io.boxoffice.support.RowLock;
import io.boxoffice.support.SecondInstance;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static io.boxoffice.booking.Seats.best;
import static io.boxoffice.booking.Seats.generalAdmission;
import static io.boxoffice.booking.Seats.itemSeats;
import static io.boxoffice.booking.Seats.named;
import static io.boxoffice.booking.Seats.reserved;
import static io.boxoffice.booking.Seats.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Holds, expiry and limits under races, with two instances of the service on one database
 * and one clock: sweepers, customer limits, idempotent retries, confirm against expiry
 * and against release. Real HTTP, real threads released at one barrier, exact counts.
 */
class TwoInstanceSalesTest extends ClockedIntegrationTest {

	static SecondInstance second;

	@Autowired
	Expiry expiry;

	@Autowired
	MeterRegistry meters;

	Api other;

	String organizer;

	final List<String> events = new ArrayList<>();

	@BeforeEach
	void setUp() {
		if (second == null) {
			second = SecondInstance.clocked();
		}
		this.other = second.api();
		this.organizer = this.api.organizer();
	}

	@AfterEach
	void booksBalance() {
		for (String event : this.events) {
			assertThat(this.api.counts(event, "GA").addsUp()).isTrue();
		}
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
	void sweepersOnTwoInstancesExpireEveryHoldExactlyOnce() {
		String event = event(200, null);
		String customer = this.api.customer();
		List<Response> holds = Race.run(40,
				i -> instance(i).post("/api/v1/events/" + event + "/holds", customer, Api.items("GA", 2)));
		assertThat(holds).extracting(Response::status).containsOnly(201);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(200, 120, 80, 0));
		clock.set(Instant.parse(holds.get(0).json().get("expiresAt").asString()).plusSeconds(1));
		long due = this.jdbc.sql("SELECT count(*) FROM hold WHERE status = 'ACTIVE' AND expires_at <= :now")
			.param("now", java.sql.Timestamp.from(clock.instant()))
			.query(Long.class)
			.single();
		assertThat(due).isGreaterThanOrEqualTo(40);
		Expiry otherExpiry = second.context().getBean(Expiry.class);

		List<Integer> swept = Race.run(8, i -> {
			Expiry sweeper = (i % 2 == 0) ? this.expiry : otherExpiry;
			int total = 0;
			int expired;
			do {
				expired = sweeper.sweepOnce();
				total += expired;
			}
			while (expired > 0);
			return total;
		});

		assertThat(swept.stream().mapToInt(Integer::intValue).sum()).isEqualTo((int) due);
		assertThat(this.jdbc.sql("SELECT status, count(*) FROM hold WHERE event_id = :id GROUP BY status")
			.param("id", UUID.fromString(event))
			.query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2)))
			.list()).containsExactly(Map.entry("EXPIRED", 40L));
		assertThat(this.jdbc.sql("SELECT capacity, available, held, sold FROM pool WHERE event_id = :id")
			.param("id", UUID.fromString(event))
			.query((rs, n) -> new Counts(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4)))
			.single()).isEqualTo(new Counts(200, 200, 0, 0));
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(200, 200, 0, 0));
	}

	@Test
	void customerLimitHoldsWhenOneCustomerRacesOnTwoInstances() {
		String event = event(100, 5);
		String customer = this.api.customer();

		List<Response> responses = Race.run(20, i -> instance(i)
			.post("/api/v1/events/" + event + ((i % 4 < 2) ? "/holds" : "/bookings"), customer, Api.items("GA", 1)));

		assertThat(byStatus(responses)).isEqualTo(Map.of(201, 5L, 422, 15L));
		assertThat(codes(responses, 422)).containsOnly("LIMIT_EXCEEDED");
		Counts counts = this.api.counts(event, "GA");
		assertThat(counts.available()).isEqualTo(95);
		assertThat(counts.held() + counts.sold()).isEqualTo(5);
		assertThat(this.jdbc.sql("SELECT tickets FROM customer_tally WHERE event_id = :id")
			.param("id", UUID.fromString(event))
			.query(Integer.class)
			.single()).isEqualTo(5);
	}

	@Test
	void customerLimitsHoldWhenManyCustomersRaceOnTwoInstances() {
		String event = event(100, 3);
		List<String> customers = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			customers.add(this.api.customer());
		}

		// each customer asks five times, on both instances: batches of several customers
		// at once on each instance
		List<Response> responses = Race.run(30, i -> instance(i).post("/api/v1/events/" + event + "/bookings",
				customers.get((i / 2) % customers.size()), Api.items("GA", 1)));

		assertThat(byStatus(responses)).as(responses.toString()).isEqualTo(Map.of(201, 18L, 422, 12L));
		assertThat(codes(responses, 422)).containsOnly("LIMIT_EXCEEDED");
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(100, 82, 0, 18));
		assertThat(this.jdbc.sql("SELECT tickets FROM customer_tally WHERE event_id = :id")
			.param("id", UUID.fromString(event))
			.query(Integer.class)
			.list()).containsExactly(3, 3, 3, 3, 3, 3);
	}

	@Test
	void sameIdempotencyKeyAtTheSameInstantOnTwoInstancesBooksOnce() {
		String event = event(50, null);
		String customer = this.api.customer();
		String key = "retry-" + UUID.randomUUID();
		Map<String, Object> body = Api.items("GA", 3);

		List<Response> responses = Race.run(10, i -> instance(i).post("/api/v1/events/" + event + "/bookings", customer,
				body, Map.of("Idempotency-Key", key)));

		assertThat(responses).extracting(Response::status).containsOnly(201);
		List<JsonNode> bodies = responses.stream().map(Response::json).distinct().toList();
		assertThat(bodies).hasSize(1);
		String bookingId = bodies.get(0).get("id").asString();
		assertThat(responses).extracting(r -> r.header("Location")).containsOnly("/api/v1/bookings/" + bookingId);
		assertThat(responses.stream().filter(r -> "true".equals(r.header("Idempotent-Replayed")))).hasSize(9);
		assertThat(bookingIds(event)).containsExactly(bookingId);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(50, 47, 0, 3));

		Response reused = this.other.post("/api/v1/events/" + event + "/bookings", customer, Api.items("GA", 4),
				Map.of("Idempotency-Key", key));
		assertThat(reused.status()).isEqualTo(422);
		assertThat(reused.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
		assertThat(bookingIds(event)).containsExactly(bookingId);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(50, 47, 0, 3));

		String someoneElse = this.api.customer();
		Response theirs = this.api.post("/api/v1/events/" + event + "/bookings", someoneElse, body,
				Map.of("Idempotency-Key", key));
		theirs.expectStatus(201);
		assertThat(theirs.header("Idempotent-Replayed")).isNull();
		assertThat(theirs.json().get("id").asString()).isNotEqualTo(bookingId);
		assertThat(bookingIds(event)).hasSize(2);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(50, 44, 0, 6));
	}

	@Test
	void confirmsRacingExpiryEachEndOneWay() {
		int holders = 12;
		String event = event(holders, null);
		List<String> customers = new ArrayList<>();
		List<String> holds = new ArrayList<>();
		Instant expiresAt = null;
		for (int i = 0; i < holders; i++) {
			String customer = this.api.customer();
			Response hold = hold(customer, event, 1).expectStatus(201);
			customers.add(customer);
			holds.add(hold.json().get("id").asString());
			expiresAt = Instant.parse(hold.json().get("expiresAt").asString());
		}
		assertThat(holds.stream()
			.map(id -> this.api.get("/api/v1/holds/" + id, customers.get(holds.indexOf(id)))
				.json()
				.get("expiresAt")
				.asString())
			.distinct()).as("every hold was made at the same instant of the test clock").hasSize(1);
		clock.set(expiresAt.minusMillis(1));
		Instant boundary = expiresAt;

		List<Response> responses = Race.run(holders + 1, i -> {
			if (i == holders) {
				clock.set(boundary);
				return null;
			}
			return instance(i).post("/api/v1/holds/" + holds.get(i) + "/confirm", customers.get(i), null);
		});

		int confirmed = 0;
		for (int i = 0; i < holders; i++) {
			Response response = responses.get(i);
			String hold = holds.get(i);
			if (response.status() == 201) {
				confirmed++;
				assertThat(response.json().get("holdId").asString()).isEqualTo(holds.get(i));
				assertThat(storedHoldStatus(hold)).isEqualTo("CONFIRMED");
				assertThat(bookingsOfHold(hold)).isEqualTo(1);
			}
			else {
				assertThat(response.status()).as(response.body()).isEqualTo(410);
				assertThat(response.code()).isEqualTo("HOLD_EXPIRED");
				assertThat(storedHoldStatus(hold)).isIn("ACTIVE", "EXPIRED");
				assertThat(bookingsOfHold(hold)).isZero();
				assertThat(
						this.api.get("/api/v1/holds/" + holds.get(i), customers.get(i)).json().get("status").asString())
					.isEqualTo("EXPIRED");
			}
		}
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(holders, holders - confirmed, 0, confirmed));
		assertThat(bookingIds(event)).hasSize(confirmed);
	}

	@Test
	void releaseRacingConfirmEndsOneWay() {
		int holders = 10;
		String event = event(2 * holders, null);
		List<String> customers = new ArrayList<>();
		List<String> holds = new ArrayList<>();
		for (int i = 0; i < holders; i++) {
			String customer = this.api.customer();
			customers.add(customer);
			holds.add(hold(customer, event, 2).expectStatus(201).id());
		}

		List<Response> responses = Race.run(2 * holders, i -> {
			int h = i / 2;
			Api instance = instance(i / 2 + i);
			return (i % 2 == 0) ? instance.delete("/api/v1/holds/" + holds.get(h), customers.get(h))
					: instance.post("/api/v1/holds/" + holds.get(h) + "/confirm", customers.get(h), null);
		});

		int confirmed = 0;
		for (int h = 0; h < holders; h++) {
			Response release = responses.get(2 * h);
			Response confirm = responses.get(2 * h + 1);
			String hold = holds.get(h);
			if (confirm.status() == 201) {
				confirmed++;
				assertThat(release.status()).as(release.body()).isEqualTo(409);
				assertThat(release.code()).isEqualTo("HOLD_CONFIRMED");
				assertThat(storedHoldStatus(hold)).isEqualTo("CONFIRMED");
				assertThat(bookingsOfHold(hold)).isEqualTo(1);
			}
			else {
				assertThat(confirm.status()).as(confirm.body()).isEqualTo(410);
				assertThat(confirm.code()).isEqualTo("HOLD_EXPIRED");
				assertThat(release.status()).as(release.body()).isEqualTo(204);
				assertThat(storedHoldStatus(hold)).isEqualTo("RELEASED");
				assertThat(bookingsOfHold(hold)).isZero();
			}
		}
		assertThat(this.api.counts(event, "GA"))
			.isEqualTo(new Counts(2 * holders, 2 * (holders - confirmed), 0, 2 * confirmed));
		assertThat(bookingIds(event)).hasSize(confirmed);
	}

	/**
	 * A batch reads its pool without a lock and takes the tickets with a guarded write
	 * just before COMMIT. Here the batch of this instance has read the pool (10
	 * available) and waits to insert its booking (the test holds the booking table) when
	 * the other instance holds 5; the guarded write finds 5 where the batch took 6, so
	 * the batch is run again with the pool locked and the buyer is refused on what is
	 * left.
	 */
	@Test
	void aBatchWhosePoolTheOtherInstanceSoldFromAfterItsReadIsDecidedAgainOnWhatIsLeft() throws Exception {
		String event = event(10, null);
		String slow = this.api.customer();
		String fast = this.api.customer();
		double movedBefore = this.meters.counter("boxoffice.batch.pools.moved").count();
		Response six;
		try (RowLock bookings = RowLock.bookings()) {
			CompletableFuture<Response> waiting = CompletableFuture
				.supplyAsync(() -> this.api.book(slow, event, Api.items("GA", 6)));
			awaitWaitingForALock("INSERT INTO booking (");
			Response five = CompletableFuture.supplyAsync(() -> this.other.hold(fast, event, Api.items("GA", 5)))
				.get(10, TimeUnit.SECONDS);
			assertThat(five.status()).as(five.body()).isEqualTo(201);
			bookings.release();
			six = waiting.get(10, TimeUnit.SECONDS);
		}
		assertThat(six.status()).as(six.body()).isEqualTo(409);
		assertThat(six.code()).isEqualTo("SOLD_OUT");
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(10, 5, 5, 0));
		assertThat(bookingIds(event)).isEmpty();
		assertThat(this.meters.counter("boxoffice.batch.pools.moved").count()).isEqualTo(movedBefore + 1);
	}

	/**
	 * In one batch of this instance, Y is granted and X, who asked for A-2
	 * after Y, is refused over it; but the other instance is committing A-3, and Y's
	 * claim of it loses. Y takes nothing, so A-2 is free again: X is decided again with Y
	 * and gets it, not a 409 naming a seat nobody holds. The test holds the booking table
	 * (the other sale waits there with A-3 claimed) and the event's pools (this
	 * instance's lane waits on a hold of two pools while Y and X queue up behind it).
	 */
	@Test
	void aBuyerRefusedOverSeatsGrantedToOneWhoThenLostASeatIsDecidedAgain() throws Exception {
		String event = Seats.event(this.api, this.organizer, List.of(generalAdmission("GA", 5),
				generalAdmission("BALCONY", 5), reserved("STALLS", "40.00", List.of(row("A", 1, 3)))));
		String customer = this.api.customer();
		double lostBefore = this.meters.counter("boxoffice.batch.lost.seats").count();
		double batchesBefore = this.meters.get("boxoffice.batch.size").summary().count();
		Response other;
		Response y;
		Response x;
		try (RowLock bookings = RowLock.bookings(); RowLock pools = RowLock.pools(event)) {
			CompletableFuture<Response> otherSale = CompletableFuture
				.supplyAsync(() -> this.other.book(customer, event, Seats.items(named("A-3"))));
			awaitWaitingForALock("INSERT INTO booking (");
			CompletableFuture<Response> opener = CompletableFuture
				.supplyAsync(() -> this.api.hold(customer, event, Seats.items(Map.of("category", "GA", "quantity", 1),
						Map.of("category", "BALCONY", "quantity", 1))));
			await().atMost(10, TimeUnit.SECONDS)
				.until(() -> this.meters.get("boxoffice.batch.size").summary().count() > batchesBefore);
			CompletableFuture<Response> first = CompletableFuture
				.supplyAsync(() -> this.api.book(customer, event, Seats.items(named("A-2", "A-3"))));
			awaitQueued(1);
			CompletableFuture<Response> second = CompletableFuture
				.supplyAsync(() -> this.api.book(customer, event, Seats.items(named("A-2"))));
			awaitQueued(2);
			pools.release();
			assertThat(opener.get(10, TimeUnit.SECONDS).status()).isEqualTo(201);
			awaitWaitingForALock("INSERT INTO seat_claim");
			bookings.release();
			other = otherSale.get(10, TimeUnit.SECONDS);
			y = first.get(10, TimeUnit.SECONDS);
			x = second.get(10, TimeUnit.SECONDS);
		}
		assertThat(itemSeats(other)).containsExactly(List.of("A-3"));
		assertThat(y.status()).as(y.body()).isEqualTo(409);
		assertThat(y.code()).isEqualTo("SEATS_UNAVAILABLE");
		assertThat(y.json().get("seats").toString()).isEqualTo("[\"A-3\"]");
		assertThat(x.status()).as(x.body()).isEqualTo(201);
		assertThat(itemSeats(x)).containsExactly(List.of("A-2"));
		assertThat(this.meters.counter("boxoffice.batch.lost.seats").count()).isEqualTo(lostBefore + 1);
		assertThat(this.api.counts(event, "STALLS")).isEqualTo(new Counts(3, 1, 0, 2));
	}

	private void awaitQueued(int requests) {
		await().atMost(10, TimeUnit.SECONDS)
			.until(() -> this.meters.get("boxoffice.batch.queue.depth").gauge().value() >= requests);
	}

	/**
	 * The sale engine starts its search for best-available seats where its last search
	 * found the first unclaimed one. Seats given back in front of that, on the other
	 * instance, are the first it offers again: a return is counted with the claim's end.
	 */
	@ParameterizedTest(name = "given back by {0}")
	@ValueSource(strings = { "release", "cancellation", "expiry" })
	void bestAvailableSeatsGivenBackOnOneInstanceAreOfferedFirstOnTheOther(String how) {
		String event = Seats.event(this.api, this.organizer,
				List.of(reserved("STALLS", "40.00", List.of(row("A", 1, 10)))));
		String customer = this.api.customer();
		Response front = how.equals("cancellation") ? this.api.book(customer, event, Seats.items(best("STALLS", 2)))
				: this.api.hold(customer, event, Seats.items(best("STALLS", 2)));
		assertThat(itemSeats(front)).containsExactly(List.of("A-1", "A-2"));
		// two searches on the other instance, each starting where the one before found
		// seats
		assertThat(itemSeats(bestPair(customer, event))).containsExactly(List.of("A-3", "A-4"));
		assertThat(itemSeats(bestPair(customer, event))).containsExactly(List.of("A-5", "A-6"));

		switch (how) {
			case "release" -> this.api.delete("/api/v1/holds/" + front.id(), customer).expectStatus(204);
			case "cancellation" -> this.api.cancelBooking(customer, front.id()).expectStatus(200);
			default -> {
				clock.set(Instant.parse(front.json().get("expiresAt").asString()).plusSeconds(1));
				while (this.expiry.sweepOnce() > 0) {
					// until every due hold is expired
				}
				assertThat(storedHoldStatus(front.id())).isEqualTo("EXPIRED");
			}
		}

		assertThat(itemSeats(bestPair(customer, event))).containsExactly(List.of("A-1", "A-2"));
		assertThat(itemSeats(bestPair(customer, event))).containsExactly(List.of("A-7", "A-8"));
		assertThat(this.api.counts(event, "STALLS")).isEqualTo(new Counts(10, 2, 0, 8));
	}

	private Response bestPair(String customer, String event) {
		return this.other.book(customer, event, Seats.items(best("STALLS", 2))).expectStatus(201);
	}

	/**
	 * Until a statement of the service that contains {@code statement} waits for a lock.
	 */
	private void awaitWaitingForALock(String statement) {
		await().atMost(10, TimeUnit.SECONDS)
			.alias("a statement with " + statement + " waiting for a lock")
			.until(() -> this.jdbc
				.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE :statement")
				.param("statement", "%" + statement + "%")
				.query(Long.class)
				.single() > 0);
	}

	private String event(int capacity, Integer maxPerCustomer) {
		String id = this.api.gaEvent(this.organizer, capacity, 60, maxPerCustomer);
		this.events.add(id);
		return id;
	}

	private static Map<Integer, Long> byStatus(List<Response> responses) {
		return responses.stream().collect(Collectors.groupingBy(Response::status, Collectors.counting()));
	}

	private static List<String> codes(List<Response> responses, int status) {
		return responses.stream().filter(r -> r.status() == status).map(Response::code).toList();
	}

	private List<String> bookingIds(String event) {
		return this.jdbc.sql("SELECT id::text FROM booking WHERE event_id = :id")
			.param("id", UUID.fromString(event))
			.query(String.class)
			.list();
	}

}
