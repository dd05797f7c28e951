import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training run of the JDK's ahead-of-time cache (bin/aot-cache): starts the service with the
 * command it is given, on a free port and a throw-away embedded database, sells tickets to it
 * over HTTP for a while as a flash sale does, and stops it with SIGTERM. The JVM writes the
 * cache when it exits, with the classes it loaded and the profiles of the methods the sale ran,
 * so that the service starts with them and compiles its hot path early.
 * <p>
 * Usage: {@code java bin/AotTraining.java SECONDS java [JVM options] -jar app.jar}
 */
public class AotTraining {

	private static final int BUYERS = 64;

	/** The seated hall of the training: 100 rows of 200 seats, as in the bench's sale paths. */
	private static final int HALL_ROWS = 100;

	private static final int HALL_SEATS = 200;

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	public static void main(String[] args) throws Exception {
		int seconds = Integer.parseInt(args[0]);
		int port = freePort();
		Path data = Files.createTempDirectory("boxoffice-aot-training");
		List<String> command = new ArrayList<>(List.of(args).subList(1, args.length));
		// its own embedded database, whatever the environment configures
		command.addAll(List.of("--server.port=" + port, "--spring.datasource.url=embedded",
				"--boxoffice.embedded-database.data-dir=" + data,
				"--logging.level.root=WARN"));
		Process service = new ProcessBuilder(command).inheritIO().start();
		try {
			awaitHealthy(service, port);
			sell(port, Duration.ofSeconds(seconds));
		}
		finally {
			// a clean exit, at which the JVM writes the cache (that takes a while)
			service.destroy();
			if (!service.waitFor(10, TimeUnit.MINUTES)) {
				service.destroyForcibly();
			}
			try (Stream<Path> files = Files.walk(data)) {
				files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
			}
		}
		if (service.exitValue() != 0 && service.exitValue() != 143) {
			throw new IllegalStateException("The training run exited with " + service.exitValue());
		}
	}

	/**
	 * A sale of every kind by {@value #BUYERS} buyers, each sending its next request when
	 * answered: mostly one-ticket bookings (the flash sale), and among them holds then
	 * confirmations, named seats, best-available seats and availability reads, so that the
	 * cache holds the classes and profiles of every sale path and not only the hottest.
	 */
	private static void sell(int port, Duration duration) throws Exception {
		String base = "http://127.0.0.1:" + port;
		String organizer = token(base, "ORGANIZER");
		String customer = token(base, "CUSTOMER");
		String event = id(post(base + "/api/v1/events", organizer, """
				{"name": "Training sale", "startsAt": "2030-01-01T19:00:00Z",
				 "categories": [{"code": "GA", "name": "Standing", "price": "25.00", "currency": "EUR",
				                 "capacity": 10000000}]}
				"""));
		StringBuilder rows = new StringBuilder();
		for (int row = 1; row <= HALL_ROWS; row++) {
			rows.append(row > 1 ? "," : "")
				.append("{\"row\":\"R").append(row).append("\",\"from\":1,\"to\":").append(HALL_SEATS).append('}');
		}
		String hall = id(post(base + "/api/v1/events", organizer, """
				{"name": "Training hall", "startsAt": "2030-01-01T19:00:00Z",
				 "categories": [{"code": "SEATS", "name": "Stalls", "price": "60.00", "currency": "EUR", "seats": [%s]}]}
				""".formatted(rows)));
		LongAdder booked = new LongAdder();
		LongAdder other = new LongAdder();
		long deadline = System.nanoTime() + duration.toNanos();
		try (ExecutorService buyers = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < BUYERS; i++) {
				buyers.submit(() -> {
					for (int n = 0; System.nanoTime() < deadline; n++) {
						int status = switch (n % 16) {
							case 15 -> send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events/" + event + "/availability"))
								.GET()
								.build()).statusCode();
							case 3, 11 -> holdThenConfirm(base, customer, event);
							case 7 -> book(base, customer, hall, namedSeats());
							case 13 -> book(base, customer, hall, "{\"items\":[{\"category\":\"SEATS\",\"quantity\":2}]}");
							default -> book(base, customer, event, "{\"items\":[{\"category\":\"GA\",\"quantity\":1}]}");
						};
						(status == 201 ? booked : other).increment();
					}
					return null;
				});
			}
		}
		System.out.printf("Training: %d sales, %d other answers in %d s%n", booked.sum(), other.sum(),
				duration.toSeconds());
	}

	private static int book(String base, String customer, String event, String body) throws Exception {
		return send(request(base + "/api/v1/events/" + event + "/bookings", customer)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build()).statusCode();
	}

	/** A one-ticket hold, then its confirmation: the status of the confirmation, or of a refused hold. */
	private static int holdThenConfirm(String base, String customer, String event) throws Exception {
		HttpResponse<String> hold = send(request(base + "/api/v1/events/" + event + "/holds", customer)
			.POST(HttpRequest.BodyPublishers.ofString("{\"items\":[{\"category\":\"GA\",\"quantity\":1}]}"))
			.build());
		if (hold.statusCode() != 201) {
			return hold.statusCode();
		}
		return send(request(base + "/api/v1/holds/" + id(hold.body()) + "/confirm", customer)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build()).statusCode();
	}

	/** 1 to 4 adjacent seats at a random place of the hall (taken ones are refused, as in a sale). */
	private static String namedSeats() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		int count = 1 + random.nextInt(4);
		int row = 1 + random.nextInt(HALL_ROWS);
		int from = 1 + random.nextInt(HALL_SEATS - count + 1);
		StringBuilder seats = new StringBuilder();
		for (int seat = from; seat < from + count; seat++) {
			seats.append(seat > from ? "," : "").append("\"R").append(row).append('-').append(seat).append('"');
		}
		return "{\"items\":[{\"seats\":[" + seats + "]}]}";
	}

	private static String token(String base, String role) throws Exception {
		String email = role.toLowerCase() + "-" + UUID.randomUUID() + "@training.example";
		String credentials = "{\"email\":\"" + email + "\",\"password\":\"training-password\"";
		post(base + "/api/v1/accounts", null, credentials + ",\"role\":\"" + role + "\"}");
		Matcher token = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"")
			.matcher(post(base + "/api/v1/auth/token", null, credentials + "}"));
		if (!token.find()) {
			throw new IllegalStateException("No access token");
		}
		return token.group(1);
	}

	private static String id(String body) {
		Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
		if (!id.find()) {
			throw new IllegalStateException("No id in " + body);
		}
		return id.group(1);
	}

	private static String post(String url, String token, String body) throws Exception {
		HttpResponse<String> response = send(request(url, token).POST(HttpRequest.BodyPublishers.ofString(body)).build());
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	private static HttpRequest.Builder request(String url, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json");
		return (token == null) ? request : request.header("Authorization", "Bearer " + token);
	}

	private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static void awaitHealthy(Process service, int port) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
		while (System.nanoTime() < deadline) {
			if (!service.isAlive()) {
				throw new IllegalStateException("The service exited with " + service.exitValue());
			}
			try {
				if (send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
					.timeout(Duration.ofSeconds(2))
					.build()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				// still starting
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("The service did not become healthy");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
