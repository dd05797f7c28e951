package io.boxoffice.faults;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of the service in the middle of a flash sale where every client sends
 * an Idempotency-Key. After a restart, every booking a client got a 201 for exists
 * unchanged, every request whose answer was lost is retried with its key and books at
 * most once, and the counters equal the rows. Heavy (packages and runs the real jar), so
 * it runs with {@code ./mvnw verify -Pfaults}, not in the default build.
 */
class CrashRecoveryIT {

	private static final int CUSTOMERS = 12;

	private static final int REQUESTS_PER_CUSTOMER = 40;

	private static final int CAPACITY = 300;

	/** Seats of the reserved category, booked best available one at a time. */
	private static final int SEATS = 100;

	private static final int KILL_AFTER_BOOKINGS = 150;

	@Test
	void keepsEveryAcknowledgedBookingAndBooksNoKeyTwiceAcrossAKill() throws Exception {
		String url = TestDatabase.jdbcUrl();
		Path log = Path.of("target", "crash-recovery-service.log");
		ServiceProcess service = new ServiceProcess(ServiceProcess.jar(), ServiceProcess.freePort(), log, List
			.of("spring.datasource.url=" + url, "spring.datasource.username=postgres", "spring.datasource.password="));
		try (service) {
			service.start();
			Api api = new Api(service.port());
			String eventId = api.event(api.organizer(),
					Map.of("name", "Flash sale", "startsAt", "2030-01-01T19:00:00Z", "maxTicketsPerCustomer", 60,
							"categories",
							List.of(Map.of("code", "GA", "name", "Standing", "price", "25.00", "currency", "EUR",
									"capacity", CAPACITY),
									Map.of("code", "STALLS", "name", "Stalls", "price", "60.00", "currency", "EUR",
											"seats", List.of(Map.of("row", "A", "from", 1, "to", SEATS / 2),
													Map.of("row", "B", "from", 1, "to", SEATS / 2))))));
			List<String> customers = new ArrayList<>();
			for (int c = 0; c < CUSTOMERS; c++) {
				customers.add(api.customer());
			}

			// phase 1: the sale, killed with SIGKILL once 150 bookings are acknowledged
			Map<String, Response> firstAnswers = new ConcurrentHashMap<>();
			Map<Integer, Integer> resumeAt = new ConcurrentHashMap<>();
			AtomicInteger booked = new AtomicInteger();
			ExecutorService clients = Executors.newFixedThreadPool(CUSTOMERS);
			List<Future<?>> running = new ArrayList<>();
			for (int c = 0; c < CUSTOMERS; c++) {
				int customer = c;
				running.add(clients.submit(() -> {
					for (int n = 0; n < REQUESTS_PER_CUSTOMER; n++) {
						try {
							Response response = book(api, eventId, customers.get(customer), customer, n);
							firstAnswers.put(key(customer, n), response);
							if (response.status() == 201) {
								booked.incrementAndGet();
							}
						}
						catch (IllegalStateException lost) {
							// the connection died with the instance: the answer is lost
							resumeAt.put(customer, n);
							return null;
						}
					}
					resumeAt.put(customer, REQUESTS_PER_CUSTOMER);
					return null;
				}));
			}
			while (booked.get() < KILL_AFTER_BOOKINGS) {
				Thread.sleep(5);
			}
			service.kill();
			for (Future<?> client : running) {
				client.get(120, TimeUnit.SECONDS);
			}
			int lost = (int) resumeAt.values().stream().filter(n -> n < REQUESTS_PER_CUSTOMER).count();

			// phase 2: restart; each client retries its lost request with the same key,
			// then goes on with the rest of its requests
			service.start();
			Map<String, Response> finalAnswers = new ConcurrentHashMap<>(firstAnswers);
			Set<String> replayedAfterCrash = ConcurrentHashMap.newKeySet();
			running.clear();
			for (int c = 0; c < CUSTOMERS; c++) {
				int customer = c;
				running.add(clients.submit(() -> {
					int first = resumeAt.get(customer);
					for (int n = first; n < REQUESTS_PER_CUSTOMER; n++) {
						Response response = book(api, eventId, customers.get(customer), customer, n);
						finalAnswers.put(key(customer, n), response);
						if (n == first && "true".equals(response.header("Idempotent-Replayed"))) {
							replayedAfterCrash.add(key(customer, n));
						}
					}
					return null;
				}));
			}
			for (Future<?> client : running) {
				client.get(300, TimeUnit.SECONDS);
			}
			clients.shutdown();

			// every answer is a decision: booked, sold out, or over the customer's limit
			assertThat(finalAnswers).hasSize(CUSTOMERS * REQUESTS_PER_CUSTOMER);
			assertThat(finalAnswers.values()).extracting(Response::status).isSubsetOf(201, 409, 422);

			// every 201 given before the crash still exists, unchanged, and replays as is
			List<Response> acknowledged = firstAnswers.values().stream().filter(r -> r.status() == 201).toList();
			assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(KILL_AFTER_BOOKINGS);
			firstAnswers.forEach((key, first) -> {
				if (first.status() != 201) {
					return;
				}
				int customer = Integer.parseInt(key.split("-")[1]);
				String bookingId = first.json().get("id").asString();
				Response now = api.get("/api/v1/bookings/" + bookingId, customers.get(customer)).expectStatus(200);
				assertThat(now.json()).isEqualTo(first.json());
				Response replay = book(api, eventId, customers.get(customer), customer,
						Integer.parseInt(key.split("-")[2]));
				assertThat(replay.status()).isEqualTo(201);
				assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
				assertThat(replay.json()).isEqualTo(first.json());
			});

			// no key booked twice: the rows are exactly the bookings answered with a 201
			List<String> answeredIds = finalAnswers.values()
				.stream()
				.filter(r -> r.status() == 201)
				.map(r -> r.json().get("id").asString())
				.toList();
			assertThat(answeredIds).doesNotHaveDuplicates();
			JdbcClient jdbc = JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), url));
			List<String> rows = jdbc.sql("SELECT id::text FROM booking WHERE event_id = :id")
				.param("id", UUID.fromString(eventId))
				.query(String.class)
				.list();
			assertThat(new HashSet<>(rows)).isEqualTo(new HashSet<>(answeredIds));
			assertThat(rows).hasSameSizeAs(answeredIds);
			int ticketsAnswered = answered(finalAnswers, "GA");
			int seatsAnswered = answered(finalAnswers, "STALLS");
			Api.Counts counts = api.counts(eventId, "GA");
			assertThat(counts).isEqualTo(new Api.Counts(CAPACITY, CAPACITY - ticketsAnswered, 0, ticketsAnswered));
			// more was asked than there is: only the last ticket can be left
			assertThat(counts.available()).isLessThanOrEqualTo(1);
			assertThat(api.counts(eventId, "STALLS"))
				.isEqualTo(new Api.Counts(SEATS, SEATS - seatsAnswered, 0, seatsAnswered));
			// no seat sold twice, and every seat answered is claimed by its booking
			assertThat(jdbc.sql("""
					SELECT count(*), count(DISTINCT seat_id) FROM seat_claim
					 WHERE event_id = :id AND active AND booking_id IS NOT NULL
					""")
				.param("id", UUID.fromString(eventId))
				.query((rs, i) -> List.of(rs.getInt(1), rs.getInt(2)))
				.single()).containsExactly(seatsAnswered, seatsAnswered);

			// the counters equal the rows
			JsonNode consistency = api.get("/actuator/consistency/" + eventId, null).expectStatus(200).json();
			assertThat(consistency.get("consistent").asBoolean()).as(consistency.toString()).isTrue();
			assertThat(api.get("/actuator/consistency", null).json().get("consistent").asBoolean()).isTrue();

			System.out.printf(
					"Crash recovery: %d bookings acknowledged before kill -9, %d answers lost, %d of them had committed"
							+ " (replayed on retry), %d bookings in the end, %d tickets sold of %d, %d seats of %d%n",
					acknowledged.size(), lost, replayedAfterCrash.size(), rows.size(), ticketsAnswered, CAPACITY,
					seatsAnswered, SEATS);
		}
	}

	private static int answered(Map<String, Response> answers, String category) {
		return answers.values()
			.stream()
			.filter(r -> r.status() == 201)
			.map(r -> r.json().get("items").get(0))
			.filter(item -> item.get("category").asString().equals(category))
			.mapToInt(item -> item.get("quantity").asInt())
			.sum();
	}

	/**
	 * Every third request books a seat (best available), the others one or two standing
	 * tickets each.
	 */
	private static Map<String, Object> request(int n) {
		return (n % 3 == 2) ? Api.items("STALLS", 1) : Api.items("GA", 1 + (n % 2));
	}

	private static String key(int customer, int n) {
		return "crash-" + customer + "-" + n;
	}

	private static Response book(Api api, String eventId, String token, int customer, int n) {
		return api.send(api.request("/api/v1/events/" + eventId + "/bookings", token)
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key(customer, n))
			.POST(HttpRequest.BodyPublishers.ofString(Api.json(request(n))))
			.build());
	}

}
