package io.boxoffice.booking;

/**
 * How a one-step booking of general-admission tickets takes them from the pool
 * ({@code boxoffice.booking.strategy}). The point of offering several is to measure what
 * each costs (docs/adr/0001-inventory-locking-strategy.md, docs/bench/results.md).
 */
public enum Strategy {

	/**
	 * The textbook: {@code SELECT … FOR UPDATE} locks the pool row, check in Java, write.
	 */
	SELECT_FOR_UPDATE(true),

	/**
	 * One guarded {@code UPDATE … WHERE available >= n}; its row count says if it fit.
	 */
	CONDITIONAL_UPDATE(true),

	/**
	 * Read with the row's version, write only if the version is unchanged, retry
	 * (bounded) if not.
	 */
	OPTIMISTIC(true),

	/**
	 * Read, check and write under SERIALIZABLE isolation; a serialization failure is
	 * retried (bounded).
	 */
	SERIALIZABLE(true),

	/**
	 * Group commit: concurrent requests for one pool share one transaction. The default.
	 */
	BATCHED(true),

	/**
	 * Unsafe, for demonstration: read, check in Java, write back without a lock, so
	 * concurrent writers lose each other's updates.
	 */
	READ_CHECK_WRITE(false),

	/**
	 * Unsafe, for demonstration: read-check-write under a lock inside one JVM, which is
	 * no help when two instances sell.
	 */
	JVM_LOCK(false);

	private final boolean safe;

	Strategy(boolean safe) {
		this.safe = safe;
	}

	public boolean isSafe() {
		return this.safe;
	}

}
