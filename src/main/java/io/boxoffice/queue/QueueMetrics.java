package io.boxoffice.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The queue's meters. The gauges count every queued event's line as this instance last
 * read it (every instance reads the same database, so they agree); the counters count
 * what this instance did.
 */
@Component
class QueueMetrics {

	private final Counter admitted;

	private final Counter done;

	private final Counter left;

	private final Counter expired;

	private final Counter closed;

	private final Counter passFromMemory;

	private final Counter passFromDatabase;

	QueueMetrics(MeterRegistry meters, Lines lines) {
		Gauge.builder("boxoffice.queue.waiting", () -> lines.all().stream().mapToLong(Line::waiting).sum())
			.description("Buyers waiting in the queues of all events")
			.register(meters);
		Gauge.builder("boxoffice.queue.active", () -> lines.all().stream().mapToLong(Line::active).sum())
			.description("Buyers admitted to buy, all queued events together")
			.register(meters);
		this.admitted = Counter.builder("boxoffice.queue.admitted")
			.description("Buyers admitted by this instance's admission step (its rate: admitted per second)")
			.register(meters);
		this.done = turns(meters, "done");
		this.left = turns(meters, "left");
		this.expired = turns(meters, "expired");
		this.closed = Counter.builder("boxoffice.queue.closed")
			.description("Waiting buyers told CLOSED because nothing was left to sell")
			.register(meters);
		this.passFromMemory = passChecks(meters, "memory");
		this.passFromDatabase = passChecks(meters, "database");
	}

	private static Counter turns(MeterRegistry meters, String outcome) {
		return Counter.builder("boxoffice.queue.turns")
			.description("Turns ended, by outcome: done (booking confirmed), left, expired (pass)")
			.tag("outcome", outcome)
			.register(meters);
	}

	private static Counter passChecks(MeterRegistry meters, String source) {
		return Counter.builder("boxoffice.queue.pass.checks")
			.description("Sales of queued events checked for an admitted buyer, by where the answer came from")
			.tag("source", source)
			.register(meters);
	}

	void admitted(int count) {
		this.admitted.increment(count);
	}

	void done() {
		this.done.increment();
	}

	void left() {
		this.left.increment();
	}

	void expired(int count) {
		this.expired.increment(count);
	}

	void closed(int count) {
		this.closed.increment(count);
	}

	void passFromMemory() {
		this.passFromMemory.increment();
	}

	void passFromDatabase() {
		this.passFromDatabase.increment();
	}

}
