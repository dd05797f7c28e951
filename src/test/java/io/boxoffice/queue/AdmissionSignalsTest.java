package io.boxoffice.queue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.boxoffice.support.IntegrationTest;
import io.boxoffice.support.SecondInstance;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A buyer admitted through one instance while listening on another's stream is told by a
 * signal of the admission, not by the other instance's next admission step: here that
 * instance's step runs once an hour, so only the signal can tell it.
 */
class AdmissionSignalsTest extends IntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static SecondInstance quiet;

	@BeforeAll
	static void startAnInstanceWhoseAdmissionStepHardlyRuns() {
		quiet = new SecondInstance("boxoffice.queue.tick-interval=1h");
	}

	@AfterAll
	static void stopIt() {
		quiet.close();
	}

	@Test
	void aBuyerListeningOnAnotherInstanceIsToldOfTheAdmissionAtOnce() throws Exception {
		String organizer = this.api.organizer();
		Map<String, Object> queue = new HashMap<>();
		queue.put("maxActiveBuyers", 1);
		String eventId = this.api.event(organizer, QueueTest.eventBody(queue, 10, null));
		String first = this.api.customer();
		String second = this.api.customer();
		this.api.post("/api/v1/events/" + eventId + "/queue", first, null).expectStatus(201);
		this.api.post("/api/v1/events/" + eventId + "/queue", second, null).expectStatus(201);
		await().atMost(30, TimeUnit.SECONDS)
			.until(() -> "ADMITTED".equals(
					this.api.get("/api/v1/events/" + eventId + "/queue/me", first).json().get("status").asString()));

		HttpResponse<InputStream> stream = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI
					.create("http://localhost:" + quiet.port() + "/api/v1/events/" + eventId + "/queue/me/stream"))
				.header("Authorization", "Bearer " + second)
				.header("Accept", "text/event-stream")
				.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(stream.statusCode()).isEqualTo(200);
		ExecutorService reader = Executors.newSingleThreadExecutor();
		try (InputStream body = stream.body()) {
			Future<@Nullable JsonNode> admitted = reader.submit(() -> firstPlaceNotWaiting(body));
			book(first, eventId, 1).expectStatus(201);

			JsonNode place = admitted.get(30, TimeUnit.SECONDS);
			assertThat(place).isNotNull();
			assertThat(place.get("status").asString()).isEqualTo("ADMITTED");
			assertThat(place.get("passExpiresAt").isNull()).isFalse();
		}
		finally {
			reader.shutdownNow();
		}
	}

	private static @Nullable JsonNode firstPlaceNotWaiting(InputStream body) throws Exception {
		BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
		String line;
		while ((line = lines.readLine()) != null) {
			if (line.startsWith("data:")) {
				JsonNode place = JSON.readTree(line.substring("data:".length()));
				if (!"WAITING".equals(place.get("status").asString())) {
					return place;
				}
			}
		}
		return null;
	}

}
