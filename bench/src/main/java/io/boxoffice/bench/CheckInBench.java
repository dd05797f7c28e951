package io.boxoffice.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;

/**
 * Check-in at a stadium's gates: an arena of 50,000 tickets (sold through the service, 50 a
 * booking, so issued as customers get them) scanned by 64 scanners at once, each ticket once, on
 * 1 and 2 instances; then the same arena's tickets scanned again by two gates at once each (every
 * scan a race for one ticket), to show that a race admits nobody twice. Scans per second, latency,
 * and in the database: tickets checked in, none twice.
 */
final class CheckInBench {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int ARENA = 50_000;

	private static final int WARMUP_ARENA = 10_000;

	private static final int SCANNERS = 64;

	private static final int GATES = 8;

	private static final int PER_BOOKING = 50;

	private static final String START = "<!-- check-in -->";

	private static final String END = "<!-- /check-in -->";

	private final Settings settings;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	CheckInBench(Settings settings) {
		this.settings = settings;
	}

	/**
	 * @param instances how many service instances scan
	 * @param race whether each ticket is scanned by two gates at once, else once
	 * @param scans all scans answered (ADMITTED or 409)
	 * @param checkedIn tickets checked in, counted in the database afterwards
	 * @param admitted scans answered ADMITTED
	 */
	record Row(int instances, boolean race, long scans, double scansPerSecond, double p50, double p99,
			long admitted, long refused, long checkedIn, long retried, long errors, double seedSeconds) {
	}

	List<Row> run(Path logs) throws Exception {
		List<Row> rows = new ArrayList<>();
		for (int instances : this.settings.instanceCounts()) {
			resetDatabase();
			try (Instances running = new Instances(this.settings, "batched", instances, this.settings.database(),
					logs, List.of("-jar", this.settings.serviceJar().toString()), "checkin-")) {
				List<Integer> ports = running.ports();
				String organizer = token(ports.get(0), "ORGANIZER");
				String customer = token(ports.get(0), "CUSTOMER");
				Arena warmup = arena(ports, organizer, customer, WARMUP_ARENA);
				scan(ports, organizer, warmup, false);
				Arena arena = arena(ports, organizer, customer, ARENA);
				Row once = row(instances, false, arena, scan(ports, organizer, arena, true));
				rows.add(once);
				print(once);
				Arena raced = arena(ports, organizer, customer, ARENA);
				Row race = row(instances, true, raced, scan(ports, organizer, raced, true, 2));
				rows.add(race);
				print(race);
			}
		}
		return rows;
	}

	private Row row(int instances, boolean race, Arena arena, Scanned scanned) throws Exception {
		return new Row(instances, race, scanned.admitted() + scanned.refused(),
				(scanned.admitted() + scanned.refused()) / scanned.seconds(),
				scanned.latency().getValueAtPercentile(50) / 1e6, scanned.latency().getValueAtPercentile(99) / 1e6,
				scanned.admitted(), scanned.refused(), checkedIn(arena.eventId()), scanned.retried(), scanned.errors(),
				arena.seedSeconds());
	}

	private static void print(Row row) {
		System.out.printf(
				"check-in %d instance(s) %-22s %6d scans %7.0f scans/s  p50 %6.1f ms  p99 %6.1f ms  admitted %d  409 %d  checked in %d  503 resent %d  errors %d  (seeded in %.1f s)%n",
				row.instances(), row.race() ? "two gates per ticket" : "each ticket once", row.scans(),
				row.scansPerSecond(), row.p50(), row.p99(), row.admitted(), row.refused(), row.checkedIn(),
				row.retried(), row.errors(), row.seedSeconds());
	}

	/** An event whose tickets are all sold, and their codes. */
	private record Arena(String eventId, List<String> codes, double seedSeconds) {
	}

	/**
	 * Sells an arena through the service: bookings of 50 tickets, 64 at a time, so its tickets are
	 * issued as a sale issues them; the codes are then read from the database.
	 */
	private Arena arena(List<Integer> ports, String organizer, String customer, int tickets) throws Exception {
		long start = System.nanoTime();
		String eventId = event(ports.get(0), organizer, tickets);
		AtomicInteger next = new AtomicInteger();
		int bookings = tickets / PER_BOOKING;
		String body = "{\"items\":[{\"category\":\"GA\",\"quantity\":" + PER_BOOKING + "}]}";
		try (ExecutorService buyers = Executors.newFixedThreadPool(SCANNERS)) {
			List<CompletableFuture<Void>> done = new ArrayList<>();
			for (int b = 0; b < SCANNERS; b++) {
				done.add(CompletableFuture.runAsync(() -> {
					for (int i = next.getAndIncrement(); i < bookings; i = next.getAndIncrement()) {
						int port = ports.get(i % ports.size());
						HttpResponse<String> answer = send(port, "/api/v1/events/" + eventId + "/bookings", customer,
								body, null);
						if (answer.statusCode() != 201) {
							throw new IllegalStateException("Seeding the arena: " + answer.statusCode() + " "
									+ answer.body());
						}
					}
				}, buyers));
			}
			CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
		}
		List<String> codes = new ArrayList<>();
		try (Connection db = database();
				PreparedStatement query = db.prepareStatement("SELECT code FROM ticket WHERE event_id = ?")) {
			query.setObject(1, UUID.fromString(eventId));
			try (ResultSet rs = query.executeQuery()) {
				while (rs.next()) {
					codes.add(rs.getString(1));
				}
			}
		}
		if (codes.size() != tickets) {
			throw new IllegalStateException("The arena has " + codes.size() + " tickets, not " + tickets);
		}
		Collections.shuffle(codes, new Random(7));
		return new Arena(eventId, codes, (System.nanoTime() - start) / 1e9);
	}

	private record Scanned(long admitted, long refused, long errors, long retried, double seconds,
			Histogram latency) {
	}

	private Scanned scan(List<Integer> ports, String organizer, Arena arena, boolean measured) throws Exception {
		return scan(ports, organizer, arena, measured, 1);
	}

	/**
	 * 64 scanners, each at its gate (8 gates), take the arena's tickets in a shuffled order, each
	 * ticket {@code times} times in a row: with 2, two scanners at two gates scan one ticket at
	 * about the same moment. Scanners alternate between the instances.
	 */
	private Scanned scan(List<Integer> ports, String organizer, Arena arena, boolean measured, int times)
			throws Exception {
		Histogram latency = new ConcurrentHistogram(Duration.ofMinutes(1).toNanos(), 3);
		AtomicLong admitted = new AtomicLong();
		AtomicLong refused = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		AtomicLong retried = new AtomicLong();
		AtomicInteger next = new AtomicInteger();
		int total = arena.codes().size() * times;
		String path = "/api/v1/events/" + arena.eventId() + "/checkins";
		long start = System.nanoTime();
		try (ExecutorService scanners = Executors.newFixedThreadPool(SCANNERS)) {
			List<CompletableFuture<Void>> done = new ArrayList<>();
			for (int s = 0; s < SCANNERS; s++) {
				int scanner = s;
				int port = ports.get(scanner % ports.size());
				String gate = "Gate " + (scanner % GATES + 1);
				done.add(CompletableFuture.runAsync(() -> {
					for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
						String body = "{\"code\":\"" + arena.codes().get(i / times) + "\",\"gate\":\"" + gate + "\"}";
						long sent = System.nanoTime();
						String key = "scan-" + arena.eventId() + "-" + i;
						HttpResponse<String> answer = send(port, path, organizer, body, key);
						// a scanner resends a 503 (nothing was changed) with its key, as a real one would
						while (answer.statusCode() == 503) {
							retried.incrementAndGet();
							pause();
							answer = send(port, path, organizer, body, key);
						}
						latency.recordValue(Math.min(System.nanoTime() - sent, latency.getHighestTrackableValue()));
						switch (answer.statusCode()) {
							case 200 -> admitted.incrementAndGet();
							case 409 -> refused.incrementAndGet();
							default -> errors.incrementAndGet();
						}
					}
				}, scanners));
			}
			CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		if (measured && admitted.get() > arena.codes().size()) {
			throw new IllegalStateException("More scans admitted than there are tickets: " + admitted.get());
		}
		return new Scanned(admitted.get(), refused.get(), errors.get(), retried.get(), seconds, latency);
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private HttpResponse<String> send(int port, String path, String token, String body, String key) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (key != null) {
			request.header("Idempotency-Key", key);
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(path + " failed", ex);
		}
	}

	private long checkedIn(String eventId) throws Exception {
		try (Connection db = database();
				PreparedStatement query = db.prepareStatement(
						"SELECT count(*) FROM ticket WHERE event_id = ? AND checked_in_at IS NOT NULL")) {
			query.setObject(1, UUID.fromString(eventId));
			try (ResultSet rs = query.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	private Connection database() throws Exception {
		return DriverManager.getConnection(this.settings.jdbcUrl(this.settings.database()), this.settings.dbUser(), "");
	}

	private void resetDatabase() throws Exception {
		try (Connection admin = DriverManager.getConnection(this.settings.jdbcUrl("postgres"), this.settings.dbUser(),
				""); Statement statement = admin.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + this.settings.database() + " WITH (FORCE)");
			statement.execute("CREATE DATABASE " + this.settings.database());
		}
	}

	private String token(int port, String role) throws Exception {
		String email = role.toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID() + "@bench.example";
		expect(send(port, "/api/v1/accounts", null,
				"{\"email\":\"" + email + "\",\"password\":\"bench-password\",\"role\":\"" + role + "\"}", null));
		String body = expect(send(port, "/api/v1/auth/token", null,
				"{\"email\":\"" + email + "\",\"password\":\"bench-password\"}", null));
		return JSON.readTree(body).get("accessToken").asString();
	}

	private String event(int port, String organizer, int capacity) throws Exception {
		String body = expect(send(port, "/api/v1/events", organizer, """
				{"name": "Arena", "startsAt": "2030-01-01T19:00:00Z",
				 "categories": [{"code": "GA", "name": "Standing", "price": "25.00", "currency": "EUR", "capacity": %d}]}
				""".formatted(capacity), null));
		return JSON.readTree(body).get("id").asString();
	}

	private static String expect(HttpResponse<String> response) {
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": "
					+ response.body());
		}
		return response.body();
	}

	String report(List<Row> rows) {
		if (rows.isEmpty()) {
			return "";
		}
		StringBuilder out = new StringBuilder(START).append("\n\n");
		out.append("""
				Check-in: an arena of %,d tickets (sold through the service in bookings of %d, 64 at a time: \
				*seeded s*), scanned by %d scanners at %d gates through `POST /api/v1/events/{id}/checkins` \
				with an Idempotency-Key each, after a %,d-ticket warm-up arena. *each ticket once*: every \
				scan admits; *two gates per ticket*: each ticket is scanned twice in a row by two scanners, \
				so the two scans race and one must get 409. *checked in*: counted in the database afterwards. \
				*503 resent*: scans the service refused for want of a database connection within its 2 s \
				wait, which the scanner sent again with the same key after 100 ms (counted once in the \
				answers). Latency runs from sending a scan to reading its final answer.

				""".formatted(ARENA, PER_BOOKING, SCANNERS, GATES, WARMUP_ARENA));
		out.append("| instances | workload | answers | scans/s | p50 ms | p99 ms | admitted | 409 | checked in | 503 resent | errors | seeded s |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (Row row : rows) {
			out.append("| %d | %s | %d | %.0f | %.1f | %.1f | %d | %d | %d | %d | %d | %.1f |\n".formatted(
					row.instances(), row.race() ? "two gates per ticket" : "each ticket once", row.scans(),
					row.scansPerSecond(), row.p50(), row.p99(), row.admitted(), row.refused(), row.checkedIn(),
					row.retried(), row.errors(), row.seedSeconds()));
		}
		return out.append("\n").append(END).append("\n").toString();
	}

	/** Puts the section in place of the one {@code results} has, or after it. */
	static String replaceSection(String results, String section) {
		return Sections.replace(results, START, END, section);
	}

	/**
	 * Runs the section and writes it into the results that are there, in place of its earlier
	 * figures: after a full run, or alone ({@code --checkin=only}).
	 */
	static void runInto(Settings settings, String how) throws Exception {
		Path logs = Files.createTempDirectory("boxoffice-checkin-logs");
		System.out.printf("Check-in bench; service logs in %s%n", logs);
		CheckInBench bench = new CheckInBench(settings);
		String section = bench.report(bench.run(logs));
		String note = "Measured %s with `%s` on %d cores; service, PostgreSQL and scanners on the same machine."
			.formatted(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES), how,
					Runtime.getRuntime().availableProcessors());
		section = section.replace(START + "\n\n", START + "\n\n" + note + "\n\n");
		Path results = settings.output().resolve("results.md");
		String existing = Files.exists(results) ? Files.readString(results) : "";
		Files.writeString(results, replaceSection(existing, section));
		System.out.println();
		System.out.println(section);
	}

}
