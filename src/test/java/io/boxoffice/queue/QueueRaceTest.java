package io.boxoffice.queue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.boxoffice.support.Api;
import io.boxoffice.support.ClockedIntegrationTest;
import io.boxoffice.support.Race;
import io.boxoffice.support.SecondInstance;
import io.boxoffice.support.TestClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cap holds across instances: two instances on one database run the admission step at
 * once, buyers join and end their turns through both, and at no instant are more than
 * {@code maxActiveBuyers} admitted; admission follows the line's order.
 */
@TestPropertySource(properties = QueueRaceTest.PATIENT_POOL)
class QueueRaceTest extends ClockedIntegrationTest {

	/**
	 * Correctness only: requests wait for a connection as long as it takes, where the
	 * fail-fast default would answer 503 on a loaded machine.
	 */
	static final String PATIENT_POOL = "spring.datasource.hikari.connection-timeout=60000";

	static SecondInstance second;

	@Autowired
	Admissions admissions;

	@BeforeAll
	static void startSecondInstance() {
		second = SecondInstance.initializedBy(new TestClock.Initializer(), SWEEP_INTERVAL, SWEEP_BATCH, PATIENT_POOL);
	}

	@AfterAll
	static void stopSecondInstance() {
		second.close();
	}

	@Test
	void admissionStepsRunAtOnceOnTwoInstancesNeverPassTheCap() {
		Instant opens = clock.instant().plus(1, ChronoUnit.HOURS);
		String eventId = queuedEvent(5, 100, opens);
		for (int i = 0; i < 40; i++) {
			join(this.api, this.api.customer(), eventId);
		}
		clock.set(opens);
		Admissions other = second.context().getBean(Admissions.class);
		UUID id = UUID.fromString(eventId);
		Race.run(16, i -> {
			((i % 2 == 0) ? this.admissions : other).step(id);
			return i;
		});
		assertThat(countWith(eventId, "ADMITTED")).isEqualTo(5);
		assertThat(countWith(eventId, "WAITING")).isEqualTo(35);
		assertThat(admittedOutOfOrder(eventId)).isZero();
	}

	@Test
	void neverAdmitsMoreThanTheCapWhileBuyersJoinAndEndTurnsThroughTwoInstances() {
		int cap = 3;
		int buyers = 30;
		String eventId = queuedEvent(cap, 100, null);
		Api other = second.api();
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < buyers; i++) {
			tokens.add(this.api.customer());
		}
		AtomicBoolean racing = new AtomicBoolean(true);
		AtomicLong most = new AtomicLong();
		AtomicLong samples = new AtomicLong();
		Thread sampler = new Thread(() -> {
			while (racing.get()) {
				most.accumulateAndGet(countWith(eventId, "ADMITTED"), Math::max);
				samples.incrementAndGet();
				try {
					Thread.sleep(1);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		});
		sampler.start();
		List<String> outcomes = Race.run(buyers, i -> {
			Api joinedThrough = (i % 2 == 0) ? this.api : other;
			Api boughtThrough = (i % 2 == 0) ? other : this.api;
			String token = tokens.get(i);
			join(joinedThrough, token, eventId);
			await().atMost(120, TimeUnit.SECONDS)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> "ADMITTED".equals(status(boughtThrough, token, eventId)));
			if (i % 3 == 0) {
				boughtThrough.delete("/api/v1/events/" + eventId + "/queue/me", token).expectStatus(204);
				return "LEFT";
			}
			boughtThrough.book(token, eventId, Api.items("GA", 1)).expectStatus(201);
			return status(joinedThrough, token, eventId);
		});
		racing.set(false);
		try {
			sampler.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		assertThat(samples.get()).isPositive();
		assertThat(most.get()).isBetween(1L, (long) cap);
		assertThat(outcomes).containsOnly("DONE", "LEFT");
		assertThat(countWith(eventId, "DONE")).isEqualTo(20);
		assertThat(countWith(eventId, "LEFT")).isEqualTo(10);
		assertThat(this.api.counts(eventId, "GA").sold()).isEqualTo(20);
		assertThat(admittedOutOfOrder(eventId)).isZero();
	}

	private String queuedEvent(int cap, int capacity, @Nullable Instant opens) {
		return this.api.event(this.api.organizer(),
				QueueTest.eventBody(Map.of("maxActiveBuyers", cap), capacity, opens));
	}

	private static void join(Api api, String token, String eventId) {
		api.post("/api/v1/events/" + eventId + "/queue", token, null).expectStatus(201);
	}

	private static String status(Api api, String token, String eventId) {
		return api.get("/api/v1/events/" + eventId + "/queue/me", token)
			.expectStatus(200)
			.json()
			.get("status")
			.asString();
	}

	private long countWith(String eventId, String status) {
		return this.jdbc.sql("SELECT count(*) FROM queue_place WHERE event_id = :eventId AND status = :status")
			.param("eventId", UUID.fromString(eventId))
			.param("status", status)
			.query(Long.class)
			.single();
	}

	/** Buyers admitted after someone behind them in line. */
	private long admittedOutOfOrder(String eventId) {
		return this.jdbc.sql("""
				SELECT count(*) FROM queue_place a JOIN queue_place b ON a.event_id = b.event_id
				 WHERE a.event_id = :eventId AND a.admitted_at IS NOT NULL AND b.admitted_at IS NOT NULL
				   AND (a.late, a.place) < (b.late, b.place) AND a.admitted_at > b.admitted_at
				""").param("eventId", UUID.fromString(eventId)).query(Long.class).single();
	}

}
