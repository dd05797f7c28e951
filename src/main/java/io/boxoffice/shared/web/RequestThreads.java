package io.boxoffice.shared.web;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.TaskThreadFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Where virtual threads are on, a request still starts on one of a bounded pool of
 * platform threads (Tomcat's own pool, as without virtual threads), and only on a virtual
 * thread when that many requests are already on the pool; {@code 0} puts every request on
 * a virtual thread. On two cores shared with PostgreSQL the cores stood idle a fifth of
 * the time in a flash sale at 64 connections with virtual threads only, against a
 * twentieth this way; likely because a sale's request waits for its batch's commit, and
 * woken virtual threads wait in turn for one of the few carrier threads (one per core).
 * Holds with confirmations sold 13 % more; the one-step sale sold the same, for more of
 * the service's CPU per ticket, as the operating system switches between the requests'
 * threads (docs/bench/results.md). Past the pool, requests go on as before: a crowd of
 * thousands waiting for its turn (the admission line, the on-sale queue's joins) waits on
 * virtual threads, which cost no platform thread each.
 */
@Component
@ConditionalOnThreading(Threading.VIRTUAL)
class RequestThreads
		implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered, DisposableBean {

	private final @Nullable PlatformFirst executor;

	RequestThreads(@Value("${boxoffice.web.platform-request-threads:200}") int threads) {
		this.executor = (threads > 0) ? new PlatformFirst(threads) : null;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		PlatformFirst platformFirst = this.executor;
		if (platformFirst != null) {
			factory.addProtocolHandlerCustomizers(handler -> handler.setExecutor(platformFirst));
		}
	}

	/** After Spring Boot's customizer, which gives Tomcat virtual threads only. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void destroy() {
		if (this.executor != null) {
			this.executor.shutdown();
		}
	}

	/**
	 * Up to {@code threads} tasks at once on Tomcat's pool of platform threads (started
	 * as needed, ended after a minute idle), any more on virtual threads.
	 */
	static final class PlatformFirst implements Executor {

		private final ThreadPoolExecutor platform;

		private final Executor overflow = new VirtualThreadExecutor("http-virtual-");

		private final int threads;

		/** Tasks given to the pool and not yet done, queued or running. */
		private final AtomicInteger onPlatform = new AtomicInteger();

		PlatformFirst(int threads) {
			this.threads = threads;
			TaskQueue queue = new TaskQueue();
			this.platform = new ThreadPoolExecutor(0, threads, 60, TimeUnit.SECONDS, queue,
					new TaskThreadFactory("http-", true, Thread.NORM_PRIORITY));
			queue.setParent(this.platform);
		}

		@Override
		public void execute(Runnable task) {
			if (this.onPlatform.incrementAndGet() > this.threads) {
				this.onPlatform.decrementAndGet();
				this.overflow.execute(task);
				return;
			}
			try {
				this.platform.execute(() -> {
					try {
						task.run();
					}
					finally {
						this.onPlatform.decrementAndGet();
					}
				});
			}
			catch (RejectedExecutionException stopped) {
				// the pool was shut down: the task never runs, its place is given back
				this.onPlatform.decrementAndGet();
				throw stopped;
			}
		}

		/** Tasks on the pool now, queued or running. */
		int onPlatform() {
			return this.onPlatform.get();
		}

		void shutdown() {
			this.platform.shutdown();
		}

	}

}
