package io.boxoffice.queue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.ClockedIntegrationTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The on-sale queue over HTTP on one instance: a place per buyer, the order of the line,
 * the shuffle of early joiners (repeatable with a seed), turns that end on a booking, on
 * leaving and on pass expiry, NOT_ADMITTED, CLOSED on sell-out, the stream's first
 * document.
 */
@TestPropertySource(properties = "boxoffice.queue.shuffle-seed=" + QueueTest.SEED)
class QueueTest extends ClockedIntegrationTest {

	static final long SEED = 42;

	String organizer;

	@BeforeEach
	void setUp() {
		this.organizer = this.api.organizer();
	}

	@Test
	void createsAnEventWithAQueueAndShowsIt() {
		String eventId = queuedEvent(3, null, 10, null);
		JsonNode event = this.api.get("/api/v1/events/" + eventId, null).expectStatus(200).json();
		assertThat(event.get("queue").get("maxActiveBuyers").asInt()).isEqualTo(3);
		assertThat(event.get("queue").get("passTtlSeconds").asInt()).isEqualTo(600);
		String plain = this.api.gaEvent(this.organizer, 10);
		assertThat(this.api.get("/api/v1/events/" + plain, null).json().get("queue").isNull()).isTrue();
	}

	@Test
	void refusesQueueSettingsOutOfRange() {
		for (Map<String, Object> queue : List.<Map<String, Object>>of(Map.of("maxActiveBuyers", 0),
				Map.of("maxActiveBuyers", 100_001), Map.of("maxActiveBuyers", 5, "passTtlSeconds", 9),
				Map.of("maxActiveBuyers", 5, "passTtlSeconds", 3601), Map.of("passTtlSeconds", 60),
				Map.of("maxActiveBuyers", 1.5))) {
			Response refused = this.api.post("/api/v1/events", this.organizer, eventBody(queue, 10, null));
			assertThat(refused.status()).as("queue %s", queue).isEqualTo(400);
		}
	}

	@Test
	void joiningAgainKeepsThePlace() {
		String eventId = queuedEvent(1, null, 10, null);
		String first = this.api.customer();
		join(first, eventId).expectStatus(201);
		String second = this.api.customer();
		JsonNode joined = join(second, eventId).expectStatus(201).json();
		JsonNode again = join(second, eventId).expectStatus(200).json();
		assertThat(again.get("joinedAt")).isEqualTo(joined.get("joinedAt"));
		assertThat(again.get("eventId").asString()).isEqualTo(eventId);
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(status(first, eventId)));
		assertThat(me(second, eventId).get("position").asInt()).isEqualTo(1);
		assertThat(join(second, eventId).expectStatus(200).json().get("position").asInt()).isEqualTo(1);
	}

	@Test
	void admitsInOrderOfJoiningAndTheNextWhenATurnEndsWithABooking() {
		String eventId = queuedEvent(1, null, 10, null);
		List<String> buyers = List.of(this.api.customer(), this.api.customer(), this.api.customer());
		for (String buyer : buyers) {
			join(buyer, eventId).expectStatus(201);
		}
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(status(buyers.get(0), eventId)));
		awaitPosition(buyers.get(1), eventId, 1);
		awaitPosition(buyers.get(2), eventId, 2);
		assertThat(me(buyers.get(1), eventId).get("estimatedWaitSeconds").asLong()).isPositive();

		book(buyers.get(0), eventId, 1).expectStatus(201);
		assertThat(status(buyers.get(0), eventId)).isEqualTo("DONE");
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(status(buyers.get(1), eventId)));
		awaitPosition(buyers.get(2), eventId, 1);
		JsonNode counts = this.api.get("/api/v1/events/" + eventId + "/queue", null).expectStatus(200).json();
		await().atMost(30, TimeUnit.SECONDS)
			.until(() -> this.api.get("/api/v1/events/" + eventId + "/queue", null).json().get("done").asInt() == 1);
		assertThat(counts.get("maxActiveBuyers").asInt()).isEqualTo(1);
	}

	@Test
	void shufflesThoseWhoJoinedBeforeSalesOpenAndQueuesLaterJoinersBehindThem() {
		Instant opens = clock.instant().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
		String eventId = queuedEvent(1, null, 100, opens);
		List<String> early = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			String buyer = this.api.customer();
			JsonNode place = join(buyer, eventId).expectStatus(201).json();
			assertThat(place.get("status").asString()).isEqualTo("WAITING");
			assertThat(place.get("position").isNull()).isTrue();
			early.add(buyer);
		}
		clock.set(opens);
		String late = this.api.customer();
		join(late, eventId).expectStatus(201);

		List<String> expected = new ArrayList<>(early);
		Collections.shuffle(expected, new Random(SEED));
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(status(expected.get(0), eventId)));
		for (int i = 1; i < expected.size(); i++) {
			awaitPosition(expected.get(i), eventId, i);
		}
		awaitPosition(late, eventId, expected.size());
		assertThat(expected).isNotEqualTo(early);
	}

	@Test
	void leavingEndsTheTurnAndAdmitsTheNext() {
		String eventId = queuedEvent(1, null, 10, null);
		String first = this.api.customer();
		String second = this.api.customer();
		join(first, eventId).expectStatus(201);
		join(second, eventId).expectStatus(201);
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(status(first, eventId)));

		leave(first, eventId).expectStatus(204);
		assertThat(status(first, eventId)).isEqualTo("LEFT");
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(status(second, eventId)));
		leave(first, eventId).expectStatus(204);
		assertThat(status(first, eventId)).isEqualTo("LEFT");
		assertThat(book(first, eventId, 1).expectStatus(403).json().get("queueStatus").asString()).isEqualTo("LEFT");
		assertThat(leave(this.api.customer(), eventId).status()).isEqualTo(404);
	}

	@Test
	void aWaitingBuyerWhoLeavesIsNeverAdmitted() {
		String eventId = queuedEvent(1, null, 10, null);
		String first = this.api.customer();
		String second = this.api.customer();
		String third = this.api.customer();
		join(first, eventId).expectStatus(201);
		join(second, eventId).expectStatus(201);
		join(third, eventId).expectStatus(201);
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(status(first, eventId)));
		leave(second, eventId).expectStatus(204);
		awaitPosition(third, eventId, 1);
		leave(first, eventId).expectStatus(204);
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(status(third, eventId)));
		assertThat(status(second, eventId)).isEqualTo("LEFT");
	}

	@Test
	void anExpiredPassEndsTheTurnAndAdmitsTheNext() {
		String eventId = queuedEvent(1, 10, 10, null);
		String first = this.api.customer();
		String second = this.api.customer();
		join(first, eventId).expectStatus(201);
		join(second, eventId).expectStatus(201);
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(status(first, eventId)));
		JsonNode admitted = me(first, eventId);
		Instant expires = Instant.parse(admitted.get("passExpiresAt").asString());
		assertThat(expires).isEqualTo(Instant.parse(admitted.get("admittedAt").asString()).plusSeconds(10));
		hold(first, eventId, 1).expectStatus(201);

		clock.set(expires);
		assertThat(status(first, eventId)).isEqualTo("EXPIRED");
		Response refused = book(first, eventId, 1).expectStatus(403);
		assertThat(refused.code()).isEqualTo("NOT_ADMITTED");
		assertThat(refused.json().get("queueStatus").asString()).isEqualTo("EXPIRED");
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(status(second, eventId)));
	}

	@Test
	void refusesHoldsAndBookingsOfBuyersNotAdmitted() {
		String eventId = queuedEvent(1, null, 10, null);
		String stranger = this.api.customer();
		Response never = book(stranger, eventId, 1).expectStatus(403);
		assertThat(never.code()).isEqualTo("NOT_ADMITTED");
		assertThat(never.json().has("queueStatus")).isTrue();
		assertThat(never.json().get("queueStatus").isNull()).isTrue();
		assertThat(never.json().get("position").isNull()).isTrue();
		assertThat(hold(stranger, eventId, 1).expectStatus(403).code()).isEqualTo("NOT_ADMITTED");

		String first = this.api.customer();
		String second = this.api.customer();
		join(first, eventId).expectStatus(201);
		join(second, eventId).expectStatus(201);
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(status(first, eventId)));
		awaitPosition(second, eventId, 1);
		Response waiting = hold(second, eventId, 1).expectStatus(403);
		assertThat(waiting.json().get("queueStatus").asString()).isEqualTo("WAITING");
		assertThat(waiting.json().get("position").asInt()).isEqualTo(1);

		// an admitted buyer holds, then confirms: the turn ends DONE
		String holdId = hold(first, eventId, 2).expectStatus(201).id();
		assertThat(status(first, eventId)).isEqualTo("ADMITTED");
		this.api.confirm(first, holdId).expectStatus(201);
		assertThat(status(first, eventId)).isEqualTo("DONE");
		assertThat(this.api.counts(eventId, "GA").sold()).isEqualTo(2);
	}

	@Test
	void aRetryOfAnAnsweredBookingGetsItsAnswerAfterTheTurnEnded() {
		String eventId = queuedEvent(1, null, 10, null);
		String buyer = this.api.customer();
		join(buyer, eventId).expectStatus(201);
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(status(buyer, eventId)));
		Map<String, String> key = Map.of("Idempotency-Key", "queue-retry-1");
		String path = "/api/v1/events/" + eventId + "/bookings";
		Response first = this.api.post(path, buyer, Api.items("GA", 1), key).expectStatus(201);
		assertThat(status(buyer, eventId)).isEqualTo("DONE");
		Response retry = this.api.post(path, buyer, Api.items("GA", 1), key).expectStatus(201);
		assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(retry.id()).isEqualTo(first.id());
		assertThat(this.api.post(path, buyer, Api.items("GA", 1), Map.of("Idempotency-Key", "queue-retry-2")).status())
			.isEqualTo(403);
	}

	@Test
	void closesTheLineWhenNothingIsLeftToSell() {
		String eventId = queuedEvent(1, null, 2, null);
		String first = this.api.customer();
		String second = this.api.customer();
		String third = this.api.customer();
		join(first, eventId).expectStatus(201);
		join(second, eventId).expectStatus(201);
		join(third, eventId).expectStatus(201);
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(status(first, eventId)));
		book(first, eventId, 2).expectStatus(201);

		await().atMost(30, TimeUnit.SECONDS)
			.until(() -> "CLOSED".equals(status(second, eventId)) && "CLOSED".equals(status(third, eventId)));
		JsonNode late = join(this.api.customer(), eventId).expectStatus(201).json();
		assertThat(late.get("status").asString()).isEqualTo("CLOSED");
		assertThat(late.get("position").isNull()).isTrue();
	}

	@Test
	void answers404ForAnEventWithoutAQueueAndForABuyerWhoNeverJoined() {
		String plain = this.api.gaEvent(this.organizer, 10);
		String buyer = this.api.customer();
		assertThat(join(buyer, plain).status()).isEqualTo(404);
		assertThat(this.api.get("/api/v1/events/" + plain + "/queue", null).status()).isEqualTo(404);
		book(buyer, plain, 1).expectStatus(201);
		String eventId = queuedEvent(1, null, 10, null);
		assertThat(this.api.get("/api/v1/events/" + eventId + "/queue/me", buyer).status()).isEqualTo(404);
		assertThat(join(this.organizer, eventId).status()).isEqualTo(403);
	}

	@Test
	void streamsThePlaceAtOnce() throws Exception {
		String eventId = queuedEvent(1, null, 10, null);
		String buyer = this.api.customer();
		join(buyer, eventId).expectStatus(201);
		HttpClient http = HttpClient.newHttpClient();
		HttpRequest request = HttpRequest
			.newBuilder(java.net.URI
				.create("http://localhost:" + port() + "/api/v1/events/" + eventId + "/queue/me/stream"))
			.header("Authorization", "Bearer " + buyer)
			.header("Accept", "text/event-stream")
			.GET()
			.build();
		HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			String event = lines.readLine();
			String data = lines.readLine();
			assertThat(event).isEqualTo("event:queue");
			assertThat(data).startsWith("data:");
			JsonNode place = JsonMapper.builder().build().readTree(data.substring("data:".length()));
			assertThat(place.get("eventId").asString()).isEqualTo(eventId);
			assertThat(place.get("status").asString()).isIn("WAITING", "ADMITTED");
		}
		assertThat(this.api.get("/api/v1/events/" + eventId + "/queue/me/stream", this.api.customer()).status())
			.isEqualTo(404);
	}

	private String queuedEvent(int maxActive, @Nullable Integer passTtl, int capacity, @Nullable Instant opens) {
		Map<String, Object> queue = new HashMap<>();
		queue.put("maxActiveBuyers", maxActive);
		if (passTtl != null) {
			queue.put("passTtlSeconds", passTtl);
		}
		return this.api.event(this.organizer, eventBody(queue, capacity, opens));
	}

	static Map<String, Object> eventBody(Map<String, Object> queue, int capacity, @Nullable Instant opens) {
		Map<String, Object> body = new HashMap<>();
		body.put("name", "Queued");
		body.put("startsAt", "2035-01-01T19:00:00Z");
		if (opens != null) {
			body.put("salesOpenAt", opens.toString());
		}
		body.put("queue", queue);
		body.put("categories", List
			.of(Map.of("code", "GA", "name", "Standing", "price", "25.00", "currency", "EUR", "capacity", capacity)));
		return body;
	}

	private Response join(String customer, String eventId) {
		return this.api.post("/api/v1/events/" + eventId + "/queue", customer, null);
	}

	private Response leave(String customer, String eventId) {
		return this.api.delete("/api/v1/events/" + eventId + "/queue/me", customer);
	}

	private JsonNode me(String customer, String eventId) {
		return this.api.get("/api/v1/events/" + eventId + "/queue/me", customer).expectStatus(200).json();
	}

	private String status(String customer, String eventId) {
		return me(customer, eventId).get("status").asString();
	}

	private void awaitPosition(String customer, String eventId, int position) {
		await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			JsonNode place = me(customer, eventId);
			assertThat(place.get("status").asString()).isEqualTo("WAITING");
			assertThat(place.get("position").asInt()).isEqualTo(position);
		});
	}

}
