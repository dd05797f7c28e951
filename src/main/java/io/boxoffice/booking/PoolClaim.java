package io.boxoffice.booking;

import java.util.UUID;

/**
 * How a strategy sells {@code n} tickets of one pool, inside the sale's transaction.
 */
enum PoolClaim {

	/** {@code UPDATE … WHERE available >= n}. */
	GUARDED {
		@Override
		boolean sell(PoolRepository pools, UUID categoryId, int n) {
			return pools.sell(categoryId, n);
		}
	},

	/**
	 * {@code SELECT … FOR UPDATE}, check, write: correct; every buyer waits on the row.
	 */
	LOCKING_READ {
		@Override
		boolean sell(PoolRepository pools, UUID categoryId, int n) {
			return writeIfEnough(pools, categoryId, n, pools.readLocked(categoryId));
		}
	},

	/** Read with the version, write if unchanged, else {@link Conflict}. */
	VERSIONED {
		@Override
		boolean sell(PoolRepository pools, UUID categoryId, int n) {
			PoolRepository.Snapshot read = pools.read(categoryId);
			if (read.available() < n) {
				return false;
			}
			if (!pools.writeIfUnchanged(categoryId, read, n)) {
				throw new Conflict();
			}
			return true;
		}
	},

	/**
	 * Read, check, write: correct only under SERIALIZABLE; otherwise it loses updates.
	 */
	PLAIN_READ {
		@Override
		boolean sell(PoolRepository pools, UUID categoryId, int n) {
			return writeIfEnough(pools, categoryId, n, pools.read(categoryId));
		}
	};

	/**
	 * @return false when fewer than {@code n} tickets are available
	 */
	abstract boolean sell(PoolRepository pools, UUID categoryId, int n);

	/** The check in Java, and the write of the counters computed from {@code read}. */
	private static boolean writeIfEnough(PoolRepository pools, UUID categoryId, int n, PoolRepository.Snapshot read) {
		if (read.available() < n) {
			return false;
		}
		pools.write(categoryId, read, n);
		return true;
	}

	/**
	 * Someone wrote the pool between our read and our write; the transaction is retried.
	 */
	static final class Conflict extends RuntimeException {

		Conflict() {
			super("The pool changed since it was read", null, false, false);
		}

	}

}
