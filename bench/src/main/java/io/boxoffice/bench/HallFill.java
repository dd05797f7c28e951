package io.boxoffice.bench;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The blind named-seat workload's picks (1 to 4 adjacent seats at a random place of a hall,
 * whether free or not), and how many of them it takes to sell a number of seats when each is
 * decided whole, one after the other, as the service decides them: a pick with any seat taken
 * sells nothing. It tells what the hall, not the service, makes of a rate: the fuller the hall,
 * the more picks land on a sold seat.
 */
final class HallFill {

	/** The most seats one pick asks for. */
	static final int MOST_ADJACENT = 4;

	private HallFill() {
	}

	/** Seats {@code first} to {@code first + count - 1} of {@code row}, all counted from 0. */
	record Pick(int row, int first, int count) {
	}

	/** 1 to 4 adjacent seats (fewer in a narrower row) at a random place of the hall. */
	static Pick pick(RandomGenerator random, int rows, int seatsPerRow) {
		int count = 1 + random.nextInt(Math.min(MOST_ADJACENT, seatsPerRow));
		return new Pick(random.nextInt(rows), random.nextInt(seatsPerRow - count + 1), count);
	}

	/**
	 * The picks it takes, from an empty hall, until {@code seats} are sold.
	 * @throws IllegalArgumentException for more seats than the hall has
	 */
	static long picksToSell(int rows, int seatsPerRow, long seats, Supplier<Pick> picks) {
		if (seats > (long) rows * seatsPerRow) {
			throw new IllegalArgumentException(
					"A hall of " + rows + " × " + seatsPerRow + " seats cannot sell " + seats);
		}
		boolean[][] sold = new boolean[rows][seatsPerRow];
		long soldSeats = 0;
		long asked = 0;
		while (soldSeats < seats) {
			Pick pick = picks.get();
			asked++;
			if (free(sold[pick.row()], pick)) {
				for (int seat = pick.first(); seat < pick.first() + pick.count(); seat++) {
					sold[pick.row()][seat] = true;
				}
				soldSeats += pick.count();
			}
		}
		return asked;
	}

	private static boolean free(boolean[] row, Pick pick) {
		for (int seat = pick.first(); seat < pick.first() + pick.count(); seat++) {
			if (row[seat]) {
				return false;
			}
		}
		return true;
	}

}
