package io.boxoffice.shared.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.boxoffice.shared.ErrorCode;
import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI description at {@code /v3/api-docs}, what client generators read: every
 * operation describes itself and each problem answer it may give, the refusals the
 * service really sends fit that description, and the linters pinned in
 * {@code src/test/openapi} (Redocly's recommended rules, Spectral's {@code spectral:oas})
 * find nothing at all. The linters need Node.js 20.19 or newer and npm.
 */
class OpenApiDocumentTest extends IntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String PROBLEM = "#/components/schemas/Problem";

	/** The pinned linters and their rule sets. */
	private static final Path LINTERS = Path.of("src/test/openapi").toAbsolutePath();

	/** Where the linters are installed, out of the sources. */
	private static final Path INSTALLED = Path.of("target/openapi-lint").toAbsolutePath();

	JsonNode document;

	@BeforeEach
	void readDocument() {
		this.document = this.api.get("/v3/api-docs", null).expectStatus(200).json();
	}

	@Test
	void everyOperationHasASummaryADescriptionAndDeclaredTags() {
		Set<String> declared = new TreeSet<>();
		for (JsonNode tag : this.document.get("tags")) {
			assertThat(tag.path("description").asString("")).as("tag " + tag).isNotBlank();
			declared.add(tag.get("name").asString());
		}
		List<String> operations = new ArrayList<>();
		forEachOperation((name, operation) -> {
			operations.add(name);
			assertThat(operation.path("operationId").asString("")).as(name).isNotBlank();
			assertThat(operation.path("summary").asString("")).as(name).isNotBlank();
			assertThat(operation.path("description").asString("")).as(name).isNotBlank();
			assertThat(operation.get("tags")).as(name).isNotEmpty();
			operation.get("tags").forEach(tag -> assertThat(declared).as(name).contains(tag.asString()));
		});
		assertThat(operations).hasSize(23);
		assertThat(declared).containsExactly("Accounts and tokens", "Check-in", "Events", "Holds and bookings",
				"Live updates", "Tickets");
		assertThat(this.document.at("/info/license/name").asString()).isEqualTo("Apache-2.0");
		assertThat(this.document.at("/info/description").asString("")).isNotBlank();
	}

	@Test
	void everyRefusalIsAProblemDocumentListingItsCodes() {
		Set<ErrorCode> documented = EnumSet.noneOf(ErrorCode.class);
		forEachOperation((name, operation) -> {
			JsonNode responses = operation.get("responses");
			assertThat(responses.has("401") && responses.has("500") && responses.has("503")).as(name).isTrue();
			for (Map.Entry<String, JsonNode> entry : responses.properties()) {
				int status = Integer.parseInt(entry.getKey());
				JsonNode response = entry.getValue();
				String where = name + " " + status;
				assertThat(response.path("description").asString("")).as(where).isNotBlank();
				if (status == 201) {
					assertThat(response.at("/headers/Location/$ref").asString("")).as(where)
						.isEqualTo("#/components/headers/Location");
				}
				if (status < 400) {
					continue;
				}
				assertThat(response.get("content").propertyNames()).as(where)
					.containsExactly("application/problem+json");
				JsonNode problem = response.at("/content/application~1problem+json");
				assertThat(problem.at("/schema/$ref").asString("")).as(where).isEqualTo(PROBLEM);
				assertThat(problem.get("examples").propertyNames()).as(where).isNotEmpty();
				for (Map.Entry<String, JsonNode> example : problem.get("examples").properties()) {
					ErrorCode code = ErrorCode.valueOf(example.getKey());
					assertThat(code.status().value()).as(where + " " + code).isEqualTo(status);
					assertThat(example.getValue().at("/value/code").asString()).isEqualTo(code.name());
					assertThat(response.get("description").asString()).as(where).contains("`" + code.name() + "`");
					documented.add(code);
				}
				if (status == 429 || status == 503) {
					assertThat(response.at("/headers/Retry-After/$ref").asString("")).as(where)
						.isEqualTo("#/components/headers/Retry-After");
				}
			}
			boolean idempotent = false;
			for (JsonNode parameter : operation.path("parameters")) {
				idempotent |= parameter.get("name").asString().equals("Idempotency-Key");
			}
			if (idempotent) {
				assertThat(codes(responses.get("422"))).as(name).contains("IDEMPOTENCY_KEY_REUSED");
				String success = responses.has("201") ? "201" : "200";
				assertThat(responses.at("/" + success + "/headers/Idempotent-Replayed/$ref").asString("")).as(name)
					.isEqualTo("#/components/headers/Idempotent-Replayed");
			}
		});
		// 405 is the answer to a method no operation has
		assertThat(documented).isEqualTo(EnumSet.complementOf(EnumSet.of(ErrorCode.METHOD_NOT_ALLOWED)));
	}

	@Test
	void securityAndForbiddenFollowTheAccessRules() {
		JsonNode paths = this.document.get("paths");
		// public: an empty list of requirements
		assertThat(paths.at("/~1api~1v1~1events/get/security").toString()).isEqualTo("[]");
		assertThat(paths.at("/~1api~1v1~1auth~1token/post/security").toString()).isEqualTo("[]");
		assertThat(paths.at("/~1api~1v1~1events/post/security/0").propertyNames()).containsExactly("bearer");
		assertThat(codes(paths.at("/~1api~1v1~1events/post/responses/403"))).containsExactly("FORBIDDEN");
		assertThat(paths.at("/~1api~1v1~1events/post/responses/403/description").asString())
			.contains("it is for ORGANIZER accounts");
		// any account may read a booking: its own, or one of its event
		assertThat(paths.at("/~1api~1v1~1bookings~1{bookingId}/get/security/0").propertyNames())
			.containsExactly("bearer");
		assertThat(paths.at("/~1api~1v1~1bookings~1{bookingId}/get/responses").has("403")).isFalse();
	}

	@Test
	void theRefusalsTheServiceSendsAreDescribedByTheirOperation() {
		String organizer = this.api.organizer();
		String customer = this.api.customer();
		String pool = this.api.gaEvent(organizer, 1);
		String limited = this.api.gaEvent(organizer, 10, 600, 1);
		String seated = this.api.event(organizer,
				Map.of("name", "Seated", "startsAt", "2035-01-01T19:00:00Z", "categories",
						List.of(Map.of("code", "STALLS", "name", "Stalls", "price", "60.00", "currency", "EUR", "seats",
								List.of(Map.of("row", "A", "from", 1, "to", 2))))));
		Map<String, Object> seatA1 = Map.of("items", List.of(Map.of("seats", List.of("A-1"))));
		this.api.post("/api/v1/events/" + seated + "/bookings", this.api.customer(), seatA1).expectStatus(201);
		String holds = "/api/v1/events/{eventId}/holds";
		this.api
			.post("/api/v1/events/" + pool + "/holds", customer, Api.items("GA", 1), Map.of("Idempotency-Key", "k1"))
			.expectStatus(201);

		expectDescribed("post", holds, "SOLD_OUT",
				this.api.post("/api/v1/events/" + pool + "/holds", this.api.customer(), Api.items("GA", 2)));
		expectDescribed("post", holds, "LIMIT_EXCEEDED",
				this.api.post("/api/v1/events/" + limited + "/holds", customer, Api.items("GA", 2)));
		expectDescribed("post", holds, "SEATS_UNAVAILABLE",
				this.api.post("/api/v1/events/" + seated + "/holds", customer, seatA1));
		expectDescribed("post", holds, "VALIDATION_FAILED",
				this.api.post("/api/v1/events/" + pool + "/holds", customer, Map.of("items", List.of())));
		expectDescribed("post", holds, "MALFORMED_REQUEST",
				this.api.post("/api/v1/events/" + pool + "/holds", customer, "{\"items\": [{\"quantity\": 1.5}]}"));
		expectDescribed("post", holds, "IDEMPOTENCY_KEY_REUSED", this.api.post("/api/v1/events/" + pool + "/holds",
				customer, Api.items("GA", 2), Map.of("Idempotency-Key", "k1")));
		expectDescribed("post", holds, "UNAUTHENTICATED",
				this.api.post("/api/v1/events/" + pool + "/holds", null, Api.items("GA", 1)));
		expectDescribed("post", holds, "FORBIDDEN",
				this.api.post("/api/v1/events/" + pool + "/holds", organizer, Api.items("GA", 1)));
		expectDescribed("post", holds, "NOT_FOUND",
				this.api.post("/api/v1/events/" + UUID.randomUUID() + "/holds", customer, Api.items("GA", 1)));
		expectDescribed("get", "/api/v1/events", "VALIDATION_FAILED", this.api.get("/api/v1/events?size=101", null));
		// refused by the firewall, before any operation is chosen
		expectDescribed("get", "/api/v1/events/{eventId}", "MALFORMED_REQUEST",
				this.api.get("/api/v1/events/a;b", null));
		Map<String, String> account = Map.of("email", "twice-" + UUID.randomUUID() + "@example.org", "password",
				"password-123", "role", "CUSTOMER");
		this.api.post("/api/v1/accounts", null, account).expectStatus(201);
		expectDescribed("post", "/api/v1/accounts", "EMAIL_TAKEN", this.api.post("/api/v1/accounts", null, account));
	}

	@Test
	void theLintersFindNothing() throws Exception {
		Path openapi = Path.of("target/openapi.json").toAbsolutePath();
		Files.writeString(openapi, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this.document));
		installLinters();

		Run redocly = run(INSTALLED, bin("redocly"), "lint", "--config", LINTERS.resolve("redocly.yaml").toString(),
				"--format=json", openapi.toString());
		JsonNode report = JSON.readTree(redocly.output());
		List<String> redoclyFindings = new ArrayList<>();
		report.get("problems")
			.forEach(problem -> redoclyFindings.add(problem.get("ruleId").asString() + " at "
					+ problem.at("/location/0/pointer").asString() + ": " + problem.get("message").asString()));
		assertThat(redoclyFindings).as("Redocly's findings").isEmpty();
		assertThat(report.at("/totals/errors").asInt() + report.at("/totals/warnings").asInt()).isZero();
		assertThat(redocly.exitCode()).as(redocly.toString()).isZero();

		// exits 1 on any finding, even a hint
		Run spectral = run(INSTALLED, bin("spectral"), "lint", "--ruleset", LINTERS.resolve("spectral.yaml").toString(),
				"--format=json", "--fail-severity=hint", openapi.toString());
		List<String> spectralFindings = new ArrayList<>();
		if (spectral.output().startsWith("[")) {
			JSON.readTree(spectral.output().substring(0, spectral.output().lastIndexOf(']') + 1))
				.forEach(finding -> spectralFindings.add(finding.get("code").asString() + " at "
						+ finding.get("path").toString() + ": " + finding.get("message").asString()));
		}
		assertThat(spectralFindings).as("Spectral's findings").isEmpty();
		assertThat(spectral.exitCode()).as(spectral.toString()).isZero();
		assertThat(spectral.output()).as(spectral.toString()).startsWith("[]");
	}

	private void expectDescribed(String method, String path, String code, Response refusal) {
		assertThat(refusal.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refusal.code()).as(refusal.toString()).isEqualTo(code);
		JsonNode described = this.document.get("paths")
			.get(path)
			.get(method)
			.get("responses")
			.get(String.valueOf(refusal.status()));
		assertThat(codes(described)).as(method + " " + path + " " + refusal.status()).contains(code);
		// every member sent is one the schema names, of the type it names
		JsonNode schema = this.document.at("/components/schemas/Problem");
		for (JsonNode required : schema.get("required")) {
			assertThat(refusal.json().has(required.asString())).as(required + " in " + refusal).isTrue();
		}
		for (Map.Entry<String, JsonNode> member : refusal.json().properties()) {
			JsonNode property = schema.get("properties").get(member.getKey());
			assertThat(property).as(member.getKey() + " of " + refusal).isNotNull();
			assertThat(property.get("type").asString()).as(member.getKey() + " of " + refusal)
				.isEqualTo(jsonType(member.getValue()));
		}
	}

	private static String jsonType(JsonNode value) {
		if (value.isIntegralNumber()) {
			return "integer";
		}
		if (value.isString()) {
			return "string";
		}
		return value.isArray() ? "array" : "object";
	}

	private static List<String> codes(JsonNode response) {
		return response.at("/content/application~1problem+json/examples").propertyNames().stream().toList();
	}

	private void forEachOperation(BiConsumer<String, JsonNode> check) {
		for (Map.Entry<String, JsonNode> path : this.document.get("paths").properties()) {
			for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
				check.accept(operation.getKey().toUpperCase() + " " + path.getKey(), operation.getValue());
			}
		}
	}

	/**
	 * Installs the pinned linters with {@code npm ci} (from ~/.npm once cached), again
	 * only when the lock file changed.
	 */
	private static void installLinters() throws IOException, InterruptedException {
		Files.createDirectories(INSTALLED);
		byte[] lock = Files.readAllBytes(LINTERS.resolve("package-lock.json"));
		// npm ci may rewrite its own copy of the lock file: compare with the one
		// installed from
		Path installedFrom = INSTALLED.resolve("installed-from.json");
		if (Files.exists(installedFrom) && Arrays.equals(Files.readAllBytes(installedFrom), lock)
				&& Files.exists(bin("redocly")) && Files.exists(bin("spectral"))) {
			return;
		}
		Files.deleteIfExists(installedFrom);
		Files.copy(LINTERS.resolve("package.json"), INSTALLED.resolve("package.json"),
				StandardCopyOption.REPLACE_EXISTING);
		Files.write(INSTALLED.resolve("package-lock.json"), lock);
		Run install = run(INSTALLED, "npm", "ci", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund");
		assertThat(install.exitCode()).as(install.toString()).isZero();
		Files.write(installedFrom, lock);
	}

	private static Path bin(String name) {
		return INSTALLED.resolve("node_modules/.bin").resolve(name);
	}

	private static Run run(Path directory, Object... command) throws IOException, InterruptedException {
		List<String> line = Arrays.stream(command).map(String::valueOf).toList();
		Path out = Files.createTempFile(INSTALLED, "out", ".txt");
		Path err = Files.createTempFile(INSTALLED, "err", ".txt");
		ProcessBuilder builder = new ProcessBuilder(line).directory(directory.toFile())
			.redirectOutput(out.toFile())
			.redirectError(err.toFile());
		builder.environment().put("REDOCLY_TELEMETRY", "off");
		builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
		builder.environment().put("NO_COLOR", "1");
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot run " + line.get(0) + ": the OpenAPI linters need Node.js 20.19 or newer "
					+ "and npm on the PATH (e.g. apt-get install nodejs npm)", ex);
		}
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("finished: " + line).isTrue();
		Run run = new Run(line, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
				Files.readString(err, StandardCharsets.UTF_8));
		Files.delete(out);
		Files.delete(err);
		return run;
	}

	record Run(List<String> command, int exitCode, String output, String errors) {

		@Override
		public String toString() {
			return String.join(" ", this.command) + " exited " + this.exitCode + "\n" + this.output + "\n"
					+ this.errors;
		}

	}

}
