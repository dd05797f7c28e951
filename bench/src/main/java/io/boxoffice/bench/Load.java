package io.boxoffice.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.BasicHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.config.Lookup;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * A closed-loop HTTP load generator: {@code connections} clients, each on its own virtual thread
 * with one keep-alive connection, each sending its next one-ticket booking as soon as the last is
 * answered, round-robin over the instances. Latency is measured per answer, split by outcome.
 * <p>
 * Each client is a blocking Apache HttpClient (classic API) with a connection manager of its own
 * that holds exactly one connection, rather than the JDK's {@code HttpClient}: the generator
 * shares two cores with the service and PostgreSQL, and that client spends much CPU per request
 * and funnels every connection through one selector thread, which chokes at a thousand
 * connections. A virtual thread blocked on a socket costs nothing while it waits, and with one
 * manager per client no lock or pool is shared between clients.
 */
final class Load {

	/** One general-admission ticket: the flash-sale request. */
	static final Supplier<String> ONE_TICKET = () -> "{\"items\":[{\"category\":\"GA\",\"quantity\":1}]}";

	/** The longest latency the histograms hold; a longer one is recorded as this. */
	private static final long LONGEST_NANOS = TimeUnit.SECONDS.toNanos(60);

	// A server that stops answering ends in an error, not a hung bench.
	private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(10);

	private static final Timeout RESPONSE_TIMEOUT = Timeout.ofSeconds(60);

	/** The pause after an error, so that a dead or refusing server is not retried in a hot loop. */
	private static final Duration ERROR_BACKOFF = Duration.ofMillis(10);

	private static final ConnectionConfig CONNECTION = ConnectionConfig.custom()
		.setConnectTimeout(CONNECT_TIMEOUT)
		.setSocketTimeout(RESPONSE_TIMEOUT)
		.build();

	private static final RequestConfig REQUEST = RequestConfig.custom().setResponseTimeout(RESPONSE_TIMEOUT).build();

	/**
	 * Each connection allocates its input and output buffers when it opens, 32 KB each by default;
	 * a response here is well under 1 KB, and under overload every 503 costs a new connection.
	 */
	private static final ManagedHttpClientConnectionFactory CONNECTIONS = ManagedHttpClientConnectionFactory.builder()
		.http1Config(Http1Config.custom().setBufferSize(4096).build())
		.build();

	/** Plain HTTP only: the default manager would build an SSLContext for every client. */
	private static final Lookup<TlsSocketStrategy> NO_TLS = RegistryBuilder.<TlsSocketStrategy>create().build();

	/**
	 * Used only to read a 503's {@code Retry-After} (seconds or an HTTP date; none is no wait):
	 * the clients never retry on their own.
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
			double lastBookedSeconds) {

		long bookedCount() {
			return this.booked.getTotalCount();
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
		Tally tally = new Tally();
		long start = System.nanoTime();
		long deadline = start + duration.toNanos();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			URI target = URI.create(
					"http://127.0.0.1:" + ports.get(i % ports.size()) + "/api/v1/events/" + eventId + "/bookings");
			Client client = new Client(target, "Bearer " + token, bodies, clients, tally, deadline);
			threads.add(Thread.ofVirtual().name("load-" + i).start(client::run));
		}
		for (Thread thread : threads) {
			thread.join();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		long lastBooked = tally.lastBooked.get();
		double lastBookedSeconds = (lastBooked == 0) ? seconds : (lastBooked - start) / 1e9;
		return new Measured(tally.booked, tally.refused, tally.shed, tally.errors.sum(), seconds, lastBookedSeconds);
	}

	/** What all clients of a run measured. */
	private static final class Tally {

		final Histogram booked = new ConcurrentHistogram(LONGEST_NANOS, 3);

		final Histogram refused = new ConcurrentHistogram(LONGEST_NANOS, 3);

		final Histogram shed = new ConcurrentHistogram(LONGEST_NANOS, 3);

		final LongAdder errors = new LongAdder();

		final AtomicLong lastBooked = new AtomicLong();

		void record(int status, long nanos) {
			long took = Math.min(nanos, LONGEST_NANOS);
			switch (status) {
				case 201 -> {
					this.booked.recordValue(took);
					this.lastBooked.accumulateAndGet(System.nanoTime(), Math::max);
				}
				case 409 -> this.refused.recordValue(took);
				case 503 -> this.shed.recordValue(took);
				default -> this.errors.increment();
			}
		}

	}

	/**
	 * One buyer in a closed loop on one keep-alive connection, which its connection manager opens
	 * again whenever the server has closed it (Tomcat closes after every 503, for one).
	 */
	private static final class Client {

		private final URI target;

		private final String authorization;

		private final Supplier<String> bodies;

		private final Clients behaviour;

		private final Tally tally;

		private final long deadline;

		/** The last body and its entity: the same body (the one-ticket case) is not encoded again. */
		private String lastBody;

		private StringEntity lastEntity;

		/** When the current request started to go out, after any connecting. */
		private long sent;

		Client(URI target, String authorization, Supplier<String> bodies, Clients behaviour, Tally tally,
				long deadline) {
			this.target = target;
			this.authorization = authorization;
			this.bodies = bodies;
			this.behaviour = behaviour;
			this.tally = tally;
			this.deadline = deadline;
		}

		void run() {
			try (CloseableHttpClient http = http()) {
				while (System.nanoTime() < this.deadline) {
					HttpPost post = new HttpPost(this.target);
					post.setHeader(HttpHeaders.AUTHORIZATION, this.authorization);
					post.setEntity(entity(this.bodies.get()));
					try {
						pause(http.execute(post, this::measure));
					}
					catch (IOException ex) {
						this.tally.errors.increment();
						pause(ERROR_BACKOFF.toNanos());
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (IOException ex) {
				// Only closing the client throws here, after the last measurement.
			}
		}

		/**
		 * A client of its own with a single-connection manager: one connection per buyer, reused
		 * while the server keeps it alive. Everything a load generator does not need is off, retries
		 * above all: a retried request would hide an error and measure two requests as one.
		 */
		private CloseableHttpClient http() {
			BasicHttpClientConnectionManager connection = BasicHttpClientConnectionManager.create(NO_TLS, CONNECTIONS);
			connection.setConnectionConfig(CONNECTION);
			return HttpClients.custom()
				.setConnectionManager(connection)
				.setDefaultRequestConfig(REQUEST)
				// Between connecting and sending: connecting is no part of the latency.
				.addExecInterceptorBefore(ChainElement.MAIN_TRANSPORT.name(), "clock", this::startClock)
				.disableAutomaticRetries()
				.disableRedirectHandling()
				.disableCookieManagement()
				.disableContentCompression()
				.disableAuthCaching()
				.disableConnectionState()
				.disableDefaultUserAgent()
				.build();
		}

		private ClassicHttpResponse startClock(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
				throws IOException, HttpException {
			this.sent = System.nanoTime();
			return chain.proceed(request, scope);
		}

		/**
		 * Reads the whole response, records how long it took, and returns how many nanoseconds to
		 * wait before the next request.
		 */
		private long measure(ClassicHttpResponse response) throws IOException {
			HttpEntity body = response.getEntity();
			if (body != null) {
				// Read to the end: EntityUtils.consume only closes the stream, which stops short of a
				// body that runs to the connection's close.
				body.writeTo(OutputStream.nullOutputStream());
			}
			int status = response.getCode();
			this.tally.record(status, System.nanoTime() - this.sent);
			if (status == HttpStatus.SC_SERVICE_UNAVAILABLE && this.behaviour == Clients.HONOUR_RETRY_AFTER) {
				return RETRY_AFTER.getRetryInterval(response, 1, HttpClientContext.create()).toNanoseconds();
			}
			return 0;
		}

		private StringEntity entity(String body) {
			if (body != this.lastBody) {
				this.lastEntity = new StringEntity(body, ContentType.APPLICATION_JSON);
				this.lastBody = body;
			}
			return this.lastEntity;
		}

		/** Sleeps, but not past the end of the run. */
		private void pause(long nanos) throws InterruptedException {
			long wait = Math.min(nanos, this.deadline - System.nanoTime());
			if (wait > 0) {
				Thread.sleep(Duration.ofNanos(wait));
			}
		}

	}

}
