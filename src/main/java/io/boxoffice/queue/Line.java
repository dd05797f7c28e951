package io.boxoffice.queue;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.event.QueueSettings;
import org.jspecify.annotations.Nullable;

/**
 * An event's line as this instance last read it from the database (every admission step):
 * the waiting buyers' positions and the admitted buyers' passes, so that reading a place
 * and checking a pass cost no round trip. It lags the database by at most one step.
 *
 * @param positions the waiting buyers with a place, by position (1 = next)
 * @param lastLatePlace the highest place of a later joiner among them (0 for none)
 * @param unplaced early joiners waiting for the shuffle at sales open
 * @param passes the admitted buyers' passes by buyer; a pass this instance learned of
 * since is added
 * @param turnsPerSecond turns ended per second over the last minute
 */
record Line(UUID eventId, QueueSettings settings, Map<UUID, Integer> positions, long lastLatePlace, long unplaced,
		Map<UUID, Instant> passes, long done, double turnsPerSecond, Instant readAt) {

	long waiting() {
		return this.positions.size() + this.unplaced;
	}

	/**
	 * The admitted buyers: never more than the cap, which the database keeps; the passes
	 * here can briefly count more, a turn that ended through another instance among them.
	 */
	long active() {
		return Math.min(this.passes.size(), this.settings.maxActiveBuyers());
	}

	Line withPasses(Map<UUID, Instant> passes) {
		return new Line(this.eventId, this.settings, this.positions, this.lastLatePlace, this.unplaced, passes,
				this.done, this.turnsPerSecond, this.readAt);
	}

	/**
	 * Seconds until a buyer at {@code position} is admitted: the turns measured over the
	 * last minute, or before any ended, the slowest the queue can go (every buyer keeps
	 * the pass to its end).
	 */
	long estimatedWaitSeconds(long position) {
		double rate = (this.turnsPerSecond > 0) ? this.turnsPerSecond
				: (double) this.settings.maxActiveBuyers() / this.settings.passTtlSeconds();
		return (long) Math.ceil(position / rate);
	}

	@Nullable Instant pass(UUID customerId) {
		return this.passes.get(customerId);
	}

}
