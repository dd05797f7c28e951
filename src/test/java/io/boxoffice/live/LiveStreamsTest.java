package io.boxoffice.live;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import io.boxoffice.support.Race;
import io.boxoffice.support.SecondInstance;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live streams over real HTTP: the current document at once, changes made through
 * another instance of the service (on the same database) reach this one's subscribers,
 * bursts of changes are coalesced, unknown events are refused before streaming, and quiet
 * streams get heartbeats.
 */
class LiveStreamsTest extends IntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Another instance, whose streams send a heartbeat after 200 ms of quiet, and whose
	 * buyers wait for a database connection as long as it takes.
	 */
	static SecondInstance second;

	String organizer;

	@BeforeEach
	void setUp() {
		if (second == null) {
			second = new SecondInstance("boxoffice.live.heartbeat=200ms",
					"spring.datasource.hikari.connection-timeout=60000");
		}
		this.organizer = this.api.organizer();
	}

	@AfterAll
	static void stopSecondInstance() {
		if (second != null) {
			second.close();
			second = null;
		}
	}

	@Test
	void sendsTheCurrentAvailabilityAtOnce() {
		String event = this.api.gaEvent(this.organizer, 10);
		book(this.api.customer(), event, 3).expectStatus(201);
		try (EventStream stream = EventStream.open(port(), "/api/v1/events/" + event + "/availability/stream")) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.contentType()).startsWith("text/event-stream");
			assertThat(stream.header("X-Accel-Buffering")).isEqualTo("no");
			JsonNode first = stream.nextDocument("availability");
			assertThat(first).isEqualTo(this.api.get("/api/v1/events/" + event + "/availability", null).json());
			assertThat(first.at("/categories/0/sold").asInt()).isEqualTo(3);
		}
	}

	@Test
	void sendsEverySeatAtOnceThenOnlyTheSeatsThatChanged() {
		String event = seatedEvent();
		String customer = this.api.customer();
		book(customer, event, seats("A-1")).expectStatus(201);
		try (EventStream all = EventStream.open(port(), "/api/v1/events/" + event + "/seats/stream");
				EventStream balcony = EventStream.open(port(),
						"/api/v1/events/" + event + "/seats/stream?category=BALCONY")) {
			assertThat(all.nextDocument("seats")).isEqualTo(JSON.readTree("""
					{"seats": [{"label": "A-1", "status": "SOLD"}, {"label": "A-2", "status": "AVAILABLE"},
					           {"label": "A-3", "status": "AVAILABLE"}, {"label": "B-1", "status": "AVAILABLE"},
					           {"label": "B-2", "status": "AVAILABLE"}]}
					"""));
			assertThat(balcony.nextDocument("seats")).isEqualTo(JSON.readTree("""
					{"seats": [{"label": "B-1", "status": "AVAILABLE"}, {"label": "B-2", "status": "AVAILABLE"}]}
					"""));

			String hold = hold(customer, event, seats("A-3")).expectStatus(201).id();
			assertThat(all.nextDocument("seats"))
				.isEqualTo(JSON.readTree("{\"seats\": [{\"label\": \"A-3\", \"status\": \"HELD\"}]}"));
			this.api.confirm(customer, hold).expectStatus(201);
			hold(customer, event, seats("B-2")).expectStatus(201);
			assertThat(all.awaitDocument("seats", (doc) -> doc.toString().contains("B-2")).toString())
				.contains("{\"label\":\"B-2\",\"status\":\"HELD\"}");
			// the balcony stream says nothing of row A
			assertThat(balcony.nextDocument("seats"))
				.isEqualTo(JSON.readTree("{\"seats\": [{\"label\": \"B-2\", \"status\": \"HELD\"}]}"));
		}
	}

	@Test
	void aHoldMadeOnAnotherInstanceReachesThisInstancesSubscribers() {
		String event = seatedEvent();
		try (EventStream seatStream = EventStream.open(port(), "/api/v1/events/" + event + "/seats/stream");
				EventStream availability = EventStream.open(port(),
						"/api/v1/events/" + event + "/availability/stream")) {
			seatStream.nextDocument("seats");
			assertThat(availability.nextDocument("availability").at("/categories/0/available").asInt()).isEqualTo(3);

			Api other = second.api();
			other.hold(other.customer(), event, Map.of("items", List.of(seats("A-2")))).expectStatus(201);

			assertThat(seatStream.nextDocument("seats"))
				.isEqualTo(JSON.readTree("{\"seats\": [{\"label\": \"A-2\", \"status\": \"HELD\"}]}"));
			assertThat(availability.nextDocument("availability").get("categories")).isEqualTo(JSON.readTree("""
					[{"code": "STALLS", "capacity": 3, "available": 2, "held": 1, "sold": 0},
					 {"code": "BALCONY", "capacity": 2, "available": 2, "held": 0, "sold": 0}]
					"""));
		}
	}

	@Test
	void aBurstOfSalesOnAnotherInstanceArrivesAsFewerDocumentsEndingWithTheFinalCounts() {
		int sales = 40;
		String event = this.api.gaEvent(this.organizer, 100);
		String customer = this.api.customer();
		Api other = second.api();
		try (EventStream stream = EventStream.open(port(), "/api/v1/events/" + event + "/availability/stream")) {
			assertThat(stream.nextDocument("availability").at("/categories/0/sold").asInt()).isZero();
			List<Response> booked = Race.run(sales, (i) -> other.book(customer, event, Api.items("GA", 1)));
			assertThat(booked).allSatisfy((response) -> response.expectStatus(201));
			int documents = 0;
			JsonNode last;
			do {
				last = stream.nextDocument("availability");
				documents++;
			}
			while (last.at("/categories/0/sold").asInt() < sales);
			assertThat(last.at("/categories/0/available").asInt()).isEqualTo(100 - sales);
			assertThat(documents).isLessThan(sales);
		}
	}

	@Test
	void refusesAnUnknownEventOrCategoryBeforeStreaming() {
		for (String path : List.of("/api/v1/events/" + UUID.randomUUID() + "/availability/stream",
				"/api/v1/events/" + UUID.randomUUID() + "/seats/stream", "/api/v1/events/not-an-id/seats/stream")) {
			try (EventStream stream = EventStream.open(port(), path)) {
				assertThat(stream.status()).as(path).isEqualTo(404);
				assertThat(stream.contentType()).as(path).startsWith("application/problem+json");
				assertThat(stream.body().get("code").asString()).as(path).isEqualTo("NOT_FOUND");
			}
		}
		String event = seatedEvent();
		try (EventStream stream = EventStream.open(port(), "/api/v1/events/" + event + "/seats/stream?category=NOPE")) {
			assertThat(stream.status()).isEqualTo(400);
			assertThat(stream.body().get("code").asString()).isEqualTo("VALIDATION_FAILED");
		}
	}

	@Test
	void aQuietStreamGetsHeartbeatsAndAClosedOneIsForgotten() {
		String event = this.api.gaEvent(this.organizer, 5);
		MeterRegistry meters = second.context().getBean(MeterRegistry.class);
		try (EventStream stream = EventStream.open(second.port(), "/api/v1/events/" + event + "/availability/stream")) {
			stream.nextDocument("availability");
			assertThat(stream.next().comment()).isTrue();
			assertThat(stream.next().comment()).isTrue();
			assertThat(subscribers(meters)).isEqualTo(1);
		}
		// found gone at the next heartbeat it cannot write
		await().atMost(EventStream.PATIENCE).until(() -> subscribers(meters) == 0);
	}

	private static double subscribers(MeterRegistry meters) {
		return meters.get("boxoffice.live.subscribers").tag("stream", "availability").gauge().value();
	}

	/** Reserved seats A-1..A-3 (STALLS) and B-1..B-2 (BALCONY). */
	private String seatedEvent() {
		return this.api.event(this.organizer,
				Map.of("name", "Seated", "startsAt", "2035-01-01T19:00:00Z", "categories",
						List.of(Map.of("code", "STALLS", "name", "Stalls", "price", "60.00", "currency", "EUR", "seats",
								List.of(Map.of("row", "A", "from", 1, "to", 3))),
								Map.of("code", "BALCONY", "name", "Balcony", "price", "40.00", "currency", "EUR",
										"seats", List.of(Map.of("row", "B", "from", 1, "to", 2))))));
	}

	private static Map<String, Object> seats(String... labels) {
		return Map.of("seats", List.of(labels));
	}

}
