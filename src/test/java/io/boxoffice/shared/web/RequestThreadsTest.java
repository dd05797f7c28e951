package io.boxoffice.shared.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.boxoffice.shared.web.RequestThreads.PlatformFirst;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Requests on platform threads up to the pool's size, past it on virtual threads. */
class RequestThreadsTest {

	private final PlatformFirst executor = new PlatformFirst(2);

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void stop() {
		this.release.countDown();
		this.executor.shutdown();
	}

	@Test
	void aThirdRequestWhileTwoAreOnThePoolRunsOnAVirtualThread() throws Exception {
		List<String> threads = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			threads.add(startWaiting().get(10, TimeUnit.SECONDS));
		}

		assertThat(threads.subList(0, 2)).allMatch(name -> name.matches("http-\\d+"));
		assertThat(threads.get(2)).matches("http-virtual-\\d+");
	}

	@Test
	void theNextRequestTakesThePoolAgainOnceOneOnItIsDone() throws Exception {
		startWaiting().get(10, TimeUnit.SECONDS);
		CompletableFuture<String> quick = new CompletableFuture<>();
		this.executor.execute(() -> quick.complete(Thread.currentThread().getName()));
		assertThat(quick.get(10, TimeUnit.SECONDS)).matches("http-\\d+");
		awaitOnPlatform(1);

		assertThat(startWaiting().get(10, TimeUnit.SECONDS)).matches("http-\\d+");
		assertThat(startWaiting().get(10, TimeUnit.SECONDS)).matches("http-virtual-\\d+");
	}

	@Test
	void aRequestRefusedByTheStoppedPoolGivesItsPlaceBack() {
		this.executor.shutdown();

		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> this.executor.execute(() -> {
		}));
		assertThat(this.executor.onPlatform()).isZero();
	}

	/** Starts a task that runs until the test ends; completes with its thread's name. */
	private CompletableFuture<String> startWaiting() {
		CompletableFuture<String> thread = new CompletableFuture<>();
		this.executor.execute(() -> {
			thread.complete(Thread.currentThread().getName());
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		return thread;
	}

	/**
	 * Waits until {@code tasks} are on the pool: those that ended have given theirs back.
	 */
	private void awaitOnPlatform(int tasks) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (this.executor.onPlatform() != tasks && System.nanoTime() < deadline) {
			Thread.sleep(1);
		}
		assertThat(this.executor.onPlatform()).isEqualTo(tasks);
	}

}
