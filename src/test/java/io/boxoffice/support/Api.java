package io.boxoffice.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client for the service under test: what a user sends, over a socket.
 * Thread-safe, so race tests share one.
 */
public final class Api {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String base;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	public Api(int port) {
		this.base = "http://localhost:" + port;
	}

	public static String json(Object value) {
		return JSON.writeValueAsString(value);
	}

	/** The account id a token was given for (its subject). */
	public static UUID accountId(String token) {
		String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
		return UUID.fromString(JSON.readTree(claims).get("sub").asString());
	}

	public Response get(String path, @Nullable String token) {
		return send(request(path, token).GET().build());
	}

	public Response delete(String path, @Nullable String token) {
		return send(request(path, token).DELETE().build());
	}

	public Response post(String path, @Nullable String token, @Nullable Object body) {
		return post(path, token, body, Map.of());
	}

	public Response post(String path, @Nullable String token, @Nullable Object body, Map<String, String> headers) {
		String text = (body == null) ? "" : (body instanceof String s) ? s : json(body);
		HttpRequest.Builder builder = request(path, token).POST(HttpRequest.BodyPublishers.ofString(text));
		if (body != null) {
			builder.header("Content-Type", "application/json");
		}
		headers.forEach(builder::header);
		return send(builder.build());
	}

	/** Sends anything, for the tests of malformed requests. */
	public Response send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers().map(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Request failed: " + request.method() + " " + request.uri(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public HttpRequest.Builder request(String path, @Nullable String token) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(60));
		if (token != null) {
			builder.header("Authorization", "Bearer " + token);
		}
		return builder;
	}

	/** Registers an account with a unique email and returns its bearer token. */
	public String tokenFor(String role) {
		String email = role.toLowerCase() + "-" + UUID.randomUUID() + "@example.org";
		Response created = post("/api/v1/accounts", null,
				Map.of("email", email, "password", "password-123", "role", role));
		created.expectStatus(201);
		Response token = post("/api/v1/auth/token", null, Map.of("email", email, "password", "password-123"));
		token.expectStatus(200);
		return token.json().get("accessToken").asString();
	}

	public String organizer() {
		return tokenFor("ORGANIZER");
	}

	public String customer() {
		return tokenFor("CUSTOMER");
	}

	/**
	 * Publishes an event with one general-admission category {@code GA} of the given
	 * capacity.
	 */
	public String gaEvent(String organizer, int capacity) {
		return event(organizer, Map.of("name", "Race", "startsAt", "2030-01-01T19:00:00Z", "categories", List
			.of(Map.of("code", "GA", "name", "Standing", "price", "25.00", "currency", "EUR", "capacity", capacity))));
	}

	/**
	 * Publishes an event with one general-admission category {@code GA}, holds that live
	 * {@code holdTtlSeconds}, and a per-customer limit when one is given.
	 */
	public String gaEvent(String organizer, int capacity, int holdTtlSeconds, @Nullable Integer maxPerCustomer) {
		Map<String, Object> body = new java.util.HashMap<>();
		body.put("name", "Test event");
		body.put("startsAt", "2035-01-01T19:00:00Z");
		body.put("holdTtlSeconds", holdTtlSeconds);
		if (maxPerCustomer != null) {
			body.put("maxTicketsPerCustomer", maxPerCustomer);
		}
		body.put("categories", List
			.of(Map.of("code", "GA", "name", "Standing", "price", "25.00", "currency", "EUR", "capacity", capacity)));
		return event(organizer, body);
	}

	public String event(String organizer, Object body) {
		Response created = post("/api/v1/events", organizer, body);
		created.expectStatus(201);
		return created.json().get("id").asString();
	}

	public static Map<String, Object> items(String category, int quantity) {
		return Map.of("items", List.of(Map.of("category", category, "quantity", quantity)));
	}

	/**
	 * Holds tickets of an event; {@code body} as {@link #items(String, int)} makes one.
	 */
	public Response hold(String customer, String eventId, Object body) {
		return post("/api/v1/events/" + eventId + "/holds", customer, body);
	}

	/**
	 * Books tickets of an event; {@code body} as {@link #items(String, int)} makes one.
	 */
	public Response book(String customer, String eventId, Object body) {
		return post("/api/v1/events/" + eventId + "/bookings", customer, body);
	}

	public Response confirm(String customer, String holdId) {
		return post("/api/v1/holds/" + holdId + "/confirm", customer, null);
	}

	public Response cancelBooking(String caller, String bookingId) {
		return post("/api/v1/bookings/" + bookingId + "/cancel", caller, null);
	}

	/** The {@code available, held, sold, capacity} of one category, read over HTTP. */
	public Counts counts(String eventId, String category) {
		JsonNode categories = get("/api/v1/events/" + eventId + "/availability", null).expectStatus(200)
			.json()
			.get("categories");
		for (JsonNode node : categories) {
			if (node.get("code").asString().equals(category)) {
				return new Counts(node.get("capacity").asInt(), node.get("available").asInt(), node.get("held").asInt(),
						node.get("sold").asInt());
			}
		}
		throw new AssertionError("No category " + category + " in " + categories);
	}

	public record Counts(int capacity, int available, int held, int sold) {

		public boolean addsUp() {
			return this.capacity == this.available + this.held + this.sold && this.available >= 0 && this.held >= 0
					&& this.sold >= 0;
		}

	}

	public record Response(int status, Map<String, List<String>> headers, String body) {

		public JsonNode json() {
			return JSON.readTree(this.body);
		}

		public @Nullable String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter(entry -> entry.getKey().equalsIgnoreCase(name))
				.map(entry -> entry.getValue().get(0))
				.findFirst()
				.orElse(null);
		}

		public String code() {
			return json().get("code").asString();
		}

		/** The {@code id} of the resource in the body. */
		public String id() {
			return json().get("id").asString();
		}

		public Response expectStatus(int expected) {
			if (this.status != expected) {
				throw new AssertionError("Expected " + expected + " but got " + this.status + ": " + this.body);
			}
			return this;
		}

	}

}
