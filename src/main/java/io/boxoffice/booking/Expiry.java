package io.boxoffice.booking;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import io.boxoffice.booking.store.HoldRepository;
import io.boxoffice.shared.Sql;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns ACTIVE holds past their expiry into EXPIRED and returns their tickets. Reads
 * never need it (an expired hold counts as available at once); a sale short of tickets
 * calls it for its event, and a sweeper on every instance tidies up the rest.
 */
@Component
public class Expiry {

	private static final Logger log = LoggerFactory.getLogger(Expiry.class);

	private final HoldRepository holds;

	private final Returns returns;

	private final TransactionTemplate tx;

	private final Clock clock;

	private final BookingProperties properties;

	/** Holds expired, counted after their transaction committed. */
	private final Counter expiredHolds;

	Expiry(HoldRepository holds, Returns returns, TransactionTemplate tx, Clock clock, BookingProperties properties,
			MeterRegistry registry) {
		this.holds = holds;
		this.returns = returns;
		this.tx = tx;
		this.clock = clock;
		this.properties = properties;
		this.expiredHolds = Counter.builder("boxoffice.holds.expired")
			.description("Holds expired (by a sale short of tickets or by the sweeper)")
			.register(registry);
	}

	/** Expires every expired hold of the event, in transactions of its own. */
	public int expireDue(UUID eventId) {
		int total = 0;
		int expired;
		do {
			expired = this.tx.execute(status -> expire(
					this.holds.lockExpired(eventId, Sql.now(this.clock), this.properties.sweepBatch())));
			this.expiredHolds.increment(expired);
			total += expired;
		}
		while (expired == this.properties.sweepBatch());
		return total;
	}

	/** One batch of the sweeper: safe on every instance at once (SKIP LOCKED). */
	int sweepOnce() {
		int expired = this.tx
			.execute(status -> expire(this.holds.lockExpired(Sql.now(this.clock), this.properties.sweepBatch())));
		this.expiredHolds.increment(expired);
		return expired;
	}

	@Scheduled(fixedDelayString = "${boxoffice.booking.sweep-interval:PT5S}")
	void sweep() {
		try {
			int expired;
			do {
				expired = sweepOnce();
				if (expired > 0) {
					log.debug("Expired {} holds", expired);
				}
			}
			while (expired == this.properties.sweepBatch());
		}
		catch (RuntimeException ex) {
			log.warn("Hold sweeper failed; holds stay counted as available and it will run again", ex);
		}
	}

	private int expire(List<Hold> expired) {
		this.holds.setStatus(expired.stream().map(Hold::id).toList(), HoldStatus.EXPIRED);
		this.returns.heldTickets(expired, HoldStatus.EXPIRED);
		return expired.size();
	}

}
