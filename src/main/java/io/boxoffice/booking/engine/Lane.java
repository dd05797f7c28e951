package io.boxoffice.booking.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import io.boxoffice.booking.BookingProperties;
import org.jspecify.annotations.Nullable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue of one event's group-commit lane and its single worker, which exists only
 * while there is work: it takes what has queued up, at most {@code max-size}, hands it
 * over as one batch, and goes on until the queue is empty. It also keeps the pace of its
 * batches, by which a request that would wait past {@code max-wait} is refused before it
 * queues.
 *
 * @param <T> a request waiting for its batch
 */
final class Lane<T> {

	private static final Logger log = LoggerFactory.getLogger(Lane.class);

	private final UUID eventId;

	private final ArrayBlockingQueue<T> queue;

	private final int maxSize;

	private final long maxWaitNanos;

	private final Supplier<Executor> workers;

	private final BiConsumer<Lane<T>, List<T>> commit;

	private final BiConsumer<List<T>, RuntimeException> failed;

	private final AtomicBoolean running = new AtomicBoolean();

	/** Whether the last commit failed (until one succeeds). */
	private volatile boolean failing;

	/** How long the last batch took to commit. */
	private volatile long lastBatchNanos;

	/** When the batch in flight started, 0 when none is. */
	private volatile long batchStartedNanos;

	/**
	 * @param commit commits one batch and answers each of its requests
	 * @param failed answers the requests of a batch whose commit threw
	 */
	Lane(UUID eventId, BookingProperties.Batch batch, Supplier<Executor> workers, BiConsumer<Lane<T>, List<T>> commit,
			BiConsumer<List<T>, RuntimeException> failed) {
		this.eventId = eventId;
		this.queue = new ArrayBlockingQueue<>(batch.queueCapacity());
		this.maxSize = batch.maxSize();
		this.maxWaitNanos = batch.maxWait().toNanos();
		this.workers = workers;
		this.commit = commit;
		this.failed = failed;
	}

	UUID eventId() {
		return this.eventId;
	}

	/** Queues the request, or refuses it when the queue is full. */
	boolean offer(T request) {
		return this.queue.offer(request);
	}

	int queued() {
		return this.queue.size();
	}

	void failing(boolean failing) {
		this.failing = failing;
	}

	/** Starts the worker unless it runs already. */
	void wake() {
		if (this.running.compareAndSet(false, true)) {
			this.workers.get().execute(this::drain);
		}
	}

	/**
	 * Why a request is refused: the database is away or stuck (the last commit failed, or
	 * the last batch or the one in flight took longer than {@code max-wait}), or more
	 * buyers are waiting than the lane's pace serves within {@code max-wait}.
	 */
	enum Refusal {

		STALLED, OVERLOADED

	}

	/**
	 * Why a request queued now would wait past {@code max-wait}, or null when it would
	 * not: the batches ahead of it, each taking as long as the last one or the one in
	 * flight, whichever is longer. Judged on one reading of the lane's state, so that a
	 * batch ending in between cannot turn a stall into a crowd. An idle lane always takes
	 * the next request: its batch measures the pace again.
	 */
	@Nullable Refusal paced() {
		long started = this.batchStartedNanos;
		long last = this.lastBatchNanos;
		boolean failing = this.failing;
		if (started == 0 && this.queue.isEmpty()) {
			return null;
		}
		long inFlight = (started != 0) ? System.nanoTime() - started : 0;
		int batchesAhead = this.queue.size() / this.maxSize + 1;
		if (Math.max(last, inFlight) * batchesAhead <= this.maxWaitNanos) {
			return null;
		}
		return reason(failing, last, inFlight);
	}

	/** Why a request refused for another cause (a full queue, a shutdown) is refused. */
	Refusal reason() {
		long started = this.batchStartedNanos;
		return reason(this.failing, this.lastBatchNanos, (started != 0) ? System.nanoTime() - started : 0);
	}

	private Refusal reason(boolean failing, long lastBatch, long inFlight) {
		return (failing || lastBatch > this.maxWaitNanos || inFlight > this.maxWaitNanos) ? Refusal.STALLED
				: Refusal.OVERLOADED;
	}

	boolean busy() {
		return this.running.get() || !this.queue.isEmpty();
	}

	private void drain() {
		while (true) {
			List<T> batch = new ArrayList<>(this.maxSize);
			this.queue.drainTo(batch, this.maxSize);
			if (batch.isEmpty()) {
				this.running.set(false);
				// a request may have arrived between the drain and the flag
				if (this.queue.isEmpty() || !this.running.compareAndSet(false, true)) {
					return;
				}
				continue;
			}
			long started = System.nanoTime();
			this.batchStartedNanos = started;
			try {
				this.commit.accept(this, batch);
			}
			catch (RuntimeException ex) {
				log.error("Group commit worker failed for event {}", this.eventId, ex);
				this.failed.accept(batch, ex);
			}
			finally {
				this.lastBatchNanos = System.nanoTime() - started;
				this.batchStartedNanos = 0;
			}
		}
	}

}
