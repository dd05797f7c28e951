package io.boxoffice.booking.consistency;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One family of counters checked against the rows they summarise. Every bean of this type
 * takes part in the {@link ConsistencyCheck}; reserved seating adds its own (every seat
 * claimed by at most one active hold or confirmed booking, seat states equal to the
 * claims) by declaring one more bean, with no change here.
 */
public interface InventoryAudit {

	/**
	 * Compares counters with rows in one consistent snapshot: one statement, or one
	 * repeatable-read transaction.
	 * @param eventId one event, or every event when null
	 * @param now the instant holds are judged expired at
	 * @param all true for a finding on every subject, false for inconsistent ones only
	 */
	Audit audit(@Nullable UUID eventId, Instant now, boolean all);

	/** How many subjects were checked, and the findings asked for. */
	record Audit(int checked, List<Finding> findings) {

		public Audit {
			findings = List.copyOf(findings);
		}

	}

}
