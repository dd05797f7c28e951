package io.boxoffice.event;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import io.boxoffice.support.Api;
import io.boxoffice.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seat map of a 20,000-seat hall (100 rows of 200) and the availability go out
 * gzip-compressed with an ETag; asking again with {@code If-None-Match} gets 304 and no
 * body until a seat changes.
 */
class SeatMapTransferTest extends IntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void aLargeSeatMapIsCompressedAndRevalidated() {
		String eventId = hall();
		String seats = "/api/v1/events/" + eventId + "/seats";

		HttpResponse<byte[]> plain = get(seats, Map.of());
		HttpResponse<byte[]> gzipped = get(seats, Map.of("Accept-Encoding", "gzip"));

		assertThat(plain.statusCode()).isEqualTo(200);
		assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
		assertThat(gzipped.statusCode()).isEqualTo(200);
		assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
		byte[] unzipped = gunzip(gzipped.body());
		assertThat(unzipped).isEqualTo(plain.body());
		assertThat(JSON.readTree(unzipped).get("seats")).hasSize(20_000);
		// about 1.2 MB plain, under a tenth of it compressed
		assertThat(plain.body().length).isGreaterThan(1_000_000);
		assertThat(gzipped.body().length).isLessThan(plain.body().length / 10);
		String etag = gzipped.headers().firstValue("ETag").orElseThrow();
		assertThat(etag).startsWith("W/\"");
		assertThat(plain.headers().firstValue("ETag")).hasValue(etag);
		assertThat(gzipped.headers().firstValue("Cache-Control")).hasValue("no-cache");

		HttpResponse<byte[]> revalidated = get(seats, Map.of("Accept-Encoding", "gzip", "If-None-Match", etag));

		assertThat(revalidated.statusCode()).isEqualTo(304);
		assertThat(revalidated.body()).isEmpty();
		assertThat(revalidated.headers().firstValue("ETag")).hasValue(etag);

		this.api
			.post("/api/v1/events/" + eventId + "/holds", this.api.customer(),
					Map.of("items", List.of(Map.of("seats", List.of("R1-1")))))
			.expectStatus(201);
		HttpResponse<byte[]> changed = get(seats, Map.of("Accept-Encoding", "gzip", "If-None-Match", etag));

		assertThat(changed.statusCode()).isEqualTo(200);
		assertThat(changed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
		JsonNode first = JSON.readTree(gunzip(changed.body())).get("seats").get(0);
		assertThat(first.get("label").asString()).isEqualTo("R1-1");
		assertThat(first.get("status").asString()).isEqualTo("HELD");
	}

	@Test
	void theAvailabilityIsRevalidatedToo() {
		String eventId = this.api.gaEvent(this.api.organizer(), 100);
		String availability = "/api/v1/events/" + eventId + "/availability";
		HttpResponse<byte[]> first = get(availability, Map.of());
		String etag = first.headers().firstValue("ETag").orElseThrow();

		assertThat(get(availability, Map.of("If-None-Match", etag)).statusCode()).isEqualTo(304);

		this.api.post("/api/v1/events/" + eventId + "/holds", this.api.customer(), Api.items("GA", 2))
			.expectStatus(201);
		HttpResponse<byte[]> changed = get(availability, Map.of("If-None-Match", etag));
		assertThat(changed.statusCode()).isEqualTo(200);
		assertThat(new String(changed.body(), StandardCharsets.UTF_8)).contains("\"held\":2");
	}

	private String hall() {
		List<Map<String, Object>> rows = new ArrayList<>();
		for (int row = 1; row <= 100; row++) {
			rows.add(Map.of("row", "R" + row, "from", 1, "to", 200));
		}
		return this.api.event(this.api.organizer(), Map.of("name", "Hall", "startsAt", "2035-01-01T19:00:00Z",
				"categories",
				List.of(Map.of("code", "HALL", "name", "Hall", "price", "30.00", "currency", "EUR", "seats", rows))));
	}

	private HttpResponse<byte[]> get(String path, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port() + path));
		headers.forEach(request::header);
		try {
			return this.http.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] gunzip(byte[] compressed) {
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
