package io.boxoffice.waitlist;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The waiting list in the metrics: entries waiting (read from the database, so the same
 * on every instance), and offers made, accepted and expired by this instance, each
 * counted once its transaction committed.
 */
@Component
class WaitlistMetrics {

	private final Counter made;

	private final Counter accepted;

	private final Counter expired;

	WaitlistMetrics(MeterRegistry registry, EntryRepository entries) {
		Gauge.builder("boxoffice.waitlist.waiting", entries, EntryRepository::countWaiting)
			.description("Waiting-list entries still waiting, on every instance together")
			.register(registry);
		this.made = offers(registry, "made", "Waiting-list offers made: holds of returned tickets");
		this.accepted = offers(registry, "accepted", "Waiting-list offers whose hold was confirmed");
		this.expired = offers(registry, "expired", "Waiting-list offers that lapsed, their tickets offered on");
	}

	private static Counter offers(MeterRegistry registry, String outcome, String description) {
		return Counter.builder("boxoffice.waitlist.offers")
			.tag("outcome", outcome)
			.description(description)
			.register(registry);
	}

	void made(int offers) {
		afterCommit(this.made, offers);
	}

	void accepted(int offers) {
		afterCommit(this.accepted, offers);
	}

	void expired(int offers) {
		afterCommit(this.expired, offers);
	}

	private static void afterCommit(Counter counter, int amount) {
		if (amount == 0) {
			return;
		}
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			counter.increment(amount);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				counter.increment(amount);
			}
		});
	}

}
