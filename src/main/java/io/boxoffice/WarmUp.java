package io.boxoffice;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.boxoffice.account.AccountService;
import io.boxoffice.booking.SaleEngineWarmUp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Warms a freshly started instance up before it reports healthy and ready, for
 * {@code boxoffice.warm-up.duration}. For the first half it runs the sale engine's
 * batches in a transaction that is rolled back ({@link SaleEngineWarmUp}); for the second
 * it sends itself, over the loopback interface, the requests of a sale (one-step
 * bookings, holds, confirmations, availability) for events and holds that do not exist.
 * Each is answered 404 after the whole path a sale takes up to the database (the web
 * server, admission, authentication, the JSON body, validation, the event lookup, the
 * problem answer), so the JIT compiles that path before the first buyer comes, and
 * nothing is written.
 * <p>
 * It runs when the application is ready, before Spring Boot reports the readiness state
 * ACCEPTING_TRAFFIC; until it is done, this health indicator is OUT_OF_SERVICE, so
 * {@code /actuator/health} answers 503 and a load balancer sends no buyer yet.
 */
@Component
class WarmUp implements HealthIndicator {

	private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

	private static final String ONE_TICKET = "{\"items\":[{\"category\":\"GA\",\"quantity\":1}]}";

	/** Bookings, holds, confirmations, availability. */
	private static final int KINDS = 4;

	private final WarmUpProperties properties;

	private final AccountService accounts;

	private final SaleEngineWarmUp engine;

	private volatile boolean done;

	WarmUp(WarmUpProperties properties, AccountService accounts, SaleEngineWarmUp engine) {
		this.properties = properties;
		this.accounts = accounts;
		this.engine = engine;
		this.done = !properties.enabled() || properties.duration().isZero();
	}

	@Override
	public Health health() {
		return this.done ? Health.up().build() : Health.outOfService().build();
	}

	/**
	 * Runs on the thread that reports the application ready, which reports it
	 * ACCEPTING_TRAFFIC only after this returns.
	 */
	@EventListener
	void warmUp(ApplicationReadyEvent ready) {
		if (this.done) {
			return;
		}
		try {
			if (ready.getApplicationContext() instanceof WebServerApplicationContext web
					&& web.getWebServer().getPort() > 0) {
				run(web.getWebServer().getPort());
			}
		}
		catch (RuntimeException ex) {
			// a warm-up that failed leaves a slower start, not a broken instance
			log.warn("Warm-up failed; the instance starts cold", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.done = true;
		}
	}

	private void run(int port) throws InterruptedException {
		long engineStarted = System.nanoTime();
		int decided = this.engine.run(this.properties.duration().dividedBy(2));
		log.info("Warmed the sale engine up with {} bookings, rolled back, in {} ms", decided,
				(System.nanoTime() - engineStarted) / 1_000_000);
		String base = "http://127.0.0.1:" + port + "/api/v1/";
		String authorization = "Bearer " + this.accounts.warmUpToken();
		long started = System.nanoTime();
		long deadline = started + this.properties.duration().dividedBy(2).toNanos();
		LongAdder sent = new LongAdder();
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		ExecutorService clients = Executors.newFixedThreadPool(this.properties.clients(), (task) -> {
			Thread thread = new Thread(task, "warm-up");
			thread.setDaemon(true);
			return thread;
		});
		try {
			for (int i = 0; i < this.properties.clients(); i++) {
				clients.execute(() -> {
					// one request of each kind at least, however short the warm-up
					for (int n = 0; n < KINDS || System.nanoTime() < deadline; n++) {
						try {
							http.send(request(base, authorization, n), HttpResponse.BodyHandlers.discarding());
							sent.increment();
						}
						catch (IOException ex) {
							return;
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
							return;
						}
					}
				});
			}
		}
		finally {
			clients.shutdown();
			// each request has a timeout: the warm-up ends a little after its deadline
			if (!clients.awaitTermination(this.properties.duration().toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
				clients.shutdownNow();
			}
		}
		log.info("Warmed up with {} requests in {} ms", sent.sum(), (System.nanoTime() - started) / 1_000_000);
	}

	/**
	 * Mostly one-step bookings, as in a flash sale, among the other requests of a sale.
	 */
	private static HttpRequest request(String base, String authorization, int n) {
		String event = base + "events/" + UUID.randomUUID();
		HttpRequest.Builder request = switch (n % 8) {
			case 1 -> HttpRequest.newBuilder(URI.create(event + "/holds"))
				.POST(HttpRequest.BodyPublishers.ofString(ONE_TICKET));
			case 2 -> HttpRequest.newBuilder(URI.create(base + "holds/" + UUID.randomUUID() + "/confirm"))
				.POST(HttpRequest.BodyPublishers.noBody());
			case 3 -> HttpRequest.newBuilder(URI.create(event + "/availability")).GET();
			default -> HttpRequest.newBuilder(URI.create(event + "/bookings"))
				.POST(HttpRequest.BodyPublishers.ofString(ONE_TICKET));
		};
		return request.timeout(Duration.ofSeconds(5))
			.header("Content-Type", "application/json")
			.header("Authorization", authorization)
			.build();
	}

}
