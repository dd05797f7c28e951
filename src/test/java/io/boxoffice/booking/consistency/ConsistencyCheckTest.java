package io.boxoffice.booking.consistency;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import io.boxoffice.support.Race;
import io.boxoffice.support.SecondInstance;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consistency check agrees with the rows after a race, and names the exact drift when
 * a counter is corrupted behind the service's back.
 */
class ConsistencyCheckTest extends IntegrationTest {

	@Autowired
	ConsistencyCheck check;

	@Autowired
	TransactionTemplate tx;

	@Test
	void reportsConsistentAfterARaceOfHoldsBookingsReleasesAndConfirms() {
		String eventId = this.api.gaEvent(this.api.organizer(), 60);
		List<String> customers = List.of(this.api.customer(), this.api.customer(), this.api.customer());

		List<Integer> statuses = Race.run(40, i -> {
			String customer = customers.get(i % customers.size());
			return switch (i % 4) {
				case 0 -> hold(customer, eventId, 1).status();
				case 1 -> book(customer, eventId, 2).status();
				case 2 -> {
					Response hold = hold(customer, eventId, 1);
					yield (hold.status() == 201)
							? this.api.delete("/api/v1/holds/" + hold.json().get("id").asString(), customer).status()
							: hold.status();
				}
				default -> {
					Response hold = hold(customer, eventId, 2);
					yield (hold.status() == 201) ? this.api
						.post("/api/v1/holds/" + hold.json().get("id").asString() + "/confirm", customer, null)
						.status() : hold.status();
				}
			};
		});

		// 10 holds of 1, 10 bookings of 2, 10 holds of 1 released, 10 confirmed holds of
		// 2: at most 60 tickets at once, the capacity, so nothing is refused
		assertThat(statuses).containsOnly(201, 204);
		Counts counts = this.api.counts(eventId, "GA");
		assertThat(counts).isEqualTo(new Counts(60, 10, 10, 40));

		JsonNode report = consistency("/" + eventId).expectStatus(200).json();
		assertThat(report.get("consistent").asBoolean()).isTrue();
		assertThat(report.get("eventId").asString()).isEqualTo(eventId);
		JsonNode pool = onlyPool(report);
		assertThat(pool.get("category").asString()).isEqualTo("GA");
		assertThat(pool.get("consistent").asBoolean()).isTrue();
		assertThat(ints(pool.get("counters")))
			.isEqualTo(Map.of("capacity", 60, "available", 10, "held", 10, "sold", 40));
		assertThat(ints(pool.get("rows")))
			.isEqualTo(Map.of("capacity", 60, "available", 10, "held", 10, "sold", 40, "expiredNotYetSwept", 0));
		assertThat(pool.get("drift").propertyNames()).isEmpty();
		assertThat(pool.get("problems").isEmpty()).isTrue();
	}

	@Test
	void countsAnExpiredHoldTheSweeperHasNotReachedAsTheCounterDoes() {
		String eventId = this.api.gaEvent(this.api.organizer(), 10);
		String customer = this.api.customer();
		String holdId = hold(customer, eventId, 3).expectStatus(201).json().get("id").asString();

		ConsistencyCheck.Report report = this.tx.execute(status -> {
			// expired a moment ago; the row lock keeps every sweeper (SKIP LOCKED) off it
			this.jdbc.sql("UPDATE hold SET expires_at = expires_at - interval '1 hour' WHERE id = :id")
				.param("id", UUID.fromString(holdId))
				.update();
			ConsistencyCheck.Report inside = this.check.run(UUID.fromString(eventId));
			status.setRollbackOnly();
			return inside;
		});

		assertThat(report.consistent()).isTrue();
		Finding pool = report.findings().stream().filter(f -> f.kind().equals("pool")).findFirst().orElseThrow();
		assertThat(pool.counters()).isEqualTo(Map.of("capacity", 10, "available", 7, "held", 3, "sold", 0));
		assertThat(pool.rows())
			.isEqualTo(Map.of("capacity", 10, "available", 7, "held", 3, "sold", 0, "expiredNotYetSwept", 3));
	}

	@Test
	void reportsTheExactDriftOfACorruptedPoolCounter() {
		String eventId = this.api.gaEvent(this.api.organizer(), 20);
		String customer = this.api.customer();
		book(customer, eventId, 4).expectStatus(201);
		hold(customer, eventId, 1).expectStatus(201);
		UUID event = UUID.fromString(eventId);

		// a bug that moved 2 tickets from available to held without a hold (the CHECK
		// constraints allow it: the sum still equals the capacity)
		corruptPool(event, 2);
		try {
			JsonNode report = consistency("/" + eventId).expectStatus(200).json();
			assertThat(report.get("consistent").asBoolean()).isFalse();
			JsonNode pool = onlyPool(report);
			assertThat(pool.get("consistent").asBoolean()).isFalse();
			assertThat(ints(pool.get("counters")))
				.isEqualTo(Map.of("capacity", 20, "available", 13, "held", 3, "sold", 4));
			assertThat(ints(pool.get("rows")))
				.isEqualTo(Map.of("capacity", 20, "available", 15, "held", 1, "sold", 4, "expiredNotYetSwept", 0));
			assertThat(ints(pool.get("drift"))).isEqualTo(Map.of("available", -2, "held", 2));
			assertThat(pool.get("problems").size()).isEqualTo(2);

			JsonNode all = consistency("").expectStatus(200).json();
			assertThat(all.get("consistent").asBoolean()).isFalse();
			assertThat(all.get("eventId").isNull()).isTrue();
			assertThat(all.get("findings")
				.valueStream()
				.filter(f -> f.get("eventId").asString().equals(eventId))
				.map(f -> f.get("category").asString())
				.toList()).containsExactly("GA");
		}
		finally {
			corruptPool(event, -2);
		}
		assertThat(consistency("/" + eventId).json().get("consistent").asBoolean()).isTrue();
	}

	@Test
	void reportsTheExactDriftOfACorruptedCustomerTally() {
		String eventId = this.api.event(this.api.organizer(), Map
			.of("name", "Limited", "startsAt", "2030-01-01T19:00:00Z", "maxTicketsPerCustomer", 4, "categories", List
				.of(Map.of("code", "GA", "name", "Standing", "price", "25.00", "currency", "EUR", "capacity", 10))));
		String customer = this.api.customer();
		String customerId = book(customer, eventId, 3).expectStatus(201).json().get("customerId").asString();
		UUID event = UUID.fromString(eventId);

		corruptTally(event, -1);
		try {
			JsonNode report = consistency("/" + eventId).expectStatus(200).json();
			assertThat(report.get("consistent").asBoolean()).isFalse();
			JsonNode tally = report.get("findings")
				.valueStream()
				.filter(f -> f.get("kind").asString().equals("customer-tally"))
				.findFirst()
				.orElseThrow();
			assertThat(tally.get("customerId").asString()).isEqualTo(customerId);
			assertThat(ints(tally.get("counters"))).isEqualTo(Map.of("tickets", 2));
			assertThat(ints(tally.get("rows"))).isEqualTo(Map.of("tickets", 3));
			assertThat(ints(tally.get("drift"))).isEqualTo(Map.of("tickets", -1));
			assertThat(onlyPool(report).get("consistent").asBoolean()).isTrue();
		}
		finally {
			corruptTally(event, 1);
		}
		assertThat(consistency("/" + eventId).json().get("consistent").asBoolean()).isTrue();
	}

	@Test
	void reportsTicketsThatDisagreeWithTheirBookings() {
		String eventId = this.api.gaEvent(this.api.organizer(), 10);
		String customer = this.api.customer();
		book(customer, eventId, 3).expectStatus(201);
		String cancelled = book(customer, eventId, 2).expectStatus(201).id();
		this.api.cancelBooking(customer, cancelled).expectStatus(200);
		UUID event = UUID.fromString(eventId);
		assertThat(tickets(consistency("/" + eventId).expectStatus(200).json()).get("consistent").asBoolean()).isTrue();

		assertThat(this.jdbc.sql("UPDATE ticket SET revoked_at = NULL WHERE booking_id = :id")
			.param("id", UUID.fromString(cancelled))
			.update()).isEqualTo(2);
		try {
			JsonNode report = consistency("/" + eventId).expectStatus(200).json();
			assertThat(report.get("consistent").asBoolean()).isFalse();
			JsonNode tickets = tickets(report);
			assertThat(ints(tickets.get("counters"))).isEqualTo(Map.of("tickets", 5));
			assertThat(ints(tickets.get("rows"))).isEqualTo(Map.of("tickets", 3));
			assertThat(ints(tickets.get("drift"))).isEqualTo(Map.of("tickets", 2));
			assertThat(tickets.get("problems")).hasSize(2);
		}
		finally {
			this.jdbc.sql("UPDATE ticket SET revoked_at = :at WHERE booking_id = :id")
				.param("at", java.time.OffsetDateTime.now())
				.param("id", UUID.fromString(cancelled))
				.update();
		}
		assertThat(consistency("/" + event).json().get("consistent").asBoolean()).isTrue();
	}

	private static JsonNode tickets(JsonNode report) {
		return report.get("findings")
			.valueStream()
			.filter(f -> f.get("kind").asString().equals("tickets"))
			.findFirst()
			.orElseThrow();
	}

	@Test
	void isForOperatorsOnly() {
		try (SecondInstance elsewhere = new SecondInstance("boxoffice.ops.allowed-addresses=192.0.2.0/24")) {
			// no token would help, so no 401 that asks for one
			Response anonymous = elsewhere.api().get("/actuator/consistency", null);
			assertThat(anonymous.status()).isEqualTo(403);
			assertThat(anonymous.code()).isEqualTo("FORBIDDEN");
			Response customer = elsewhere.api().get("/actuator/consistency", this.api.customer());
			assertThat(customer.status()).isEqualTo(403);
			assertThat(customer.code()).isEqualTo("FORBIDDEN");
		}
		assertThat(consistency("/not-a-uuid").status()).isEqualTo(400);
	}

	private Response consistency(String path) {
		return this.api.get("/actuator/consistency" + path, null);
	}

	private void corruptPool(UUID eventId, int tickets) {
		assertThat(this.jdbc.sql("UPDATE pool SET held = held + :n, available = available - :n WHERE event_id = :id")
			.param("n", tickets)
			.param("id", eventId)
			.update()).isEqualTo(1);
	}

	private void corruptTally(UUID eventId, int tickets) {
		assertThat(this.jdbc.sql("UPDATE customer_tally SET tickets = tickets + :n WHERE event_id = :id")
			.param("n", tickets)
			.param("id", eventId)
			.update()).isEqualTo(1);
	}

	private static JsonNode onlyPool(JsonNode report) {
		List<JsonNode> pools = report.get("findings")
			.valueStream()
			.filter(f -> f.get("kind").asString().equals("pool"))
			.toList();
		assertThat(pools).hasSize(1);
		return pools.get(0);
	}

	private static Map<String, Integer> ints(JsonNode object) {
		Map<String, Integer> values = new java.util.HashMap<>();
		object.propertyNames().forEach(name -> values.put(name, object.get(name).asInt()));
		return values;
	}

}
