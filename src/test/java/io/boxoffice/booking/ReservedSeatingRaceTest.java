package io.boxoffice.booking;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import io.boxoffice.support.Race;
import io.boxoffice.support.SecondInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import static io.boxoffice.booking.Seats.best;
import static io.boxoffice.booking.Seats.itemSeats;
import static io.boxoffice.booking.Seats.named;
import static io.boxoffice.booking.Seats.row;
import static io.boxoffice.booking.Seats.strings;
import static io.boxoffice.booking.Seats.withStatus;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Buyers of overlapping seats at the same instant, on two instances of the service: over
 * real HTTP, real threads, real PostgreSQL. No seat is sold twice, nobody deadlocks, and
 * the counts add up.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { ReservedSeatingRaceTest.PATIENT_POOL, ReservedSeatingRaceTest.PATIENT_BATCHES })
class ReservedSeatingRaceTest extends IntegrationTest {

	/**
	 * Correctness only: buyers wait for a connection as long as it takes, where the
	 * fail-fast default would answer 503 on a loaded machine.
	 */
	static final String PATIENT_POOL = "spring.datasource.hikari.connection-timeout=60000";

	/**
	 * Correctness only: the sale engine takes every buyer however long batches take on a
	 * loaded machine, where its default would answer 503 past a second's wait.
	 */
	static final String PATIENT_BATCHES = "boxoffice.booking.batch.max-wait=1m";

	private static final int BUYERS = 120;

	@Test
	void neverSellsASeatTwiceWhenBuyersOfOverlappingSeatsRaceOnTwoInstances(CapturedOutput output) {
		String eventId = event(List.of(row("A", 1, 6), row("B", 1, 6)));
		List<String> labels = IntStream.rangeClosed(1, 6)
			.boxed()
			.flatMap(n -> List.of("A-" + n, "B-" + n).stream())
			.toList();
		List<String> customers = IntStream.range(0, 8).mapToObj(i -> this.api.customer()).toList();
		// each buyer wants 2 to 4 random seats, named in random order; every 4th only
		// holds
		List<List<String>> wanted = IntStream.range(0, BUYERS).mapToObj(i -> {
			Random random = new Random(4242L + i);
			List<String> shuffled = new ArrayList<>(labels);
			Collections.shuffle(shuffled, random);
			return List.copyOf(shuffled.subList(0, 2 + random.nextInt(3)));
		}).toList();

		List<Response> responses;
		try (SecondInstance second = new SecondInstance(PATIENT_POOL, PATIENT_BATCHES)) {
			Api other = second.api();
			responses = Race.run(BUYERS,
					i -> ((i % 2 == 0) ? this.api : other).post(
							"/api/v1/events/" + eventId + ((i % 4 == 0) ? "/holds" : "/bookings"), customers.get(i % 8),
							Seats.items(named(wanted.get(i).toArray(String[]::new)))));
		}

		Set<String> sold = new HashSet<>();
		Set<String> held = new HashSet<>();
		int granted = 0;
		int grantedSeats = 0;
		for (int i = 0; i < BUYERS; i++) {
			Response response = responses.get(i);
			assertThat(response.status()).as(response.body()).isIn(201, 409);
			if (response.status() == 201) {
				List<String> seats = itemSeats(response).get(0);
				assertThat(seats).containsExactlyInAnyOrderElementsOf(wanted.get(i));
				((i % 4 == 0) ? held : sold).addAll(seats);
				granted++;
				grantedSeats += seats.size();
			}
			else {
				assertThat(response.code()).isEqualTo("SEATS_UNAVAILABLE");
				assertThat(strings(response.json().get("seats"))).isNotEmpty().isSubsetOf(wanted.get(i));
			}
		}
		// granted sets are disjoint: together they hold as many seats as each did alone
		assertThat(held.size() + sold.size()).isEqualTo(grantedSeats);
		assertThat(Collections.disjoint(held, sold)).isTrue();
		assertThat(granted).isPositive();
		assertThat(withStatus(this.api, eventId, "SOLD")).containsExactlyInAnyOrderElementsOf(sold);
		assertThat(withStatus(this.api, eventId, "HELD")).containsExactlyInAnyOrderElementsOf(held);
		assertThat(this.api.counts(eventId, "STALLS"))
			.isEqualTo(new Counts(12, 12 - held.size() - sold.size(), held.size(), sold.size()));
		assertThat(activeClaims(eventId)).isEqualTo(grantedSeats);
		assertThat(rows("SELECT count(*) FROM booking WHERE event_id = :id AND status = 'CONFIRMED'", eventId)
				+ rows("SELECT count(*) FROM hold WHERE event_id = :id AND status = 'ACTIVE'", eventId))
			.isEqualTo(granted);
		assertNoDeadlockOrError(output);
	}

	@Test
	void bestAvailableBuyersNeverShareASeat(CapturedOutput output) {
		String eventId = event(List.of(row("A", 1, 8), row("B", 1, 8), row("C", 1, 8), row("D", 1, 8), row("E", 1, 8)));
		List<String> customers = IntStream.range(0, 6).mapToObj(i -> this.api.customer()).toList();

		List<Response> responses;
		try (SecondInstance second = new SecondInstance(PATIENT_POOL, PATIENT_BATCHES)) {
			Api other = second.api();
			responses = Race.run(30, i -> ((i % 2 == 0) ? this.api : other)
				.post("/api/v1/events/" + eventId + "/bookings", customers.get(i % 6), Seats.items(best("STALLS", 2))));
		}

		Map<Integer, Long> byStatus = responses.stream()
			.collect(Collectors.groupingBy(Response::status, Collectors.counting()));
		assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of(201, 20L, 409, 10L));
		assertThat(responses.stream().filter(r -> r.status() == 409))
			.allSatisfy(r -> assertThat(r.code()).isEqualTo("SOLD_OUT"))
			.allSatisfy(r -> assertThat(r.json().get("available").asInt()).isZero());
		List<String> granted = responses.stream()
			.filter(r -> r.status() == 201)
			.flatMap(r -> itemSeats(r).get(0).stream())
			.toList();
		assertThat(granted).hasSize(40).doesNotHaveDuplicates();
		assertThat(withStatus(this.api, eventId, "SOLD")).containsExactlyInAnyOrderElementsOf(granted);
		assertThat(this.api.counts(eventId, "STALLS")).isEqualTo(new Counts(40, 0, 0, 40));
		assertThat(activeClaims(eventId)).isEqualTo(40);
		assertNoDeadlockOrError(output);
	}

	private String event(List<Map<String, Object>> rows) {
		return this.api.event(this.api.organizer(), Map.of("name", "Seat race", "startsAt", "2030-01-01T19:00:00Z",
				"categories", List.of(Seats.reserved("STALLS", "60.00", rows))));
	}

	private static void assertNoDeadlockOrError(CapturedOutput output) {
		assertThat(output.getAll()).doesNotContainIgnoringCase("deadlock")
			.doesNotContainIgnoringCase("could not serialize")
			.doesNotContain("Transient database failure")
			.doesNotContain(" ERROR ");
	}

	private int activeClaims(String eventId) {
		return rows("SELECT count(*) FROM seat_claim WHERE event_id = :id AND active", eventId);
	}

	private int rows(String sql, String eventId) {
		return this.jdbc.sql(sql).param("id", UUID.fromString(eventId)).query(Integer.class).single();
	}

}
