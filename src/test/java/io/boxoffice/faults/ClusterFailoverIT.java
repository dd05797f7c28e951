package io.boxoffice.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology of {@code deploy/local/cluster.sh} (two PostgreSQL servers under Patroni
 * in synchronous mode, HAProxy to the leader, two instances behind nginx) in a flash sale
 * through the load balancer, failed from outside: {@code kill -9} of the PostgreSQL
 * leader's postmaster, later of one instance. Every client sends an Idempotency-Key and
 * retries a 503 or a lost connection with it until it gets an answer. Then: every booking
 * answered 201 is on the new leader (none lost), every key booked once (none duplicated),
 * the counters equal the rows. The seconds without a successful booking around each fault
 * are reported (console and {@code target/cluster-failover.md}), not asserted. Runs with
 * {@code ./mvnw verify -Pcluster}; needs root (or the packages installed) and the ports
 * of the script free.
 */
class ClusterFailoverIT {

	private static final Path SCRIPT = Path.of("deploy", "local", "cluster.sh");

	private static final Path STATE = Path.of(System.getProperty("boxoffice.cluster.dir", "/tmp/boxoffice-cluster"));

	private static final int LOAD_BALANCER = 18090;

	private static final int[] INSTANCES = { 18091, 18092 };

	private static final String[] NODES = { "pg1", "pg2" };

	private static final int[] POSTGRES = { 25431, 25432 };

	private static final int[] PATRONI = { 28008, 28009 };

	private static final int CLIENTS = 16;

	private static final int SEATS = 2000;

	/** Successful bookings before the first fault and after each. */
	private static final int BOOKINGS_PER_PHASE = 150;

	private static final Duration RETRY_AFTER = Duration.ofMillis(200);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	@Test
	void losesNoAcknowledgedBookingAndBooksNoKeyTwiceWhenTheLeaderAndAnInstanceDie() throws Exception {
		cluster("down");
		try {
			cluster("up");
			sale();
			forwardedAddressesComeOnlyFromTheProxy();
		}
		finally {
			keepLogs();
			cluster("down");
		}
	}

	private void sale() throws Exception {
		Api api = new Api(LOAD_BALANCER);
		String eventId = api.event(api.organizer(),
				Map.of("name", "Flash sale", "startsAt", "2030-01-01T19:00:00Z", "categories",
						List.of(Map.of("code", "GA", "name", "Standing", "price", "25.00", "currency", "EUR",
								"capacity", 1_000_000),
								Map.of("code", "STALLS", "name", "Stalls", "price", "60.00", "currency", "EUR", "seats",
										List.of(Map.of("row", "A", "from", 1, "to", SEATS / 2),
												Map.of("row", "B", "from", 1, "to", SEATS / 2))))));
		List<String> customers = new ArrayList<>();
		for (int c = 0; c < CLIENTS; c++) {
			customers.add(api.customer());
		}

		Map<String, Response> finalAnswers = new ConcurrentHashMap<>();
		Map<String, Integer> seen = new ConcurrentHashMap<>();
		ConcurrentLinkedQueue<Response> refusals = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<Long> bookedAt = new ConcurrentLinkedQueue<>();
		AtomicInteger booked = new AtomicInteger();
		AtomicBoolean stop = new AtomicBoolean();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		List<Future<?>> running = new ArrayList<>();
		for (int c = 0; c < CLIENTS; c++) {
			int client = c;
			running.add(clients.submit(() -> {
				for (int n = 0; !stop.get(); n++) {
					String key = "cluster-" + client + "-" + n;
					// a client gives up on a key only with an answer that decides it
					while (true) {
						Response response;
						try {
							response = book(eventId, customers.get(client), key, n);
						}
						catch (IOException lost) {
							seen.merge("connection error", 1, Integer::sum);
							Thread.sleep(RETRY_AFTER.toMillis());
							continue;
						}
						seen.merge(response.status() + ((response.status() == 201) ? "" : " " + response.code()), 1,
								Integer::sum);
						if (response.status() == 503) {
							refusals.add(response);
							Thread.sleep(RETRY_AFTER.toMillis());
							continue;
						}
						finalAnswers.put(key, response);
						if (response.status() == 201) {
							bookedAt.add(System.nanoTime());
							booked.incrementAndGet();
						}
						break;
					}
				}
				return null;
			}));
		}

		awaitCondition(() -> booked.get() >= BOOKINGS_PER_PHASE, "bookings before the faults");
		int leader = leader();
		long databaseKilledAt = System.nanoTime();
		kill(postmaster(leader));
		int bookedAtDatabaseKill = booked.get();
		awaitCondition(() -> booked.get() >= bookedAtDatabaseKill + BOOKINGS_PER_PHASE, "bookings after failover");
		int newLeader = leader();
		assertThat(newLeader).isNotEqualTo(leader);

		long instanceKilledAt = System.nanoTime();
		kill(Long.parseLong(Files.readString(STATE.resolve("boxoffice-1").resolve("boxoffice.pid")).trim()));
		int bookedAtInstanceKill = booked.get();
		awaitCondition(() -> booked.get() >= bookedAtInstanceKill + BOOKINGS_PER_PHASE,
				"bookings after the instance's loss");
		stop.set(true);
		for (Future<?> client : running) {
			client.get(300, TimeUnit.SECONDS);
		}
		clients.shutdown();

		// every key ends booked (more was on sale than bought), and every refusal on the
		// way was the service's 503 with Retry-After: nothing booked, or
		// (OUTCOME_UNKNOWN)
		// a commit whose fate the lost leader took with it, which the retry settles
		assertThat(finalAnswers.values()).extracting(Response::status).containsOnly(201);
		assertThat(refusals).allSatisfy(refusal -> {
			assertThat(refusal.header("Retry-After")).isNotNull();
			assertThat(refusal.code()).isIn("UNAVAILABLE", "OVERLOADED", "OUTCOME_UNKNOWN");
		});

		// 0 lost, 0 duplicated: the new leader holds exactly the bookings answered 201,
		// one per key
		Map<String, JsonNode> answered = new HashMap<>();
		finalAnswers.forEach((key, response) -> answered.put(response.json().get("id").asString(), response.json()));
		assertThat(answered).hasSameSizeAs(finalAnswers);
		Map<String, Integer> rows = bookingsOnTheLeader(newLeader, eventId);
		assertThat(rows.keySet()).isEqualTo(answered.keySet());
		answered.forEach((id, booking) -> assertThat(rows.get(id))
			.isEqualTo(booking.get("items").get(0).get("quantity").asInt()));
		int tickets = sum(answered, "GA");
		int seats = sum(answered, "STALLS");
		assertThat(api.counts(eventId, "GA")).isEqualTo(new Api.Counts(1_000_000, 1_000_000 - tickets, 0, tickets));
		assertThat(api.counts(eventId, "STALLS")).isEqualTo(new Api.Counts(SEATS, SEATS - seats, 0, seats));

		// the counters equal the rows (operators only: asked on an instance's own port)
		Api survivor = new Api(INSTANCES[1]);
		JsonNode consistency = survivor.get("/actuator/consistency/" + eventId, null).expectStatus(200).json();
		assertThat(consistency.get("consistent").asBoolean()).as(consistency.toString()).isTrue();
		assertThat(survivor.get("/actuator/consistency", null).expectStatus(200).json().get("consistent").asBoolean())
			.isTrue();

		List<Long> times = bookedAt.stream().sorted().toList();
		double databaseGap = longestGap(times, databaseKilledAt, instanceKilledAt);
		double instanceGap = longestGap(times, instanceKilledAt, Long.MAX_VALUE);
		String report = String.format("""
				# Cluster failover

				| | |
				|---|---|
				| bookings (keys), each booked once | %d |
				| of them answered after a retry as a replay (committed, answer lost) | %d |
				| tickets / seats sold | %d / %d |
				| PostgreSQL leader killed (kill -9 of the postmaster) | %s, new leader %s |
				| longest time without a successful booking, database | %.2f s |
				| longest time without a successful booking, instance | %.2f s |
				| answers clients saw | %s |
				""", answered.size(),
				finalAnswers.values().stream().filter(r -> "true".equals(r.header("Idempotent-Replayed"))).count(),
				tickets, seats, NODES[leader], NODES[newLeader], databaseGap, instanceGap, new TreeMap<>(seen));
		System.out.println(report);
		Files.writeString(Path.of("target", "cluster-failover.md"), report);
	}

	/**
	 * Behind nginx every request comes from the proxy: the instances must take the
	 * client's address from X-Forwarded-For only when the proxy sent it. A client on
	 * another address forging {@code X-Forwarded-For: 127.0.0.1} gets no operator
	 * endpoint, and its failed logins do not throttle another client's.
	 */
	private void forwardedAddressesComeOnlyFromTheProxy() throws IOException {
		Map<String, String> forged = Map.of("X-Forwarded-For", "127.0.0.1");
		assertThat(status("127.0.0.3", "GET", "/actuator/consistency", forged, null)).isIn(401, 403);
		// an operator on the host still reaches them through the proxy
		assertThat(status("127.0.0.1", "GET", "/actuator/consistency", Map.of(), null)).isEqualTo(200);
		assertThat(status("127.0.0.1", "GET", "/actuator/prometheus", Map.of(), null)).isEqualTo(200);

		Api api = new Api(LOAD_BALANCER);
		String email = "throttle-" + UUID.randomUUID() + "@example.org";
		api.post("/api/v1/accounts", null, Map.of("email", email, "password", "password-123", "role", "CUSTOMER"))
			.expectStatus(201);
		String login = Api.json(Map.of("email", email, "password", "password-123"));
		// one client guesses until both instances refuse its address
		int throttledInARow = 0;
		for (int attempt = 0; attempt < 200 && throttledInARow < INSTANCES.length; attempt++) {
			String guess = Api.json(Map.of("email", "guess-" + attempt + "@example.org", "password", "wrong-123"));
			int status = status("127.0.0.3", "POST", "/api/v1/auth/token", forged, guess);
			throttledInARow = (status == 429) ? throttledInARow + 1 : 0;
		}
		assertThat(throttledInARow).isEqualTo(INSTANCES.length);
		assertThat(status("127.0.0.3", "POST", "/api/v1/auth/token", forged, login)).isEqualTo(429);
		assertThat(status("127.0.0.4", "POST", "/api/v1/auth/token", Map.of(), login)).isEqualTo(200);

		// metrics are for operators too
		assertThat(status("127.0.0.3", "GET", "/actuator/prometheus", forged, null)).isIn(401, 403);
	}

	private Response book(String eventId, String token, String key, int n) throws IOException, InterruptedException {
		Map<String, Object> items = (n % 3 == 2) ? Api.items("STALLS", 1) : Api.items("GA", 1 + (n % 2));
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + LOAD_BALANCER + "/api/v1/events/" + eventId + "/bookings"))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString(Api.json(items)))
			.build(), HttpResponse.BodyHandlers.ofString());
		return new Response(response.statusCode(), response.headers().map(), response.body());
	}

	/**
	 * One request to the load balancer from the given local address (any of 127.0.0.0/8
	 * on Linux), as a client elsewhere would send it; returns the status.
	 */
	private static int status(String from, String method, String path, Map<String, String> headers, String body)
			throws IOException {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
			socket.connect(new InetSocketAddress("127.0.0.1", LOAD_BALANCER), 2000);
			socket.setSoTimeout(30_000);
			byte[] content = (body == null) ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
			StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n")
				.append("Host: 127.0.0.1:" + LOAD_BALANCER + "\r\nConnection: close\r\n");
			headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
			if (body != null) {
				request.append("Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n");
			}
			request.append("\r\n");
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
			out.write(content);
			out.flush();
			InputStream in = socket.getInputStream();
			String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
			in.readAllBytes();
			return Integer.parseInt(statusLine.substring(9, 12));
		}
	}

	/** Booking id to tickets, read on the leader itself (not through HAProxy). */
	private static Map<String, Integer> bookingsOnTheLeader(int node, String eventId) throws Exception {
		String password = Files.readString(STATE.resolve("secrets").resolve("boxoffice")).trim();
		Map<String, Integer> rows = new HashMap<>();
		try (Connection connection = DriverManager
			.getConnection("jdbc:postgresql://127.0.0.1:" + POSTGRES[node] + "/boxoffice", "boxoffice", password);
				PreparedStatement query = connection.prepareStatement("""
						SELECT b.id::text, b.quantity, pg_is_in_recovery() AS replica
						  FROM booking b WHERE b.event_id = ?
						""")) {
			query.setObject(1, UUID.fromString(eventId));
			try (ResultSet result = query.executeQuery()) {
				while (result.next()) {
					assertThat(result.getBoolean("replica")).isFalse();
					assertThat(rows.put(result.getString(1), result.getInt(2))).isNull();
				}
			}
		}
		return rows;
	}

	private static int sum(Map<String, JsonNode> bookings, String category) {
		return bookings.values()
			.stream()
			.map(booking -> booking.get("items").get(0))
			.filter(item -> item.get("category").asString().equals(category))
			.mapToInt(item -> item.get("quantity").asInt())
			.sum();
	}

	/**
	 * The longest time between two successful bookings from the last one before the fault
	 * until the next fault (or the end), in seconds.
	 */
	private static double longestGap(List<Long> times, long fault, long until) {
		long previous = times.stream().filter(t -> t < fault).reduce((a, b) -> b).orElse(fault);
		long longest = 0;
		for (long t : times) {
			if (t >= fault && t < until) {
				longest = Math.max(longest, t - previous);
				previous = t;
			}
		}
		return longest / 1e9;
	}

	/** The node whose Patroni says it is the primary. */
	private int leader() throws InterruptedException {
		for (int attempt = 0; attempt < 300; attempt++) {
			for (int node = 0; node < NODES.length; node++) {
				try {
					HttpResponse<Void> primary = this.http
						.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PATRONI[node] + "/primary"))
							.timeout(Duration.ofSeconds(2))
							.build(), HttpResponse.BodyHandlers.discarding());
					if (primary.statusCode() == 200) {
						return node;
					}
				}
				catch (IOException down) {
					// that node's Patroni is not answering
				}
			}
			Thread.sleep(200);
		}
		throw new AssertionError("No PostgreSQL leader");
	}

	private static long postmaster(int node) throws IOException {
		Path pidFile = STATE.resolve(NODES[node]).resolve("data").resolve("postmaster.pid");
		return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
	}

	/** SIGKILL from outside, as a crashed server would go. */
	private static void kill(long pid) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start();
		assertThat(kill.waitFor()).isZero();
	}

	private static void cluster(String command) throws IOException, InterruptedException {
		Path log = Path.of("target", "cluster-script.log");
		ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().put("CLUSTER_DIR", STATE.toString());
		builder.environment()
			.put("BOXOFFICE_JAR", System.getProperty("boxoffice.jar", Path.of("target", "boxoffice.jar").toString()));
		Process process = builder.start();
		if (!process.waitFor(15, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new AssertionError("cluster.sh " + command + " hung; see " + log);
		}
		assertThat(process.exitValue()).as("cluster.sh " + command + "; see " + log).isZero();
	}

	/** The components' logs, kept in target/cluster-logs before down deletes them. */
	private static void keepLogs() throws IOException {
		Path logs = Files.createDirectories(Path.of("target", "cluster-logs"));
		if (!Files.isDirectory(STATE)) {
			return;
		}
		try (Stream<Path> files = Files.walk(STATE)) {
			for (Path file : files
				.filter(f -> f.toString().endsWith(".log") && !f.startsWith(STATE.resolve("pg1/data"))
						&& !f.startsWith(STATE.resolve("pg2/data")))
				.toList()) {
				Files.copy(file, logs.resolve(STATE.relativize(file).toString().replace('/', '-')),
						StandardCopyOption.REPLACE_EXISTING);
			}
		}
	}

	/** Waits for what the test needs next; the bound only guards against a hang. */
	private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Gave up waiting for " + what);
			}
			Thread.sleep(50);
		}
	}

}
