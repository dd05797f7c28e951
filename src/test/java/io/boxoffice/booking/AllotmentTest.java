package io.boxoffice.booking;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.booking.CustomerLimits.Tally;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory decision of a batch, without Spring or a database. */
class AllotmentTest {

	private static final UUID ANA = new UUID(0, 1);

	private static final UUID BEN = new UUID(0, 2);

	private static final BoxofficeException LIMIT = new BoxofficeException(ErrorCode.LIMIT_EXCEEDED, "limit");

	record Request(String name, UUID customer, int quantity) {
	}

	private static Allotment<Request> decide(List<Request> requests, Map<UUID, Tally> tallies, int left) {
		return Allotment.decide(requests, Request::customer, Request::quantity, tallies, left, () -> LIMIT);
	}

	@Test
	void grantsInArrivalOrderWhileTicketsLast() {
		Request a = new Request("a", ANA, 2);
		Request b = new Request("b", BEN, 2);
		Request c = new Request("c", ANA, 1);
		Allotment<Request> allotment = decide(List.of(a, b, c), Map.of(), 4);
		assertThat(allotment.granted()).containsExactly(a, b);
		assertThat(allotment.refused()).containsOnlyKeys(c);
		assertThat(allotment.refused().get(c)).isNull();
		assertThat(allotment.tickets()).isEqualTo(4);
	}

	@Test
	void aSmallerLaterRequestMayFitWhereAnEarlierDidNot() {
		Request big = new Request("big", ANA, 3);
		Request small = new Request("small", BEN, 1);
		Allotment<Request> allotment = decide(List.of(big, small), Map.of(), 2);
		assertThat(allotment.granted()).containsExactly(small);
		assertThat(allotment.refused().keySet()).containsExactly(big);
		assertThat(allotment.tickets()).isEqualTo(1);
	}

	@Test
	void countsEachCustomersEarlierGrantsAgainstTheLimit() {
		Request first = new Request("first", ANA, 2);
		Request second = new Request("second", ANA, 1);
		Request other = new Request("other", BEN, 3);
		Allotment<Request> allotment = decide(List.of(first, second, other),
				Map.of(ANA, new Tally(1, 3), BEN, new Tally(0, 3)), 10);
		assertThat(allotment.granted()).containsExactly(first, other);
		assertThat(allotment.refused()).containsExactly(Map.entry(second, LIMIT));
		assertThat(allotment.tickets()).isEqualTo(5);
	}

	@Test
	void aRequestRefusedForWantOfTicketsCountsForNobodysLimit() {
		Request tooMany = new Request("tooMany", ANA, 2);
		Request fits = new Request("fits", ANA, 1);
		Allotment<Request> allotment = decide(List.of(tooMany, fits), Map.of(ANA, new Tally(0, 2)), 1);
		assertThat(allotment.granted()).containsExactly(fits);
		assertThat(allotment.refused().keySet()).containsExactly(tooMany);
		assertThat(allotment.refused().get(tooMany)).isNull();
	}

	@Test
	void nothingLeftRefusesEveryRequest() {
		Request a = new Request("a", ANA, 1);
		Allotment<Request> allotment = decide(List.of(a), Map.of(), 0);
		assertThat(allotment.granted()).isEmpty();
		assertThat(allotment.tickets()).isZero();
	}

}
