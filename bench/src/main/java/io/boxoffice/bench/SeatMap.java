package io.boxoffice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Buyers of 1 to 4 adjacent named seats who pick, as a buyer does on the shop's live seat
 * map, among the seats the map shows free: a random place, moved on until the seats there are
 * not known to be taken. The map is shared by all buyers of a run and learns at once every seat
 * sold to one of them and every seat a {@code 409 SEATS_UNAVAILABLE} names as held or sold, a
 * fresher map than a page that is told of sales within a second. Buyers in flight at the same
 * time still ask for the same seats, and all but one are refused.
 */
final class SeatMap implements Load.Learning {

	private static final Pattern SEAT = Pattern.compile("\"R(\\d+)-(\\d+)\"");

	private static final Pattern UNAVAILABLE = Pattern.compile("\"seats\"\\s*:\\s*\\[([^\\]]*)\\]");

	/** Random places tried before the map is searched from one. */
	private static final int TRIES = 16;

	private final int rows;

	private final int perRow;

	/** Seats known to be taken, row-major from seat R1-1. */
	private final boolean[] taken;

	SeatMap(int rows, int perRow) {
		this.rows = rows;
		this.perRow = perRow;
		this.taken = new boolean[rows * perRow];
	}

	@Override
	public synchronized String get() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		int wanted = 1 + random.nextInt(4);
		for (int want = wanted; want >= 1; want--) {
			for (int i = 0; i < TRIES; i++) {
				int first = random.nextInt(this.rows) * this.perRow + random.nextInt(this.perRow - want + 1);
				if (freeFrom(first, want)) {
					return body(first, want);
				}
			}
			int start = random.nextInt(this.taken.length);
			for (int i = 0; i < this.taken.length; i++) {
				int first = (start + i) % this.taken.length;
				if (first % this.perRow <= this.perRow - want && freeFrom(first, want)) {
					return body(first, want);
				}
			}
		}
		// the map shows the hall sold out: a blind pick, to be refused
		return body(random.nextInt(this.rows) * this.perRow + random.nextInt(this.perRow - wanted + 1), wanted);
	}

	@Override
	public synchronized void answered(String body, int status, String answer) {
		if (status == 201) {
			markAll(body);
		}
		else if (status == 409) {
			Matcher unavailable = UNAVAILABLE.matcher(answer);
			if (unavailable.find()) {
				markAll(unavailable.group(1));
			}
		}
	}

	private boolean freeFrom(int first, int count) {
		for (int seat = first; seat < first + count; seat++) {
			if (this.taken[seat]) {
				return false;
			}
		}
		return true;
	}

	private void markAll(String labels) {
		Matcher seat = SEAT.matcher(labels);
		while (seat.find()) {
			this.taken[(Integer.parseInt(seat.group(1)) - 1) * this.perRow + Integer.parseInt(seat.group(2)) - 1] = true;
		}
	}

	private String body(int first, int count) {
		List<String> seats = new ArrayList<>();
		for (int seat = first; seat < first + count; seat++) {
			seats.add("\"R" + (seat / this.perRow + 1) + "-" + (seat % this.perRow + 1) + "\"");
		}
		return "{\"items\":[{\"seats\":[" + String.join(",", seats) + "]}]}";
	}

}
