package io.boxoffice;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and hostile requests get the documented 4xx problem+json, reveal nothing of
 * the service's insides, and change nothing in the database.
 */
class BadInputTest extends IntegrationTest {

	private static final List<String> TABLES = List.of("account", "event", "category", "pool", "seat", "hold",
			"hold_item", "booking", "booking_item", "customer_tally", "idempotency_record");

	/** What must never reach a client: stack frames, SQL, Java class names. */
	private static final List<String> INTERNALS = List.of("Exception", "\tat ", "at java.", "at org.", "java.",
			"org.springframework", "tools.jackson", "com.fasterxml", "io.boxoffice", "jakarta.", "SELECT ", "INSERT ",
			"UPDATE ", "constraint", "PSQL", "postgres");

	/** Accounts and an event made once for all cases. */
	private static @Nullable Fixture fixture;

	record Fixture(String organizer, String customer, String event) {
	}

	/** One bad request and the problem it must get. */
	record Case(String name, Function<Ctx, Response> send, int status, String code, @Nullable String field) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	record Ctx(Api api, Fixture fixture, int port) {

		/**
		 * One HTTP/1.1 exchange over a plain socket, the header line sent as UTF-8 bytes.
		 */
		Response overSocket(String method, String path, String token, String header, String body) {
			byte[] content = body.getBytes(StandardCharsets.UTF_8);
			String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
					+ "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
					+ content.length + "\r\n" + header + "\r\n\r\n";
			try (Socket socket = new Socket("localhost", this.port)) {
				socket.setSoTimeout(30_000);
				OutputStream out = socket.getOutputStream();
				out.write(head.getBytes(StandardCharsets.UTF_8));
				out.write(content);
				out.flush();
				String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				int split = response.indexOf("\r\n\r\n");
				String[] lines = response.substring(0, split).split("\r\n");
				Map<String, List<String>> headers = new LinkedHashMap<>();
				for (int i = 1; i < lines.length; i++) {
					int colon = lines[i].indexOf(':');
					headers.put(lines[i].substring(0, colon).trim(), List.of(lines[i].substring(colon + 1).trim()));
				}
				String payload = response.substring(split + 4);
				if ("chunked".equalsIgnoreCase(headers.getOrDefault("Transfer-Encoding", List.of("")).get(0))) {
					payload = dechunk(payload);
				}
				return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, payload);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		private static String dechunk(String chunked) {
			StringBuilder body = new StringBuilder();
			int at = 0;
			while (true) {
				int end = chunked.indexOf("\r\n", at);
				int size = Integer.parseInt(chunked.substring(at, end).trim(), 16);
				if (size == 0) {
					return body.toString();
				}
				body.append(chunked, end + 2, end + 2 + size);
				at = end + 2 + size + 2;
			}
		}

		String organizer() {
			return this.fixture.organizer();
		}

		String customer() {
			return this.fixture.customer();
		}

		String eventPath(String tail) {
			return "/api/v1/events/" + this.fixture.event() + tail;
		}

		Response raw(String path, @Nullable String token, String contentType, String body) {
			return raw(path, token, contentType, body, Map.of());
		}

		/** A body sent without its length, in chunks, as a streaming client sends it. */
		Response chunked(String path, @Nullable String token, String body) {
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			return this.api.send(this.api.request(path, token)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
				.build());
		}

		Response raw(String path, @Nullable String token, String contentType, String body,
				Map<String, String> headers) {
			HttpRequest.Builder request = this.api.request(path, token)
				.header("Content-Type", contentType)
				.POST(HttpRequest.BodyPublishers.ofString(body));
			headers.forEach(request::header);
			return this.api.send(request.build());
		}

	}

	@BeforeEach
	void setUp() {
		if (fixture == null) {
			String organizer = this.api.organizer();
			fixture = new Fixture(organizer, this.api.customer(), this.api.gaEvent(organizer, 100));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void refusesBadInputWithAProblemAndChangesNothing(Case bad) {
		Map<String, Long> before = rowCounts();

		Response response = bad.send().apply(new Ctx(this.api, fixture, port()));

		assertThat(response.status()).as(response.body()).isEqualTo(bad.status());
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("status").asInt()).isEqualTo(bad.status());
		assertThat(problem.get("code").asString()).as(response.body()).isEqualTo(bad.code());
		if (bad.field() != null) {
			List<String> fields = new ArrayList<>();
			problem.get("errors").forEach(error -> fields.add(error.get("field").asString()));
			assertThat(fields).as(response.body()).contains(bad.field());
		}
		assertThat(response.body()).doesNotContain(INTERNALS);
		assertThat(rowCounts()).isEqualTo(before);
	}

	@Test
	void aBodyWithoutItsLengthWithinTheLimitIsReadWhole() {
		String email = unique();
		Response created = new Ctx(this.api, fixture, port()).chunked("/api/v1/accounts", null, account(email));

		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.json().get("email").asString()).isEqualTo(email);
	}

	static Stream<Case> cases() {
		String huge = "x".repeat(10_000);
		String twoMegabytes = "{\"email\": \"" + "a".repeat(2 * 1024 * 1024) + "\"}";
		Map<String, Object> goodEvent = event(Map.of());
		List<Case> cases = new ArrayList<>();

		// accounts: public, so nothing but the body stands between a stranger and the
		// database
		cases.add(new Case("broken JSON", c -> c.raw("/api/v1/accounts", null, "application/json", "{\"email\": "), 400,
				"MALFORMED_REQUEST", null));
		cases.add(new Case("array instead of object",
				c -> c.raw("/api/v1/accounts", null, "application/json", "[{\"email\": \"a@example.org\"}]"), 400,
				"MALFORMED_REQUEST", null));
		cases.add(new Case("JSON null body", c -> c.raw("/api/v1/accounts", null, "application/json", "null"), 400,
				"MALFORMED_REQUEST", null));
		cases.add(new Case("trailing garbage after the JSON",
				c -> c.raw("/api/v1/accounts", null, "application/json", account("a@example.org") + " {}"), 400,
				"MALFORMED_REQUEST", null));
		cases.add(new Case("bad email",
				c -> c.api()
					.post("/api/v1/accounts", null,
							Map.of("email", "not-an-email", "password", "password-123", "role", "CUSTOMER")),
				400, "VALIDATION_FAILED", "email"));
		cases.add(new Case("email of 10,000 chars",
				c -> c.api()
					.post("/api/v1/accounts", null,
							Map.of("email", huge + "@example.org", "password", "password-123", "role", "CUSTOMER")),
				400, "VALIDATION_FAILED", "email"));
		cases.add(new Case("short password",
				c -> c.api()
					.post("/api/v1/accounts", null, Map.of("email", unique(), "password", "short", "role", "CUSTOMER")),
				400, "VALIDATION_FAILED", "password"));
		cases.add(new Case("unknown role", c -> c.api()
			.post("/api/v1/accounts", null, Map.of("email", unique(), "password", "password-123", "role", "ADMIN")),
				400, "VALIDATION_FAILED", "role"));
		cases.add(new Case("role of the wrong type",
				c -> c.api()
					.post("/api/v1/accounts", null, Map.of("email", unique(), "password", "password-123", "role", 1)),
				400, "MALFORMED_REQUEST", null));
		cases.add(new Case("missing email",
				c -> c.api().post("/api/v1/accounts", null, Map.of("password", "password-123", "role", "CUSTOMER")),
				400, "VALIDATION_FAILED", "email"));
		cases.add(new Case("2 MB body", c -> c.raw("/api/v1/accounts", null, "application/json", twoMegabytes), 413,
				"PAYLOAD_TOO_LARGE", null));
		cases.add(new Case("2 MB body without its length (chunked)",
				c -> c.chunked("/api/v1/accounts", null, twoMegabytes), 413, "PAYLOAD_TOO_LARGE", null));
		cases.add(new Case("wrong Content-Type", c -> c.raw("/api/v1/accounts", null, "text/plain", account(unique())),
				415, "UNSUPPORTED_MEDIA_TYPE", null));

		// events
		cases.add(new Case("event name of 10,000 chars",
				c -> c.api().post("/api/v1/events", c.organizer(), event(Map.of("name", huge))), 400,
				"VALIDATION_FAILED", "name"));
		cases.add(new Case("event without name", c -> {
			Map<String, Object> body = new LinkedHashMap<>(goodEvent);
			body.remove("name");
			return c.api().post("/api/v1/events", c.organizer(), body);
		}, 400, "VALIDATION_FAILED", "name"));
		cases.add(new Case("startsAt not a time",
				c -> c.api().post("/api/v1/events", c.organizer(), event(Map.of("startsAt", "next friday"))), 400,
				"MALFORMED_REQUEST", null));
		cases.add(
				new Case("capacity 0", c -> c.api().post("/api/v1/events", c.organizer(), event(Map.of(), ga("GA", 0))),
						400, "VALIDATION_FAILED", "categories[0].capacity"));
		cases.add(new Case("capacity 10,000,001",
				c -> c.api().post("/api/v1/events", c.organizer(), event(Map.of(), ga("GA", 10_000_001))), 400,
				"VALIDATION_FAILED", "categories[0].capacity"));
		cases.add(new Case("capacity as a string",
				c -> c.api()
					.post("/api/v1/events", c.organizer(), event(Map.of(),
							Map.of("code", "GA", "name", "S", "price", "1.00", "currency", "EUR", "capacity", "5"))),
				400, "MALFORMED_REQUEST", null));
		cases.add(new Case("overlapping seat ranges",
				c -> c.api()
					.post("/api/v1/events", c.organizer(),
							event(Map.of(),
									seated("STALLS",
											List.of(Map.of("row", "A", "from", 1, "to", 10),
													Map.of("row", "A", "from", 10, "to", 12))))),
				400, "VALIDATION_FAILED", "categories[0].seats[1]"));
		cases.add(new Case("salesCloseAt before salesOpenAt",
				c -> c.api()
					.post("/api/v1/events", c.organizer(), event(
							Map.of("salesOpenAt", "2034-06-01T00:00:00Z", "salesCloseAt", "2034-05-01T00:00:00Z"))),
				400, "VALIDATION_FAILED", "salesCloseAt"));
		cases.add(new Case("holdTtlSeconds 9",
				c -> c.api().post("/api/v1/events", c.organizer(), event(Map.of("holdTtlSeconds", 9))), 400,
				"VALIDATION_FAILED", "holdTtlSeconds"));
		cases.add(new Case("holdTtlSeconds 3601",
				c -> c.api().post("/api/v1/events", c.organizer(), event(Map.of("holdTtlSeconds", 3601))), 400,
				"VALIDATION_FAILED", "holdTtlSeconds"));
		cases.add(new Case("duplicate category codes",
				c -> c.api().post("/api/v1/events", c.organizer(), event(Map.of(), ga("GA", 5), ga("GA", 7))), 400,
				"VALIDATION_FAILED", "categories[1].code"));
		cases
			.add(new Case("category with both capacity and seats",
					c -> c.api()
						.post("/api/v1/events", c.organizer(), event(Map.of(),
								Map.of("code", "MIX", "name", "Both", "price", "1.00", "currency", "EUR", "capacity", 5,
										"seats", List.of(Map.of("row", "A", "from", 1, "to", 5))))),
					400, "VALIDATION_FAILED", "categories[0]"));
		cases.add(new Case("no categories",
				c -> c.api().post("/api/v1/events", c.organizer(), event(Map.of("categories", List.of()))), 400,
				"VALIDATION_FAILED", "categories"));

		// control characters in any text field, and instants PostgreSQL cannot store
		cases.add(new Case("NUL in an event name",
				c -> c.api().post("/api/v1/events", c.organizer(), event(Map.of("name", "Gala\u0000"))), 400,
				"VALIDATION_FAILED", "name"));
		cases.add(new Case("bell character in a venue",
				c -> c.api().post("/api/v1/events", c.organizer(), event(Map.of("venue", "Hall\u0007"))), 400,
				"VALIDATION_FAILED", "venue"));
		cases.add(new Case("line break in a category name",
				c -> c.api()
					.post("/api/v1/events", c.organizer(), event(Map.of(), Map.of("code", "GA", "name", "Stand\ning",
							"price", "1.00", "currency", "EUR", "capacity", 5))),
				400, "VALIDATION_FAILED", "categories[0].name"));
		cases.add(new Case("NUL in a category code",
				c -> c.api()
					.post("/api/v1/events", c.organizer(), event(Map.of(), Map.of("code", "G\u0000A", "name", "S",
							"price", "1.00", "currency", "EUR", "capacity", 5))),
				400, "VALIDATION_FAILED", "categories[0].code"));
		cases.add(new Case("NUL in a seat row",
				c -> c.api()
					.post("/api/v1/events", c.organizer(),
							event(Map.of(), seated("STALLS", List.of(Map.of("row", "A\u0000", "from", 1, "to", 5))))),
				400, "VALIDATION_FAILED", "categories[0].seats[0].row"));
		cases.add(new Case("startsAt in the year 999999999",
				c -> c.api()
					.post("/api/v1/events", c.organizer(), event(Map.of("startsAt", "+999999999-12-31T23:59:59Z"))),
				400, "VALIDATION_FAILED", "startsAt"));
		cases.add(new Case("salesOpenAt in the year -999999999",
				c -> c.api()
					.post("/api/v1/events", c.organizer(), event(Map.of("salesOpenAt", "-999999999-01-01T00:00:00Z"))),
				400, "VALIDATION_FAILED", "salesOpenAt"));
		cases.add(new Case("salesCloseAt in the year 10000",
				c -> c.api()
					.post("/api/v1/events", c.organizer(), event(Map.of("salesCloseAt", "+10000-01-01T00:00:00Z"))),
				400, "VALIDATION_FAILED", "salesCloseAt"));
		cases.add(new Case("startsAt before 1970",
				c -> c.api().post("/api/v1/events", c.organizer(), event(Map.of("startsAt", "1969-12-31T23:59:59Z"))),
				400, "VALIDATION_FAILED", "startsAt"));
		cases.add(new Case("NUL in a registration email",
				c -> c.api()
					.post("/api/v1/accounts", null,
							Map.of("email", "a\u0000b@example.org", "password", "password-123", "role", "CUSTOMER")),
				400, "VALIDATION_FAILED", "email"));
		cases.add(new Case("NUL in a login email", c -> c.api()
			.post("/api/v1/auth/token", null, Map.of("email", "a\u0000b@example.org", "password", "password-123")), 400,
				"VALIDATION_FAILED", "email"));
		cases.add(new Case("NUL in a password",
				c -> c.api()
					.post("/api/v1/accounts", null,
							Map.of("email", unique(), "password", "password\u0000123", "role", "CUSTOMER")),
				400, "VALIDATION_FAILED", "password"));
		cases.add(new Case("NUL in an item's category",
				c -> c.api().post(c.eventPath("/holds"), c.customer(), Api.items("G\u0000A", 1)), 400,
				"VALIDATION_FAILED", "items[0].category"));
		cases.add(new Case("NUL in a seat label",
				c -> c.api()
					.post(c.eventPath("/holds"), c.customer(),
							Map.of("items", List.of(Map.of("category", "GA", "seats", List.of("A-\u00001"))))),
				400, "VALIDATION_FAILED", "items[0].seats[0]"));
		cases.add(new Case("escape character in a seat map's category",
				c -> c.api().get(c.eventPath("/seats?category=%1B"), null), 400, "VALIDATION_FAILED", "category"));
		cases.add(new Case("encoded NUL in a seat map's category",
				c -> c.api().get(c.eventPath("/seats?category=%00"), null), 400, "VALIDATION_FAILED", "category"));

		// lists
		cases.add(new Case("page size 101", c -> c.api().get("/api/v1/events?size=101", null), 400, "VALIDATION_FAILED",
				"size"));
		cases.add(new Case("page -1", c -> c.api().get("/api/v1/events?page=-1", null), 400, "VALIDATION_FAILED",
				"page"));
		cases.add(new Case("page size not a number", c -> c.api().get("/api/v1/bookings?size=ten", c.customer()), 400,
				"VALIDATION_FAILED", "size"));

		// holds and bookings
		cases
			.add(new Case("quantity 1.5",
					c -> c.raw(c.eventPath("/bookings"), c.customer(), "application/json",
							"{\"items\": [{\"category\": \"GA\", \"quantity\": 1.5}]}"),
					400, "MALFORMED_REQUEST", null));
		cases
			.add(new Case("quantity \"2\"",
					c -> c.raw(c.eventPath("/bookings"), c.customer(), "application/json",
							"{\"items\": [{\"category\": \"GA\", \"quantity\": \"2\"}]}"),
					400, "MALFORMED_REQUEST", null));
		cases
			.add(new Case("quantity true",
					c -> c.raw(c.eventPath("/holds"), c.customer(), "application/json",
							"{\"items\": [{\"category\": \"GA\", \"quantity\": true}]}"),
					400, "MALFORMED_REQUEST", null));
		cases.add(new Case("quantity 2147483648",
				c -> c.raw(c.eventPath("/bookings"), c.customer(), "application/json",
						"{\"items\": [{\"category\": \"GA\", \"quantity\": 2147483648}]}"),
				400, "MALFORMED_REQUEST", null));
		cases.add(new Case("quantity 0", c -> c.api().post(c.eventPath("/bookings"), c.customer(), Api.items("GA", 0)),
				400, "VALIDATION_FAILED", "items[0].quantity"));
		cases.add(new Case("quantity -1", c -> c.api().post(c.eventPath("/holds"), c.customer(), Api.items("GA", -1)),
				400, "VALIDATION_FAILED", "items[0].quantity"));
		cases
			.add(new Case("quantity 51", c -> c.api().post(c.eventPath("/bookings"), c.customer(), Api.items("GA", 51)),
					400, "VALIDATION_FAILED", "items"));
		cases.add(new Case("51 tickets over two items", c -> c.api()
			.post(c.eventPath("/holds"), c.customer(), Map.of("items",
					List.of(Map.of("category", "GA", "quantity", 50), Map.of("category", "GA", "quantity", 1)))),
				400, "VALIDATION_FAILED", "items"));
		cases.add(new Case("unknown category",
				c -> c.api().post(c.eventPath("/bookings"), c.customer(), Api.items("VIP", 1)), 400,
				"VALIDATION_FAILED", "items[0].category"));
		cases.add(new Case("missing quantity",
				c -> c.api()
					.post(c.eventPath("/bookings"), c.customer(), Map.of("items", List.of(Map.of("category", "GA")))),
				400, "VALIDATION_FAILED", "items[0].quantity"));
		cases.add(new Case("empty items",
				c -> c.api().post(c.eventPath("/holds"), c.customer(), Map.of("items", List.of())), 400,
				"VALIDATION_FAILED", "items"));
		cases.add(new Case("no items at all", c -> c.api().post(c.eventPath("/bookings"), c.customer(), Map.of()), 400,
				"VALIDATION_FAILED", "items"));
		cases.add(new Case("null item",
				c -> c.raw(c.eventPath("/bookings"), c.customer(), "application/json", "{\"items\": [null]}"), 400,
				"VALIDATION_FAILED", "items[0]"));
		cases.add(new Case("item with both seats and category",
				c -> c.api()
					.post(c.eventPath("/holds"), c.customer(),
							Map.of("items", List.of(Map.of("category", "GA", "quantity", 1, "seats", List.of("A-1"))))),
				400, "VALIDATION_FAILED", "items[0]"));
		cases.add(
				new Case("items as an object",
						c -> c.raw(c.eventPath("/bookings"), c.customer(), "application/json",
								"{\"items\": {\"category\": \"GA\", \"quantity\": 1}}"),
						400, "MALFORMED_REQUEST", null));
		cases.add(new Case("unknown event id",
				c -> c.api()
					.post("/api/v1/events/" + UUID.randomUUID() + "/bookings", c.customer(), Api.items("GA", 1)),
				404, "NOT_FOUND", null));
		cases.add(new Case("invalid event id",
				c -> c.api().post("/api/v1/events/not-an-id/holds", c.customer(), Api.items("GA", 1)), 404, "NOT_FOUND",
				null));
		cases.add(new Case("unknown hold id",
				c -> c.api().post("/api/v1/holds/" + UUID.randomUUID() + "/confirm", c.customer(), null), 404,
				"NOT_FOUND", null));
		cases.add(new Case("Idempotency-Key of 256 chars",
				c -> c.api()
					.post(c.eventPath("/bookings"), c.customer(), Api.items("GA", 1),
							Map.of("Idempotency-Key", "k".repeat(256))),
				400, "VALIDATION_FAILED", "Idempotency-Key"));
		// java.net.http would send "?" for a non-ASCII character, so these bytes go over
		// a plain socket
		cases.add(new Case(
				"non-ASCII Idempotency-Key", c -> c.overSocket("POST", c.eventPath("/holds"), c.customer(),
						"Idempotency-Key: clé-1", Api.json(Api.items("GA", 1))),
				400, "VALIDATION_FAILED", "Idempotency-Key"));
		// refused before Spring MVC, by Tomcat or Spring Security's firewall: the same
		// problem+json all the same
		String booking = Api.json(Api.items("GA", 1));
		Map<String, Function<Ctx, Response>> refusedUpFront = new LinkedHashMap<>();
		refusedUpFront.put("doubled slash in the URL",
				c -> c.overSocket("POST", c.eventPath("//bookings"), c.customer(), "", booking));
		refusedUpFront.put("path parameter in the URL",
				c -> c.overSocket("POST", c.eventPath(";x=1/bookings"), c.customer(), "", booking));
		refusedUpFront.put("encoded slash in the URL",
				c -> c.overSocket("POST", c.eventPath("%2Fbookings"), c.customer(), "", booking));
		refusedUpFront.put("encoded NUL in the URL",
				c -> c.overSocket("POST", c.eventPath("/bookings%00"), c.customer(), "", booking));
		refusedUpFront.put("undecodable escape in the URL",
				c -> c.overSocket("POST", c.eventPath("/bookings%zz"), c.customer(), "", booking));
		refusedUpFront.put("unknown HTTP method",
				c -> c.overSocket("BOOK", c.eventPath("/bookings"), c.customer(), "", booking));
		refusedUpFront.put("control character in a header",
				c -> c.overSocket("POST", c.eventPath("/bookings"), c.customer(), "X-Note: a\u0001b", booking));
		refusedUpFront.forEach((name, send) -> cases.add(new Case(name, send, 400, "MALFORMED_REQUEST", null)));
		cases.add(new Case("Idempotency-Key with a space",
				c -> c.api()
					.post(c.eventPath("/bookings"), c.customer(), Api.items("GA", 1), Map.of("Idempotency-Key", "a b")),
				400, "VALIDATION_FAILED", "Idempotency-Key"));
		cases.add(new Case(
				"booking as form data", c -> c.raw(c.eventPath("/bookings"), c.customer(),
						"application/x-www-form-urlencoded", "category=GA&quantity=1"),
				415, "UNSUPPORTED_MEDIA_TYPE", null));
		cases.add(new Case("2 MB booking body",
				c -> c.raw(c.eventPath("/bookings"), c.customer(), "application/json", twoMegabytes), 413,
				"PAYLOAD_TOO_LARGE", null));
		cases.add(new Case("2 MB booking body without its length (chunked)",
				c -> c.chunked(c.eventPath("/bookings"), c.customer(), twoMegabytes), 413, "PAYLOAD_TOO_LARGE", null));
		return cases.stream();
	}

	private Map<String, Long> rowCounts() {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (String table : TABLES) {
			counts.put(table, this.jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single());
		}
		return counts;
	}

	private static String unique() {
		return "bad-" + UUID.randomUUID() + "@example.org";
	}

	private static String account(String email) {
		return Api.json(Map.of("email", email, "password", "password-123", "role", "CUSTOMER"));
	}

	@SafeVarargs
	private static Map<String, Object> event(Map<String, Object> overrides, Map<String, Object>... categories) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", "Bad input");
		body.put("startsAt", "2035-01-01T19:00:00Z");
		body.put("categories", (categories.length > 0) ? List.of(categories) : List.of(ga("GA", 10)));
		body.putAll(overrides);
		return body;
	}

	private static Map<String, Object> ga(String code, int capacity) {
		return Map.of("code", code, "name", "Standing", "price", "25.00", "currency", "EUR", "capacity", capacity);
	}

	private static Map<String, Object> seated(String code, List<Map<String, Object>> seats) {
		return Map.of("code", code, "name", "Seated", "price", "40.00", "currency", "EUR", "seats", seats);
	}

}
