package io.boxoffice.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.RetryLaterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Writes (or reads) that many request threads ask for at once, made together: each thread
 * queues its item and waits for its answer, and one worker, running while there is work,
 * takes everything queued (at most {@code maxSize}) and handles it with one call (a write
 * in one transaction, a read in one statement). A burst of thousands of joins costs a few
 * commits, not thousands, and the worker's one connection serves them all.
 *
 * @param <T> an item to write
 * @param <R> its answer
 */
final class Batches<T, R> implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(Batches.class);

	private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	private final String name;

	private final ArrayBlockingQueue<Waiter<T, R>> queue;

	private final int maxSize;

	private final Duration maxWait;

	private final Function<List<T>, List<R>> write;

	private final ExecutorService worker;

	private final AtomicBoolean running = new AtomicBoolean();

	/**
	 * @param name what is written, for the worker's thread and the log
	 * @param write writes a batch and answers each item, in the order given
	 * @param maxWait how long a request waits for its answer before it is refused with
	 * 503 OVERLOADED (what it asked for may still be written: every write here may be
	 * asked again)
	 */
	Batches(String name, int capacity, int maxSize, Duration maxWait, Function<List<T>, List<R>> write) {
		this.name = name;
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.maxSize = maxSize;
		this.maxWait = maxWait;
		this.write = write;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("queue-" + name + "-");
		threads.setDaemon(true);
		this.worker = Executors.newSingleThreadExecutor(threads);
	}

	/** Queues the item, and waits for its batch to be written. */
	R submit(T item) {
		Waiter<T, R> waiter = new Waiter<>(item, new CompletableFuture<>());
		if (!this.queue.offer(waiter)) {
			throw new RetryLaterException(ErrorCode.OVERLOADED, "Too many requests at once; try again", RETRY_AFTER);
		}
		if (this.running.compareAndSet(false, true)) {
			this.worker.execute(this::drain);
		}
		try {
			return waiter.answer().get(this.maxWait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new RetryLaterException(ErrorCode.OVERLOADED, "Too many requests at once; try again", RETRY_AFTER);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RetryLaterException(ErrorCode.OVERLOADED, "Interrupted; try again", RETRY_AFTER);
		}
	}

	private void drain() {
		while (true) {
			List<Waiter<T, R>> batch = new ArrayList<>(this.maxSize);
			this.queue.drainTo(batch, this.maxSize);
			if (batch.isEmpty()) {
				this.running.set(false);
				// an item may have arrived between the drain and the flag
				if (this.queue.isEmpty() || !this.running.compareAndSet(false, true)) {
					return;
				}
				continue;
			}
			try {
				List<R> answers = this.write.apply(batch.stream().map(Waiter::item).toList());
				for (int i = 0; i < batch.size(); i++) {
					batch.get(i).answer().complete(answers.get(i));
				}
			}
			catch (RuntimeException ex) {
				log.warn("Writing a batch of {} {} failed: {}", batch.size(), this.name, ex.getMessage());
				batch.forEach(waiter -> waiter.answer().completeExceptionally(ex));
			}
		}
	}

	@Override
	public void close() {
		this.worker.shutdownNow();
	}

	private record Waiter<T, R>(T item, CompletableFuture<R> answer) {
	}

}
