package io.boxoffice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import io.boxoffice.bench.HallFill.Pick;
import org.junit.jupiter.api.Test;

class HallFillTest {

	@Test
	void aPickOnATakenSeatSellsNothingAndStillCounts() {
		Iterator<Pick> picks = List.of(new Pick(0, 0, 2), new Pick(0, 1, 2), new Pick(0, 3, 1), new Pick(0, 2, 1))
			.iterator();

		// seats 0-1 sold; 1-2 overlaps seat 1; 3 sold; 2 sold: four seats after four picks
		assertEquals(4, HallFill.picksToSell(1, 4, 4, picks::next));
	}

	@Test
	void picksInOtherRowsDoNotCollide() {
		Iterator<Pick> picks = List.of(new Pick(0, 0, 3), new Pick(1, 0, 3)).iterator();

		assertEquals(2, HallFill.picksToSell(2, 3, 6, picks::next));
	}

	@Test
	void randomPicksStayInTheHallAndAskForOneToFourSeats() {
		SplittableRandom random = new SplittableRandom(7);
		boolean[] counts = new boolean[HallFill.MOST_ADJACENT + 1];
		for (int i = 0; i < 10_000; i++) {
			Pick pick = HallFill.pick(random, 3, 5);
			assertTrue(pick.row() >= 0 && pick.row() < 3, pick::toString);
			assertTrue(pick.first() >= 0 && pick.first() + pick.count() <= 5, pick::toString);
			counts[pick.count()] = true;
		}
		assertEquals("[false, true, true, true, true]", java.util.Arrays.toString(counts));
		assertEquals(1, HallFill.pick(random, 1, 1).count());
	}

	@Test
	void theLastFreeSeatOfARowSellsOnlyToAPickOfThatOneSeat() {
		Iterator<Pick> picks = List.of(new Pick(0, 0, 4), new Pick(0, 1, 4), new Pick(0, 3, 2), new Pick(0, 4, 1))
			.iterator();

		assertEquals(4, HallFill.picksToSell(1, 5, 5, picks::next));
	}

	@Test
	void moreSeatsThanTheHallHasCannotBeSold() {
		assertThrows(IllegalArgumentException.class, () -> HallFill.picksToSell(10, 20, 201, () -> null));
	}

}
