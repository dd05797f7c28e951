package io.boxoffice.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Starts N real threads at one barrier and collects what each got. */
public final class Race {

	private Race() {
	}

	public static <T> List<T> run(int threads, IntFunction<T> task) {
		CyclicBarrier start = new CyclicBarrier(threads);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				int index = i;
				futures.add(pool.submit(() -> {
					start.await(30, TimeUnit.SECONDS);
					return task.apply(index);
				}));
			}
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(120, TimeUnit.SECONDS));
			}
			return results;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Race failed", ex);
		}
		finally {
			pool.shutdownNow();
		}
	}

}
