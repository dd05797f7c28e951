package io.boxoffice.queue;

/** Where a buyer stands in an event's queue. */
public enum QueueStatus {

	/** In line. */
	WAITING,
	/** May buy until the pass expires. */
	ADMITTED,
	/** The turn ended with a confirmed booking. */
	DONE,
	/** The buyer left the line. */
	LEFT,
	/** The pass expired. */
	EXPIRED,
	/** Nothing is left to sell. */
	CLOSED;

	/** Whether the place can still change. */
	public boolean isFinal() {
		return this != WAITING && this != ADMITTED;
	}

}
