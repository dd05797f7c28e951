package io.boxoffice.booking;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.boxoffice.BoxofficeApplication;
import io.boxoffice.booking.store.HoldRepository;
import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.Api;
import io.boxoffice.support.ClockedIntegrationTest;
import io.boxoffice.support.TestClock;
import io.boxoffice.support.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sale short of tickets because a hold that has expired is still counted as held, and
 * the sweeper expires that hold after the sale's attempt but before the sale's own expiry
 * pass, which then finds nothing to expire: the buyer must still get the free tickets,
 * never SOLD_OUT. The interleaving is forced, not hoped for: the sale's expiry pass first
 * lets the sweeper run to completion.
 */
class SweeperBetweenAttemptsTest {

	static final TestClock clock = TestClock.CLOCK;

	private ConfigurableApplicationContext service;

	@AfterEach
	void tearDown() {
		if (this.service != null) {
			this.service.close();
		}
	}

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource({ "batched, bookings", "conditional-update, bookings", "select-for-update, bookings", "batched, holds" })
	void refusalIsDecidedAfterTheSweeperReturnedTheTickets(String strategy, String sale) {
		clock.catchUp();
		this.service = new SpringApplicationBuilder(BoxofficeApplication.class)
			.initializers(new TestClock.Initializer(), new SweeperFirst.Initializer())
			.run(args(strategy));
		SweeperFirst expiry = this.service.getBean(SweeperFirst.class);
		Api api = new Api(((WebServerApplicationContext) this.service).getWebServer().getPort());
		String event = api.gaEvent(api.organizer(), 2, 60, null);
		String first = api.customer();
		String next = api.customer();
		Response hold = api.post("/api/v1/events/" + event + "/holds", first, Api.items("GA", 2)).expectStatus(201);
		clock.set(Instant.parse(hold.json().get("expiresAt").asString()));

		expiry.armed.set(true);
		Response answer = api.post("/api/v1/events/" + event + "/" + sale, next, Api.items("GA", 2));

		assertThat(expiry.armed).as("the sale's expiry pass ran").isFalse();
		assertThat(expiry.ownPass.get()).as("the sweeper, not the sale's own pass, expired the hold").isZero();
		assertThat(answer.status()).as(answer.body()).isEqualTo(201);
		assertThat(api.get("/api/v1/holds/" + hold.json().get("id").asString(), first)
			.expectStatus(200)
			.json()
			.get("status")
			.asString()).isEqualTo("EXPIRED");
		assertThat(api.counts(event, "GA"))
			.isEqualTo(sale.equals("holds") ? new Counts(2, 0, 2, 0) : new Counts(2, 0, 0, 2));
	}

	private static String[] args(String strategy) {
		List<String> args = new java.util.ArrayList<>();
		for (String property : TestDatabase.properties()) {
			args.add("--" + property);
		}
		args.add("--" + ClockedIntegrationTest.SWEEP_INTERVAL);
		args.add("--" + ClockedIntegrationTest.SWEEP_BATCH);
		args.add("--boxoffice.booking.strategy=" + strategy);
		args.add("--server.port=0");
		return args.toArray(String[]::new);
	}

	/**
	 * The service's expiry, except that when armed, a sale's expiry pass first lets the
	 * sweeper expire every due hold: the pass itself then finds none.
	 */
	static final class SweeperFirst extends Expiry {

		final AtomicBoolean armed = new AtomicBoolean();

		/** What the sale's own pass expired after the sweeper ran, -1 before. */
		final AtomicInteger ownPass = new AtomicInteger(-1);

		SweeperFirst(HoldRepository holds, Returns returns, TransactionTemplate tx, Clock clock,
				BookingProperties properties, MeterRegistry registry) {
			super(holds, returns, tx, clock, properties, registry);
		}

		@Override
		public int expireDue(UUID eventId) {
			if (this.armed.getAndSet(false)) {
				// every due hold of every event, as the sweeper does
				sweep();
				int expired = super.expireDue(eventId);
				this.ownPass.set(expired);
				return expired;
			}
			return super.expireDue(eventId);
		}

		/** Registers it as the primary expiry, beside the service's own. */
		static final class Initializer implements ApplicationContextInitializer<GenericApplicationContext> {

			@Override
			public void initialize(GenericApplicationContext context) {
				context.registerBean(SweeperFirst.class,
						() -> new SweeperFirst(context.getBean(HoldRepository.class), context.getBean(Returns.class),
								context.getBean(TransactionTemplate.class), context.getBean(Clock.class),
								context.getBean(BookingProperties.class), context.getBean(MeterRegistry.class)),
						definition -> definition.setPrimary(true));
			}

		}

	}

}
