package io.boxoffice.booking.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.boxoffice.booking.engine.Allotment.Ask;
import io.boxoffice.booking.engine.Allotment.FreeSeats;
import io.boxoffice.booking.engine.Allotment.Line;
import io.boxoffice.booking.engine.Allotment.Stock;
import io.boxoffice.booking.inventory.SeatRepository.Seat;
import io.boxoffice.booking.store.CustomerLimits.Tally;
import io.boxoffice.event.Category;
import io.boxoffice.event.CategoryKind;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory decision of a batch, without Spring or a database. */
class AllotmentTest {

	private static final UUID ANA = new UUID(0, 1);

	private static final UUID BEN = new UUID(0, 2);

	private static final BoxofficeException LIMIT = new BoxofficeException(ErrorCode.LIMIT_EXCEEDED, "limit");

	private static final Category GA = category(1, "GA", CategoryKind.GENERAL_ADMISSION);

	private static final Category VIP = category(2, "VIP", CategoryKind.GENERAL_ADMISSION);

	private static final Category STALLS = category(3, "STALLS", CategoryKind.RESERVED);

	record Request(String name, Ask ask) {
	}

	private static Category category(long id, String code, CategoryKind kind) {
		return new Category(new UUID(1, id), code, code, kind, BigDecimal.TEN, "EUR", 100);
	}

	private static Request ga(String name, UUID customer, int quantity) {
		return new Request(name, new Ask(customer, List.of(Line.pool(GA, quantity))));
	}

	private static Request best(String name, int quantity) {
		return new Request(name, new Ask(ANA, List.of(Line.best(STALLS, quantity))));
	}

	private static Request named(String name, Seat... seats) {
		return new Request(name, new Ask(BEN, List.of(Line.seats(STALLS, List.of(seats)))));
	}

	/** A hall: rows A, B, C… of seats 1..perRow, in seat-map order. */
	private static List<Seat> hall(int rows, int perRow) {
		List<Seat> seats = new ArrayList<>();
		for (int row = 0; row < rows; row++) {
			for (int number = 1; number <= perRow; number++) {
				seats.add(seat(row, number));
			}
		}
		return seats;
	}

	private static Seat seat(int row, int number) {
		return new Seat(row * 1000L + number, (char) ('A' + row) + "-" + number, STALLS.id(), row, number);
	}

	private static List<Seat> without(List<Seat> seats, Seat... taken) {
		List<Seat> left = new ArrayList<>(seats);
		left.removeAll(List.of(taken));
		return left;
	}

	private static Allotment<Request> decide(List<Request> requests, Map<UUID, Tally> tallies, int left) {
		return Allotment.decide(requests, Request::ask, new Stock(Map.of(GA.id(), left), tallies, Set.of(), Map.of()),
				() -> LIMIT);
	}

	private static Allotment<Request> seats(List<Request> requests, Set<Long> claimed, List<Seat> free,
			boolean complete) {
		return Allotment.decide(requests, Request::ask,
				new Stock(Map.of(), Map.of(), claimed, Map.of(STALLS.id(), new FreeSeats(free, complete))),
				() -> LIMIT);
	}

	private static List<String> labels(Allotment<Request> allotment, Request request) {
		return allotment.granted().get(request).items().get(0).seats();
	}

	@Test
	void grantsInArrivalOrderWhileTicketsLast() {
		Request a = ga("a", ANA, 2);
		Request b = ga("b", BEN, 2);
		Request c = ga("c", ANA, 1);
		Allotment<Request> allotment = decide(List.of(a, b, c), Map.of(), 4);
		assertThat(allotment.granted().keySet()).containsExactly(a, b);
		assertThat(allotment.refused()).containsOnlyKeys(c);
		assertThat(allotment.refused().get(c).code()).isEqualTo(ErrorCode.SOLD_OUT);
		assertThat(allotment.refused().get(c).getMessage()).isEqualTo("Only 0 tickets of GA are available");
	}

	@Test
	void aSmallerLaterRequestMayFitWhereAnEarlierDidNot() {
		Request big = ga("big", ANA, 3);
		Request small = ga("small", BEN, 1);
		Allotment<Request> allotment = decide(List.of(big, small), Map.of(), 2);
		assertThat(allotment.granted().keySet()).containsExactly(small);
		assertThat(allotment.refused().keySet()).containsExactly(big);
		assertThat(allotment.refused().get(big).getMessage()).isEqualTo("Only 2 tickets of GA are available");
	}

	@Test
	void countsEachCustomersEarlierGrantsAgainstTheLimit() {
		Request first = ga("first", ANA, 2);
		Request second = ga("second", ANA, 1);
		Request other = ga("other", BEN, 3);
		Allotment<Request> allotment = decide(List.of(first, second, other),
				Map.of(ANA, new Tally(1, 3), BEN, new Tally(0, 3)), 10);
		assertThat(allotment.granted().keySet()).containsExactly(first, other);
		assertThat(allotment.refused()).containsExactly(Map.entry(second, LIMIT));
	}

	@Test
	void aRequestRefusedForWantOfTicketsCountsForNobodysLimit() {
		Request tooMany = ga("tooMany", ANA, 2);
		Request fits = ga("fits", ANA, 1);
		Allotment<Request> allotment = decide(List.of(tooMany, fits), Map.of(ANA, new Tally(0, 2)), 1);
		assertThat(allotment.granted().keySet()).containsExactly(fits);
		assertThat(allotment.refused().keySet()).containsExactly(tooMany);
		assertThat(allotment.refused().get(tooMany).code()).isEqualTo(ErrorCode.SOLD_OUT);
	}

	@Test
	void nothingLeftRefusesEveryRequest() {
		Request a = ga("a", ANA, 1);
		Allotment<Request> allotment = decide(List.of(a), Map.of(), 0);
		assertThat(allotment.granted()).isEmpty();
		assertThat(allotment.refused()).containsOnlyKeys(a);
	}

	@Test
	void aCartIsAllOrNothingAcrossItsPools() {
		Request cart = new Request("cart", new Ask(ANA, List.of(Line.pool(GA, 1), Line.pool(VIP, 2))));
		Request gaOnly = ga("gaOnly", BEN, 1);
		Allotment<Request> allotment = Allotment.decide(List.of(cart, gaOnly), Request::ask,
				new Stock(Map.of(GA.id(), 1, VIP.id(), 1), Map.of(), Set.of(), Map.of()), () -> LIMIT);
		assertThat(allotment.refused().get(cart).getMessage()).isEqualTo("Only 1 tickets of VIP are available");
		assertThat(allotment.granted().keySet()).containsExactly(gaOnly);
	}

	@Test
	void bestAvailableTakesTheFrontRowsLowestAdjacentSeats() {
		List<Seat> free = without(hall(3, 6), seat(0, 2), seat(0, 5));
		Request pair = best("pair", 2);
		Allotment<Request> allotment = seats(List.of(pair), Set.of(), free, true);
		// A-1 is alone, A-3 and A-4 are the first adjacent pair
		assertThat(labels(allotment, pair)).containsExactly("A-3", "A-4");
	}

	@Test
	void twoRequestsOfOneBatchNeverGetTheSameSeat() {
		Request first = best("first", 2);
		Request second = best("second", 2);
		Request third = best("third", 3);
		Allotment<Request> allotment = seats(List.of(first, second, third), Set.of(), hall(2, 5), true);
		assertThat(labels(allotment, first)).containsExactly("A-1", "A-2");
		assertThat(labels(allotment, second)).containsExactly("A-3", "A-4");
		assertThat(labels(allotment, third)).containsExactly("B-1", "B-2", "B-3");
	}

	@Test
	void seatsAnotherSaleIsTakingAreLeftOutAndBreakTheBlocksTheyStandIn() {
		FreeSeats free = new FreeSeats(hall(1, 5), true).without(Set.of(seat(0, 2).id(), seat(0, 3).id()));
		assertThat(free.complete()).isTrue();
		Request pair = best("pair", 2);
		Allotment<Request> allotment = Allotment.decide(List.of(pair), Request::ask,
				new Stock(Map.of(), Map.of(), Set.of(), Map.of(STALLS.id(), free)), () -> LIMIT);
		// A-1 is alone between the edge and the busy A-2
		assertThat(labels(allotment, pair)).containsExactly("A-4", "A-5");
	}

	@Test
	void withoutAnAdjacentBlockAnywhereTheFirstFreeSeatsAreTaken() {
		List<Seat> free = List.of(seat(0, 1), seat(0, 3), seat(1, 2), seat(1, 4));
		Request three = best("three", 3);
		Allotment<Request> allotment = seats(List.of(three), Set.of(), free, true);
		assertThat(labels(allotment, three)).containsExactly("A-1", "A-3", "B-2");
	}

	@Test
	void aPartialReadWithoutAnAdjacentBlockAsksToReadFurtherInsteadOfDeciding() {
		List<Seat> free = List.of(seat(0, 1), seat(0, 3));
		Allotment<Request> allotment = seats(List.of(best("pair", 2)), Set.of(), free, false);
		assertThat(allotment.widen()).containsExactly(STALLS.id());
		assertThat(allotment.granted()).isEmpty();
		assertThat(allotment.refused()).isEmpty();
	}

	@Test
	void tooFewFreeSeatsIsSoldOutWithTheirCount() {
		Request three = best("three", 3);
		Allotment<Request> allotment = seats(List.of(three), Set.of(), List.of(seat(0, 1), seat(0, 2)), true);
		assertThat(allotment.refused().get(three).code()).isEqualTo(ErrorCode.SOLD_OUT);
		assertThat(allotment.refused().get(three).getMessage()).isEqualTo("Only 2 seats of STALLS are available");
	}

	@Test
	void namedSeatsTakenEarlierInTheBatchOrBeforeAreUnavailableAndNamed() {
		Request first = named("first", seat(0, 1), seat(0, 2));
		Request second = named("second", seat(0, 3), seat(0, 2), seat(1, 1));
		Allotment<Request> allotment = seats(List.of(first, second), Set.of(seat(1, 1).id()), List.of(), true);
		assertThat(allotment.granted().keySet()).containsExactly(first);
		assertThat(allotment.refused().get(second).code()).isEqualTo(ErrorCode.SEATS_UNAVAILABLE);
		assertThat(allotment.refused().get(second).getMessage()).isEqualTo("Not available: A-2, B-1");
	}

	@Test
	void bestAvailableLeavesOutSeatsNamedEarlierInTheBatch() {
		Request named = named("named", seat(0, 1), seat(0, 2));
		Request pair = best("pair", 2);
		Allotment<Request> allotment = seats(List.of(named, pair), Set.of(), hall(1, 4), true);
		assertThat(labels(allotment, pair)).containsExactly("A-3", "A-4");
	}

	@Test
	void bestAvailableLeavesOutSeatsTheSameRequestNamesInALaterItem() {
		Request cart = new Request("cart",
				new Ask(ANA, List.of(Line.best(STALLS, 2), Line.seats(STALLS, List.of(seat(0, 1))))));
		Allotment<Request> allotment = seats(List.of(cart), Set.of(), hall(1, 4), true);
		assertThat(allotment.granted().get(cart).items().get(0).seats()).containsExactly("A-2", "A-3");
		assertThat(allotment.granted().get(cart).items().get(1).seats()).containsExactly("A-1");
	}

}
