package io.boxoffice.booking.consistency;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.boxoffice.booking.consistency.InventoryAudit.Audit;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Recomputes held and sold from the rows and compares them with every counter, through
 * every {@link InventoryAudit}. Read-only and lock-free, so it may run while sales go on;
 * each audit reads one snapshot, so a sale in flight is seen either wholly or not at all.
 */
@Component
public class ConsistencyCheck {

	private static final Logger log = LoggerFactory.getLogger(ConsistencyCheck.class);

	private final List<InventoryAudit> audits;

	private final Clock clock;

	ConsistencyCheck(List<InventoryAudit> audits, Clock clock) {
		this.audits = List.copyOf(audits);
		this.clock = clock;
	}

	/** Every event; the report lists only what is inconsistent. */
	public Report run() {
		return run(null, false);
	}

	/** One event; the report lists every subject of it. */
	public Report run(UUID eventId) {
		return run(eventId, true);
	}

	private Report run(@Nullable UUID eventId, boolean all) {
		Instant now = Sql.now(this.clock);
		int checked = 0;
		List<Finding> findings = new ArrayList<>();
		for (InventoryAudit audit : this.audits) {
			Audit result = audit.audit(eventId, now, all);
			checked += result.checked();
			findings.addAll(result.findings());
		}
		boolean consistent = findings.stream().allMatch(Finding::consistent);
		if (!consistent) {
			findings.stream()
				.filter(finding -> !finding.consistent())
				.forEach(finding -> log.error("Inconsistent {} of event {} ({}): {}", finding.kind(), finding.eventId(),
						(finding.category() != null) ? finding.category() : finding.customerId(), finding.problems()));
		}
		return new Report(consistent, now, eventId, checked, findings);
	}

	/**
	 * @param consistent true when every counter equals what the rows say
	 * @param checkedAt the instant holds were judged expired at
	 * @param eventId the event checked, or null for all
	 * @param checked how many subjects (pools, tallies, ...) were compared
	 * @param findings for one event every subject; for all events the inconsistent ones
	 */
	public record Report(boolean consistent, Instant checkedAt, @Nullable UUID eventId, int checked,
			List<Finding> findings) {

		public Report {
			findings = List.copyOf(findings);
		}

	}

}
