package io.boxoffice.booking.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.boxoffice.booking.BookingProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pace of a group-commit lane and why it refuses a request, without Spring or a
 * database: its worker runs on the calling thread, and a batch takes as long as it
 * sleeps.
 */
class LaneTest {

	private static final Duration MAX_WAIT = Duration.ofSeconds(1);

	private final List<List<String>> committed = new ArrayList<>();

	@Test
	void anIdleLaneTakesTheNextRequestEvenAfterASlowBatch() {
		Lane<String> lane = lane(256, Duration.ofMillis(1100));
		commit(lane, "first");

		assertThat(lane.paced()).isNull();
	}

	@Test
	void aRequestBehindABatchSlowerThanMaxWaitIsRefusedAsStalled() {
		Lane<String> lane = lane(256, Duration.ofMillis(1100));
		commit(lane, "first");
		lane.offer("queued");

		assertThat(lane.paced()).isEqualTo(Lane.Refusal.STALLED);
		assertThat(lane.reason()).isEqualTo(Lane.Refusal.STALLED);
	}

	@Test
	void aRequestBehindTooManyQuickBatchesIsRefusedAsOverloaded() {
		Lane<String> lane = lane(1, Duration.ofMillis(300));
		commit(lane, "first");
		lane.offer("second");

		assertThat(lane.paced()).as("one batch of 300 ms ahead, then its own").isNull();

		lane.offer("third");
		lane.offer("fourth");
		lane.offer("fifth");

		assertThat(lane.paced()).as("four batches of 300 ms ahead, then its own").isEqualTo(Lane.Refusal.OVERLOADED);
		assertThat(lane.reason()).isEqualTo(Lane.Refusal.OVERLOADED);
		assertThat(this.committed).containsExactly(List.of("first"));
	}

	@Test
	void aLaneWhoseLastCommitFailedIsStalledAtAnyPace() {
		Lane<String> lane = lane(1, Duration.ofMillis(300));
		commit(lane, "first");
		lane.failing(true);
		lane.offer("second");

		assertThat(lane.paced()).as("within the pace: it queues, and its batch tries the database again").isNull();

		lane.offer("third");
		lane.offer("fourth");
		lane.offer("fifth");

		assertThat(lane.paced()).isEqualTo(Lane.Refusal.STALLED);
		assertThat(lane.reason()).isEqualTo(Lane.Refusal.STALLED);
	}

	private Lane<String> lane(int maxSize, Duration batchTakes) {
		return new Lane<>(UUID.randomUUID(), new BookingProperties.Batch(maxSize, MAX_WAIT, 100), () -> Runnable::run,
				(lane, batch) -> {
					sleep(batchTakes);
					this.committed.add(List.copyOf(batch));
				}, (batch, ex) -> {
					throw new AssertionError("no batch fails here", ex);
				});
	}

	/** Queues the request and runs the lane's worker until its queue is empty. */
	private static void commit(Lane<String> lane, String request) {
		assertThat(lane.offer(request)).isTrue();
		lane.wake();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
