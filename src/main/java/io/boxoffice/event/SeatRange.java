package io.boxoffice.event;

/** Seats {@code row-from} to {@code row-to}, both included. */
public record SeatRange(String row, int from, int to) {

	public int size() {
		return this.to - this.from + 1;
	}

	public boolean overlaps(SeatRange other) {
		return this.row.equals(other.row) && this.from <= other.to && other.from <= this.to;
	}

}
