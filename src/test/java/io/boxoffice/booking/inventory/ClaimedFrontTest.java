package io.boxoffice.booking.inventory;

import java.util.UUID;

import io.boxoffice.booking.inventory.SeatRepository.Seat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimedFrontTest {

	@Test
	void aFrontReadAfterMoreReturnsWinsWhereverItIs() {
		ClaimedFront far = new ClaimedFront(3, 40, 7);
		ClaimedFront afterAReturn = new ClaimedFront(4, 0, 1);

		assertThat(ClaimedFront.later(far, afterAReturn)).isEqualTo(afterAReturn);
		assertThat(ClaimedFront.later(afterAReturn, far)).isEqualTo(afterAReturn);
	}

	@Test
	void atOneCountTheFurtherFrontWinsByRowThenNumber() {
		ClaimedFront row2seat9 = new ClaimedFront(5, 2, 9);
		ClaimedFront row3seat1 = new ClaimedFront(5, 3, 1);
		ClaimedFront row3seat4 = new ClaimedFront(5, 3, 4);

		assertThat(ClaimedFront.later(row2seat9, row3seat1)).isEqualTo(row3seat1);
		assertThat(ClaimedFront.later(row3seat4, row3seat1)).isEqualTo(row3seat4);
		assertThat(ClaimedFront.later(row3seat1, row3seat4)).isEqualTo(row3seat4);
	}

	@Test
	void aReadThatFoundSeatsStartsTheNextAtTheFirstAndOneThatFoundNoneAfterEveryRow() {
		Seat first = new Seat(17, "C-12", UUID.randomUUID(), 2, 12);

		assertThat(ClaimedFront.found(6, first)).isEqualTo(new ClaimedFront(6, 2, 12));
		ClaimedFront none = ClaimedFront.found(6, null);
		assertThat(ClaimedFront.later(none, new ClaimedFront(6, 9_999, Integer.MAX_VALUE))).isEqualTo(none);
		assertThat(ClaimedFront.later(ClaimedFront.NONE, new ClaimedFront(0, 0, 1)))
			.isEqualTo(new ClaimedFront(0, 0, 1));
	}

}
