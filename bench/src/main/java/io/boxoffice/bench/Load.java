package io.boxoffice.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import com.sun.management.OperatingSystemMXBean;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * A closed-loop HTTP load generator: {@code connections} buyers, each sending its next one-ticket
 * booking as soon as the last is answered, round-robin over the instances, on at most one
 * keep-alive connection each. Latency is measured per answer, split by outcome.
 * <p>
 * The buyers share one Apache HttpClient of the asynchronous kind: a non-blocking I/O reactor on
 * one thread per core drives every connection, and a buyer is a callback, not a thread. The
 * generator shares two cores with the service and PostgreSQL; a thread per buyer (the classic
 * client on virtual threads, which this replaced) spent more of them, and with a thousand buyers
 * an answer waited for a free core before its latency was taken, which widened the tail it
 * measured (p99 368-425 ms at 1,024 connections where {@code wrk} saw 185-225 ms).
 */
final class Load {

	/** Bodies of requests that are told each answer, to choose the next body by what was learnt. */
	interface Learning extends Supplier<String> {

		void answered(String body, int status, String answer);

	}

	/** One general-admission ticket: the flash-sale request. */
	static final Supplier<String> ONE_TICKET = () -> "{\"items\":[{\"category\":\"GA\",\"quantity\":1}]}";

	/** The longest latency the histograms hold; a longer one is recorded as this. */
	private static final long LONGEST_NANOS = TimeUnit.SECONDS.toNanos(60);

	// A server that stops answering ends in an error, not a hung bench.
	private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(10);

	private static final Timeout RESPONSE_TIMEOUT = Timeout.ofSeconds(60);

	/** The pause after an error, so that a dead or refusing server is not retried in a hot loop. */
	private static final Duration ERROR_BACKOFF = Duration.ofMillis(10);

	private static final OperatingSystemMXBean OWN = (OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	/** The id of a hold in its JSON answer, its first field. */
	private static final java.util.regex.Pattern HOLD_ID = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

	/** When a request started to go out, after any connecting: an attribute of its context. */
	private static final String SENT = "boxoffice.sent";

	/**
	 * Used only to read a 503's {@code Retry-After} (seconds or an HTTP date; none is no wait):
	 * the client never retries on its own.
	 */
	private static final DefaultHttpRequestRetryStrategy RETRY_AFTER = new DefaultHttpRequestRetryStrategy(0,
			TimeValue.ZERO_MILLISECONDS);

	/** How clients answer a {@code 503} that carries {@code Retry-After}. */
	enum Clients {

		/** Sends the next request at once, 503 or not: a crowd pressing reload. */
		RESEND_AT_ONCE("resend"),

		/**
		 * Waits the {@code Retry-After} of a 503 before its next request, as a buyer's app or a
		 * queue page does. The wait is no part of any latency.
		 */
		HONOUR_RETRY_AFTER("back off");

		private final String label;

		Clients(String label) {
			this.label = label;
		}

		String label() {
			return this.label;
		}

	}

	private Load() {
	}

	/**
	 * @param lastBookedSeconds when, after the start, the last request was booked: a sale that
	 * sells out early is measured up to then
	 */
	record Measured(Histogram booked, Histogram refused, Histogram shed, long errors, double seconds,
			double lastBookedSeconds, long cpuNanos, long[] bookedPerSecond) {

		long bookedCount() {
			return this.booked.getTotalCount();
		}

		/**
		 * The generator's own CPU time per answer, in microseconds: the share of the two cores it
		 * took from the service.
		 */
		double cpuMicrosPerAnswer() {
			long answers = this.booked.getTotalCount() + this.refused.getTotalCount() + this.shed.getTotalCount()
					+ this.errors;
			return (answers == 0) ? 0 : this.cpuNanos / 1e3 / answers;
		}

	}

	static Measured run(List<Integer> ports, String token, String eventId, int connections, Duration duration)
			throws InterruptedException {
		return run(ports, token, eventId, connections, duration, ONE_TICKET, Clients.RESEND_AT_ONCE);
	}

	/** Like {@link #run(List, String, String, int, Duration)}, each request with a body of its own. */
	static Measured run(List<Integer> ports, String token, String eventId, int connections, Duration duration,
			Supplier<String> bodies) throws InterruptedException {
		return run(ports, token, eventId, connections, duration, bodies, Clients.RESEND_AT_ONCE);
	}

	/** Like {@link #run(List, String, String, int, Duration, Supplier)}, with the given client behaviour. */
	static Measured run(List<Integer> ports, String token, String eventId, int connections, Duration duration,
			Supplier<String> bodies, Clients clients) throws InterruptedException {
		return run(ports, token, eventId, connections, duration, bodies, clients, false);
	}

	/**
	 * Buyers that hold (a cart of {@code bodies}) and then confirm each hold they got: two requests
	 * per sale, each measured on its own.
	 */
	static Measured holdThenConfirm(List<Integer> ports, String token, String eventId, int connections,
			Duration duration, Supplier<String> bodies) throws InterruptedException {
		return run(ports, token, eventId, connections, duration, bodies, Clients.RESEND_AT_ONCE, true);
	}

	private static Measured run(List<Integer> ports, String token, String eventId, int connections,
			Duration duration, Supplier<String> bodies, Clients clients, boolean holdThenConfirm)
			throws InterruptedException {
		Tally tally = new Tally((int) Math.max(1, duration.toSeconds()));
		CountDownLatch finished = new CountDownLatch(connections);
		ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
		CloseableHttpAsyncClient http = http(connections);
		try {
			http.start();
			long cpu = OWN.getProcessCpuTime();
			long start = System.nanoTime();
			tally.start = start;
			long deadline = start + duration.toNanos();
			for (int i = 0; i < connections; i++) {
				String base = "http://127.0.0.1:" + ports.get(i % ports.size()) + "/api/v1/";
				URI target = URI.create(
						base + "events/" + eventId + (holdThenConfirm ? "/holds" : "/bookings"));
				new Buyer(http, later, target, holdThenConfirm ? base : null, "Bearer " + token, bodies, clients, tally,
						deadline, finished)
					.send();
			}
			finished.await();
			long cpuNanos = OWN.getProcessCpuTime() - cpu;
			double seconds = (System.nanoTime() - start) / 1e9;
			long lastBooked = tally.lastBooked.get();
			double lastBookedSeconds = (lastBooked == 0) ? seconds : (lastBooked - start) / 1e9;
			long[] perSecond = new long[tally.perSecond.length()];
			for (int i = 0; i < perSecond.length; i++) {
				perSecond[i] = tally.perSecond.get(i);
			}
			return new Measured(tally.booked, tally.refused, tally.shed, tally.errors.sum(), seconds,
					lastBookedSeconds, cpuNanos, perSecond);
		}
		finally {
			http.close(CloseMode.IMMEDIATE);
			later.shutdownNow();
		}
	}

	/**
	 * One client for all buyers, with as many connections as buyers, each reused while the server
	 * keeps it alive and opened again when it has closed it (Tomcat closes after every 503, for
	 * one). Everything a load generator does not need is off, retries above all: a retried request
	 * would hide an error and measure two requests as one.
	 */
	static CloseableHttpAsyncClient http(int connections) {
		ConnectionConfig connection = ConnectionConfig.custom()
			.setConnectTimeout(CONNECT_TIMEOUT)
			.setSocketTimeout(RESPONSE_TIMEOUT)
			.build();
		return HttpAsyncClients.custom()
			.setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
				.setMaxConnTotal(connections)
				.setMaxConnPerRoute(connections)
				.setDefaultConnectionConfig(connection)
				.build())
			.setIOReactorConfig(IOReactorConfig.custom().setSoTimeout(RESPONSE_TIMEOUT).build())
			// A response here is well under 1 KB; the default buffers are 8 KB a connection.
			.setHttp1Config(Http1Config.custom().setBufferSize(4096).build())
			.setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(RESPONSE_TIMEOUT).build())
			// Between connecting and sending: connecting is no part of the latency.
			.addExecInterceptorBefore(ChainElement.MAIN_TRANSPORT.name(), "clock", Load::startClock)
			.disableAutomaticRetries()
			.disableRedirectHandling()
			.disableCookieManagement()
			.disableContentCompression()
			.disableAuthCaching()
			.disableConnectionState()
			.build();
	}

	/** When the request of this context was written, after any wait for a connection and any connecting. */
	static long sentAt(HttpClientContext context) {
		return (Long) context.getAttribute(SENT);
	}

	/** This process's CPU time so far, all threads. */
	static long cpuNanos() {
		return OWN.getProcessCpuTime();
	}

	private static void startClock(HttpRequest request, AsyncEntityProducer entity, AsyncExecChain.Scope scope,
			AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
		scope.clientContext.setAttribute(SENT, System.nanoTime());
		chain.proceed(request, entity, scope, callback);
	}

	/** What all buyers of a run measured. */
	private static final class Tally {

		final Histogram booked = new ConcurrentHistogram(LONGEST_NANOS, 3);

		final Histogram refused = new ConcurrentHistogram(LONGEST_NANOS, 3);

		final Histogram shed = new ConcurrentHistogram(LONGEST_NANOS, 3);

		final LongAdder errors = new LongAdder();

		final AtomicLong lastBooked = new AtomicLong();

		/** Bookings answered in each second of the run (the last also holds any answered after it). */
		final AtomicLongArray perSecond;

		/** When the run started, as {@link System#nanoTime()}. */
		volatile long start;

		Tally(int seconds) {
			this.perSecond = new AtomicLongArray(seconds);
		}

		void record(int status, long nanos) {
			long took = Math.min(nanos, LONGEST_NANOS);
			switch (status) {
				case 201 -> {
					this.booked.recordValue(took);
					long now = System.nanoTime();
					this.lastBooked.accumulateAndGet(now, Math::max);
					int second = (int) Math.min(this.perSecond.length() - 1,
							Math.max(0, TimeUnit.NANOSECONDS.toSeconds(now - this.start)));
					this.perSecond.incrementAndGet(second);
				}
				case 409 -> this.refused.recordValue(took);
				case 503 -> this.shed.recordValue(took);
				default -> this.errors.increment();
			}
		}

	}

	/** One buyer in a closed loop: each answer, or each wait it asks for, sends the next request. */
	private static final class Buyer implements FutureCallback<SimpleHttpResponse> {

		private final CloseableHttpAsyncClient http;

		private final ScheduledExecutorService later;

		private final URI target;

		/** Where holds are confirmed, when the buyer holds and then confirms. */
		private final String confirmBase;

		/** The hold to confirm next, if any. */
		private String toConfirm;

		private final String authorization;

		private final Supplier<String> bodies;

		private final Clients behaviour;

		private final Tally tally;

		private final long deadline;

		private final CountDownLatch finished;

		/** The context of the request in flight, which holds when it was sent. */
		private HttpClientContext context;

		/** The body of the request in flight, if it has one. */
		private String body;

		Buyer(CloseableHttpAsyncClient http, ScheduledExecutorService later, URI target, String confirmBase,
				String authorization, Supplier<String> bodies, Clients behaviour, Tally tally, long deadline,
				CountDownLatch finished) {
			this.http = http;
			this.later = later;
			this.target = target;
			this.confirmBase = confirmBase;
			this.authorization = authorization;
			this.bodies = bodies;
			this.behaviour = behaviour;
			this.tally = tally;
			this.deadline = deadline;
			this.finished = finished;
		}

		void send() {
			if (System.nanoTime() >= this.deadline) {
				this.finished.countDown();
				return;
			}
			// a hold got is confirmed even past the deadline: the sale is not over until then
			this.body = (this.toConfirm != null) ? null : this.bodies.get();
			SimpleHttpRequest post = (this.body == null)
					? SimpleRequestBuilder.post(URI.create(this.confirmBase + "holds/" + this.toConfirm + "/confirm"))
						.setHeader(HttpHeaders.AUTHORIZATION, this.authorization)
						.build()
					: SimpleRequestBuilder.post(this.target)
						.setHeader(HttpHeaders.AUTHORIZATION, this.authorization)
						.setBody(this.body, ContentType.APPLICATION_JSON)
						.build();
			this.context = HttpClientContext.create();
			this.http.execute(SimpleRequestProducer.create(post), SimpleResponseConsumer.create(), null, this.context,
					this);
		}

		@Override
		public void completed(SimpleHttpResponse response) {
			Long sent = (Long) this.context.getAttribute(SENT);
			int status = response.getCode();
			this.tally.record(status, System.nanoTime() - sent);
			if (this.body != null && this.bodies instanceof Learning learning) {
				learning.answered(this.body, status, response.getBodyText());
			}
			if (this.confirmBase != null) {
				// after a hold, its confirmation; after a confirmation (or a refused hold), a new hold
				this.toConfirm = (this.toConfirm == null && status == HttpStatus.SC_CREATED)
						? holdId(response.getBodyText()) : null;
			}
			if (status == HttpStatus.SC_SERVICE_UNAVAILABLE && this.behaviour == Clients.HONOUR_RETRY_AFTER) {
				sendAfter(RETRY_AFTER.getRetryInterval(response, 1, this.context).toNanoseconds());
			}
			else {
				send();
			}
		}

		private static String holdId(String body) {
			java.util.regex.Matcher id = HOLD_ID.matcher(body);
			return id.find() ? id.group(1) : null;
		}

		@Override
		public void failed(Exception ex) {
			this.toConfirm = null;
			this.tally.errors.increment();
			sendAfter(ERROR_BACKOFF.toNanos());
		}

		@Override
		public void cancelled() {
			this.tally.errors.increment();
			this.finished.countDown();
		}

		/** Sends after a wait, but not past the end of the run. */
		private void sendAfter(long nanos) {
			long wait = Math.min(nanos, this.deadline - System.nanoTime());
			if (wait > 0) {
				this.later.schedule(this::send, wait, TimeUnit.NANOSECONDS);
			}
			else {
				send();
			}
		}

	}

}
