package io.boxoffice.queue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.boxoffice.event.QueueSettings;
import io.boxoffice.queue.QueueRepository.Join;
import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import io.boxoffice.support.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Joins written in batches and turns that end with a booking, with the periodic admission
 * step out of the way (once an hour): the test runs the step itself when it needs the
 * line read, so that whatever else admits a buyer is the admission that follows a turn's
 * end. The streams' heartbeat is every second.
 */
@TestPropertySource(properties = { "boxoffice.queue.tick-interval=1h", "boxoffice.queue.stream-heartbeat=1s" })
class QueueBatchesTest extends IntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	Admissions admissions;

	@Autowired
	QueueStreams streams;

	@Autowired
	QueueRepository queue;

	@Autowired
	QueueService service;

	@Autowired
	TransactionTemplate tx;

	String organizer;

	@BeforeEach
	void setUp() {
		this.organizer = this.api.organizer();
	}

	@Test
	void theNextBuyerIsAdmittedAndToldOnItsStreamWhenATurnEndsWithoutWaitingForTheStep() throws Exception {
		String eventId = queuedEvent(1);
		String first = this.api.customer();
		String second = this.api.customer();
		String third = this.api.customer();
		for (String buyer : List.of(first, second, third)) {
			join(buyer, eventId).expectStatus(201);
		}
		this.admissions.step(UUID.fromString(eventId));
		assertThat(status(first, eventId)).isEqualTo("ADMITTED");

		try (BufferedReader lines = stream(second, eventId)) {
			assertThat(nextPlace(lines).get("position").asInt()).isEqualTo(1);

			book(first, eventId, 1).expectStatus(201);
			assertThat(status(first, eventId)).isEqualTo("DONE");
			JsonNode told = CompletableFuture.supplyAsync(() -> nextPlace(lines)).get(30, TimeUnit.SECONDS);
			assertThat(told.get("status").asString()).isEqualTo("ADMITTED");
			assertThat(told.get("passExpiresAt").isNull()).isFalse();
		}
		assertThat(status(second, eventId)).isEqualTo("ADMITTED");
		assertThat(status(third, eventId)).isEqualTo("WAITING");

		leave(second, eventId);
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(status(third, eventId)));
	}

	@Test
	void streamsEndWhenTheServiceStopsSoThatShutdownIsNotHeldUp() throws Exception {
		String eventId = queuedEvent(1);
		try (BufferedReader lines = waitingOnItsStream(eventId)) {
			this.streams.stop();
			try {
				String rest = CompletableFuture.supplyAsync(() -> readToEnd(lines)).get(30, TimeUnit.SECONDS);
				assertThat(rest).doesNotContain("data:");
			}
			finally {
				this.streams.start();
			}
		}
	}

	@Test
	void aBuyerJoiningManyTimesAtOnceGetsOnePlaceAndOneCreatedAnswer() {
		String eventId = queuedEvent(1);
		String buyer = this.api.customer();
		List<Response> answers = Race.run(16, i -> join(buyer, eventId));

		assertThat(answers.stream().filter(answer -> answer.status() == 201)).hasSize(1);
		assertThat(answers.stream().filter(answer -> answer.status() == 200)).hasSize(15);
		assertThat(answers.stream().map(answer -> answer.json().get("joinedAt").asString()).distinct()).hasSize(1);
		assertThat(this.jdbc.sql("SELECT count(*) FROM queue_place WHERE event_id = :id")
			.param("id", UUID.fromString(eventId))
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void buyersJoiningAtOnceAreToldThePositionsTheLineGivesThem() {
		String eventId = queuedEvent(1);
		String admitted = this.api.customer();
		join(admitted, eventId).expectStatus(201);
		// the line is read into memory: later joiners are counted from it
		this.admissions.step(UUID.fromString(eventId));
		assertThat(status(admitted, eventId)).isEqualTo("ADMITTED");

		List<String> buyers = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			buyers.add(this.api.customer());
		}
		List<Response> joined = Race.run(buyers.size(), i -> join(buyers.get(i), eventId));
		this.admissions.step(UUID.fromString(eventId));

		List<Integer> told = new ArrayList<>();
		for (int i = 0; i < buyers.size(); i++) {
			JsonNode place = joined.get(i).expectStatus(201).json();
			assertThat(place.get("status").asString()).isEqualTo("WAITING");
			assertThat(me(buyers.get(i), eventId).get("position").asInt()).as("buyer %d", i)
				.isEqualTo(place.get("position").asInt());
			told.add(place.get("position").asInt());
		}
		assertThat(told).containsExactlyInAnyOrderElementsOf(
				java.util.stream.IntStream.rangeClosed(1, buyers.size()).boxed().toList());
	}

	@Test
	void buyersReadingTheirPlacesAtOnceEachGetTheirOwn() {
		String eventId = queuedEvent(1);
		List<String> buyers = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			buyers.add(this.api.customer());
			join(buyers.get(i), eventId).expectStatus(201);
		}
		this.admissions.step(UUID.fromString(eventId));
		String stranger = this.api.customer();

		// read together, in batches: every answer must reach the buyer who asked
		List<Response> read = Race.run(buyers.size() + 1, i -> this.api.get("/api/v1/events/" + eventId + "/queue/me",
				(i < buyers.size()) ? buyers.get(i) : stranger));

		assertThat(read.get(0).expectStatus(200).json().get("status").asString()).isEqualTo("ADMITTED");
		for (int i = 1; i < buyers.size(); i++) {
			JsonNode place = read.get(i).expectStatus(200).json();
			assertThat(place.get("status").asString()).as("buyer %d", i).isEqualTo("WAITING");
			assertThat(place.get("position").asInt()).as("buyer %d", i).isEqualTo(i);
		}
		read.get(buyers.size()).expectStatus(404);
	}

	@Test
	void aStreamSentNothingForAWhileHearsACommentLine() throws Exception {
		String eventId = queuedEvent(1);
		try (BufferedReader lines = waitingOnItsStream(eventId)) {
			String comment = CompletableFuture.supplyAsync(() -> nextComment(lines)).get(10, TimeUnit.SECONDS);
			assertThat(comment).isEqualTo(":queue " + eventId);
		}
	}

	@Test
	void aBuyerWhoseJoinCommittedAfterTheStepReadItsTimeIsAdmittedNoEarlierThanItJoined() {
		String eventId = queuedEvent(1);
		String buyer = this.api.customer();
		Instant joinedAt = Instant.parse(join(buyer, eventId).expectStatus(201).json().get("joinedAt").asString());

		// the step read its time a moment before this join committed
		List<QueueRepository.Pass> passes = this.queue.admit(UUID.fromString(eventId), new QueueSettings(1, 600),
				joinedAt.minusSeconds(1));

		assertThat(passes).hasSize(1);
		assertThat(passes.get(0).admittedAt()).isEqualTo(joinedAt);
		assertThat(passes.get(0).expiresAt()).isEqualTo(joinedAt.plusSeconds(600));
		JsonNode place = me(buyer, eventId);
		assertThat(place.get("status").asString()).isEqualTo("ADMITTED");
		assertThat(Instant.parse(place.get("admittedAt").asString())).isEqualTo(joinedAt);
	}

	@Test
	void buyersAdmittedByOneStepShareItsTimeWhateverTheOrderTheyJoinedIn() {
		UUID eventId = UUID.fromString(queuedEvent(2));
		UUID first = Api.accountId(this.api.customer());
		UUID second = Api.accountId(this.api.customer());
		Instant stepRead = Instant.parse("2030-01-01T10:00:00Z");
		// two instances' batches, both committed after the step read its time: the
		// first place's join came later than the second's
		this.queue.insertAll(List.of(new Join(eventId, first, true, stepRead.plusSeconds(2))));
		this.queue.insertAll(List.of(new Join(eventId, second, true, stepRead.plusSeconds(1))));

		List<QueueRepository.Pass> passes = this.queue.admit(eventId, new QueueSettings(2, 600), stepRead);

		assertThat(passes).extracting(QueueRepository.Pass::customerId).containsExactlyInAnyOrder(first, second);
		assertThat(passes).extracting(QueueRepository.Pass::admittedAt).containsOnly(stepRead.plusSeconds(2));
		assertThat(passes).extracting(QueueRepository.Pass::expiresAt).containsOnly(stepRead.plusSeconds(602));
	}

	@Test
	void aJoinWaitsForAnotherInstancesJoinOfTheSameEventToCommitSoThatTheLineIsAdmittedInItsOrder() throws Exception {
		UUID eventId = UUID.fromString(queuedEvent(1));
		UUID first = Api.accountId(this.api.customer());
		UUID second = Api.accountId(this.api.customer());
		CountDownLatch drawn = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		// threads of their own: the common pool may have only one
		ExecutorService threads = Executors.newFixedThreadPool(2);
		// another instance's batch: it has drawn the first place and not committed yet
		CompletableFuture<Void> other = CompletableFuture.runAsync(() -> this.tx.executeWithoutResult(status -> {
			this.queue.lockJoins(List.of(eventId));
			this.queue.insertAll(List.of(new Join(eventId, first, true, Instant.now())));
			drawn.countDown();
			awaitLatch(commit);
		}), threads);
		assertThat(drawn.await(30, TimeUnit.SECONDS)).isTrue();
		try {
			CompletableFuture<QueueService.Joined> joined = CompletableFuture
				.supplyAsync(() -> this.service.join(eventId, second), threads);
			awaitJoinWaitingForItsLock(joined);

			assertThat(admitOne(eventId)).isEmpty();
			commit.countDown();
			other.get(30, TimeUnit.SECONDS);
			assertThat(joined.get(30, TimeUnit.SECONDS).place().position()).isEqualTo(2);
		}
		finally {
			commit.countDown();
			threads.shutdown();
		}

		assertThat(admitOne(eventId)).extracting(QueueRepository.Pass::customerId).containsExactly(first);
	}

	/** An admission step with room for one buyer, now. */
	private List<QueueRepository.Pass> admitOne(UUID eventId) {
		return Objects.requireNonNull(
				this.tx.execute(status -> this.queue.admit(eventId, new QueueSettings(1, 600), Instant.now())));
	}

	/**
	 * Until the join's batch waits for the event's join lock; fails if the join ends
	 * first.
	 */
	private void awaitJoinWaitingForItsLock(CompletableFuture<?> join) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (this.jdbc.sql("""
				SELECT count(*) FROM pg_stat_activity
				 WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'
				""").query(Long.class).single() == 0) {
			assertThat(join).as("a join that did not wait for the other instance's join to commit").isNotDone();
			assertThat(System.nanoTime()).as("a join waiting for the event's join lock").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private String queuedEvent(int maxActive) {
		Map<String, Object> body = QueueTest.eventBody(Map.of("maxActiveBuyers", maxActive), 100, null);
		return this.api.event(this.organizer, body);
	}

	/**
	 * A buyer that joined the event's line and listens on its stream, which said WAITING.
	 */
	private BufferedReader waitingOnItsStream(String eventId) throws Exception {
		String buyer = this.api.customer();
		join(buyer, eventId).expectStatus(201);
		BufferedReader lines = stream(buyer, eventId);
		assertThat(nextPlace(lines).get("status").asString()).isEqualTo("WAITING");
		return lines;
	}

	/** The buyer's place stream, read line by line. */
	private BufferedReader stream(String buyer, String eventId) throws Exception {
		HttpResponse<InputStream> stream = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url(eventId) + "/me/stream"))
				.header("Authorization", "Bearer " + buyer)
				.header("Accept", "text/event-stream")
				.build(), HttpResponse.BodyHandlers.ofInputStream());
		return new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
	}

	private String url(String eventId) {
		return "http://localhost:" + port() + "/api/v1/events/" + eventId + "/queue";
	}

	private Response join(String customer, String eventId) {
		return this.api.post("/api/v1/events/" + eventId + "/queue", customer, null);
	}

	private void leave(String customer, String eventId) {
		this.api.delete("/api/v1/events/" + eventId + "/queue/me", customer).expectStatus(204);
	}

	private JsonNode me(String customer, String eventId) {
		return this.api.get("/api/v1/events/" + eventId + "/queue/me", customer).expectStatus(200).json();
	}

	private String status(String customer, String eventId) {
		return me(customer, eventId).get("status").asString();
	}

	/** What is left of the stream, once it ends. */
	private static String readToEnd(BufferedReader lines) {
		StringBuilder rest = new StringBuilder();
		try {
			String line;
			while ((line = lines.readLine()) != null) {
				rest.append(line).append('\n');
			}
			return rest.toString();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The next comment line on the stream. */
	private static String nextComment(BufferedReader lines) {
		return nextLine(lines, line -> line.startsWith(":"));
	}

	/** The next {@code queue} event's place on the stream (comment lines skipped). */
	private static JsonNode nextPlace(BufferedReader lines) {
		return JSON.readTree(nextLine(lines, line -> line.startsWith("data:")).substring("data:".length()));
	}

	/** The next line of the stream that is {@code wanted}. */
	private static String nextLine(BufferedReader lines, Predicate<String> wanted) {
		try {
			String line;
			while ((line = lines.readLine()) != null) {
				if (wanted.test(line)) {
					return line;
				}
			}
			throw new IllegalStateException("The stream ended");
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
