package io.boxoffice.booking;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.boxoffice.BoxofficeApplication;
import io.boxoffice.account.AccountService;
import io.boxoffice.booking.Views.BookingView;
import io.boxoffice.booking.Views.HoldView;
import io.boxoffice.booking.Views.Outcome;
import io.boxoffice.booking.consistency.ConsistencyCheck;
import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventInventory.Counts;
import io.boxoffice.event.EventService;
import io.boxoffice.event.NewEvent;
import io.boxoffice.event.NewEvent.NewCategory;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.Caller;
import io.boxoffice.shared.Role;
import io.boxoffice.support.MutableClock;
import io.boxoffice.support.TestDatabase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of hold, book, confirm, release, cancel and clock moves, run against
 * the real services on the real database and against a model a few lines long. After
 * every step the outcome is exactly what the model predicts, the availability equals the
 * model's, {@code capacity = available + held + sold} with none negative, no customer
 * passes the limit, and the consistency check finds the counters equal to the rows.
 */
class InventoryModelTest {

	private static final int TTL_SECONDS = 10;

	private static final MutableClock CLOCK = new MutableClock(
			Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS));

	private static @Nullable ConfigurableApplicationContext context;

	@Property(tries = 40)
	void salesFollowTheModel(@ForAll @IntRange(min = 2, max = 8) int capacity,
			@ForAll("limits") @Nullable Integer limit, @ForAll("operations") List<Op> operations) {
		Services services = services();
		UUID organizer = services.accounts.register(email(), "password-123", Role.ORGANIZER).id();
		List<UUID> customers = List.of(services.accounts.register(email(), "password-123", Role.CUSTOMER).id(),
				services.accounts.register(email(), "password-123", Role.CUSTOMER).id());
		Event event = services.events.create(organizer,
				new NewEvent("Model", null, Instant.parse("2031-01-01T19:00:00Z"), null, null, TTL_SECONDS, limit,
						List.of(new NewCategory("GA", "Standing", new BigDecimal("10.00"), "EUR", capacity, null))));
		Model model = new Model(capacity, limit);

		for (Op op : operations) {
			Instant now = CLOCK.instant();
			String expected;
			String actual;
			if (op instanceof Take take) {
				UUID customer = customers.get(take.customer());
				expected = model.refusal(take.customer(), take.quantity(), now);
				List<ItemRequest> items = List.of(new ItemRequest("GA", take.quantity(), null));
				actual = outcome(() -> {
					if (take.book()) {
						BookingView booking = created(services.bookings.book(customer, event.id(), items, null));
						model.bookings.add(new ModelBooking(booking.id(), take.customer(), take.quantity()));
					}
					else {
						HoldView hold = created(services.holds.hold(customer, event.id(), items, null));
						model.holds.add(new ModelHold(hold.id(), take.customer(), take.quantity(),
								now.plusSeconds(TTL_SECONDS)));
					}
				});
			}
			else if (op instanceof Confirm confirm) {
				if (model.holds.isEmpty()) {
					continue;
				}
				ModelHold hold = model.holds.get(confirm.index() % model.holds.size());
				expected = (hold.confirmed || hold.activeAt(now)) ? "OK" : "HOLD_EXPIRED";
				actual = outcome(() -> {
					BookingView booking = created(
							services.holds.confirm(customers.get(hold.customer), UUID.fromString(hold.id), null));
					if (!hold.confirmed) {
						hold.confirmed = true;
						model.bookings.add(new ModelBooking(booking.id(), hold.customer, hold.quantity));
					}
				});
			}
			else if (op instanceof Release release) {
				if (model.holds.isEmpty()) {
					continue;
				}
				ModelHold hold = model.holds.get(release.index() % model.holds.size());
				expected = hold.confirmed ? "HOLD_CONFIRMED" : "OK";
				actual = outcome(() -> {
					services.holds.release(customers.get(hold.customer), UUID.fromString(hold.id));
					hold.ended = true;
				});
			}
			else if (op instanceof Cancel cancel) {
				if (model.bookings.isEmpty()) {
					continue;
				}
				ModelBooking booking = model.bookings.get(cancel.index() % model.bookings.size());
				expected = "OK";
				actual = outcome(() -> {
					services.bookings.cancel(new Caller(customers.get(booking.customer), Role.CUSTOMER),
							UUID.fromString(booking.id));
					booking.cancelled = true;
				});
			}
			else {
				Advance advance = (Advance) op;
				CLOCK.advance(advance.seconds());
				expected = "OK";
				actual = "OK";
			}
			assertThat(actual).as("%s with %s", op, model).isEqualTo(expected);
			assertInvariants(services, event, model, CLOCK.instant());
		}
	}

	/**
	 * The same operations at one instant from several threads: outcomes depend on the
	 * interleaving, so no model predicts them one by one, but every outcome is one of the
	 * allowed answers, the counters equal the rows, nothing is oversold and no customer
	 * passes the limit.
	 */
	@Property(tries = 15)
	void concurrentSalesKeepTheInvariants(@ForAll @IntRange(min = 2, max = 8) int capacity,
			@ForAll("limits") @Nullable Integer limit, @ForAll("operations") List<Op> operations) {
		Services services = services();
		UUID organizer = services.accounts.register(email(), "password-123", Role.ORGANIZER).id();
		List<UUID> customers = List.of(services.accounts.register(email(), "password-123", Role.CUSTOMER).id(),
				services.accounts.register(email(), "password-123", Role.CUSTOMER).id());
		Event event = services.events.create(organizer,
				new NewEvent("Race", null, Instant.parse("2031-01-01T19:00:00Z"), null, null, TTL_SECONDS, limit,
						List.of(new NewCategory("GA", "Standing", new BigDecimal("10.00"), "EUR", capacity, null))));
		// something to confirm, release and cancel: one hold and one booking each, if
		// they fit
		List<String[]> holds = new ArrayList<>();
		List<String[]> bookings = new ArrayList<>();
		for (int c = 0; c < 2; c++) {
			UUID customer = customers.get(c);
			List<ItemRequest> one = List.of(new ItemRequest("GA", 1, null));
			outcome(() -> holds.add(new String[] { customer.toString(),
					created(services.holds.hold(customer, event.id(), one, null)).id() }));
			outcome(() -> bookings.add(new String[] { customer.toString(),
					created(services.bookings.book(customer, event.id(), one, null)).id() }));
		}
		List<Op> batch = operations.subList(0, Math.min(8, operations.size()));

		List<String> outcomes = io.boxoffice.support.Race.run(batch.size(), i -> {
			Op op = batch.get(i);
			if (op instanceof Take take) {
				List<ItemRequest> items = List.of(new ItemRequest("GA", take.quantity(), null));
				UUID customer = customers.get(take.customer());
				return outcome(() -> {
					if (take.book()) {
						services.bookings.book(customer, event.id(), items, null);
					}
					else {
						services.holds.hold(customer, event.id(), items, null);
					}
				});
			}
			if (op instanceof Confirm confirm && !holds.isEmpty()) {
				String[] hold = holds.get(confirm.index() % holds.size());
				return outcome(() -> services.holds.confirm(UUID.fromString(hold[0]), UUID.fromString(hold[1]), null));
			}
			if (op instanceof Release release && !holds.isEmpty()) {
				String[] hold = holds.get(release.index() % holds.size());
				return outcome(() -> services.holds.release(UUID.fromString(hold[0]), UUID.fromString(hold[1])));
			}
			if (op instanceof Cancel cancel && !bookings.isEmpty()) {
				String[] booking = bookings.get(cancel.index() % bookings.size());
				return outcome(() -> services.bookings.cancel(new Caller(UUID.fromString(booking[0]), Role.CUSTOMER),
						UUID.fromString(booking[1])));
			}
			if (op instanceof Advance advance) {
				CLOCK.advance(advance.seconds());
			}
			return "OK";
		});

		assertThat(outcomes).isSubsetOf("OK", "SOLD_OUT", "LIMIT_EXCEEDED", "HOLD_EXPIRED", "HOLD_CONFIRMED");
		Counts counts = services.events.view(event.id()).counts(event.categories().get(0));
		assertThat(counts.capacity()).isEqualTo(capacity);
		assertThat(counts.available() + counts.held() + counts.sold()).isEqualTo(capacity);
		assertThat(counts.available()).isNotNegative();
		assertThat(counts.held()).isNotNegative();
		assertThat(counts.sold()).isNotNegative();
		ConsistencyCheck.Report report = services.consistency.run(event.id());
		assertThat(report.consistent()).as("%s", report).isTrue();
		if (limit != null) {
			report.findings()
				.stream()
				.filter(finding -> finding.kind().equals("customer-tally"))
				.forEach(tally -> assertThat(tally.rows().get("tickets")).isLessThanOrEqualTo(limit));
		}
	}

	/** A hold is expired at its expiry instant exactly, not a moment later. */
	@Example
	void aHoldStopsCountingAtItsExpiryInstant() {
		salesFollowTheModel(5, 2, List.of(new Take(0, 2, false), new Advance(10), new Take(0, 2, false), new Confirm(0),
				new Advance(5), new Take(1, 5, true)));
	}

	private static void assertInvariants(Services services, Event event, Model model, Instant now) {
		Category category = event.categories().get(0);
		Counts counts = services.events.view(event.id()).counts(category);
		assertThat(counts).isEqualTo(new Counts(model.capacity, model.capacity - model.held(now) - model.sold(),
				model.held(now), model.sold()));
		assertThat(counts.available()).isNotNegative();
		assertThat(counts.held()).isNotNegative();
		assertThat(counts.sold()).isNotNegative();
		if (model.limit != null) {
			for (int customer = 0; customer < 2; customer++) {
				assertThat(model.taken(customer, now)).isLessThanOrEqualTo(model.limit);
			}
		}
		ConsistencyCheck.Report report = services.consistency.run(event.id());
		assertThat(report.consistent()).as("%s", report).isTrue();
	}

	/** The new resource of an answer that is no replay: these calls send no key. */
	private static <V> V created(Outcome<V> outcome) {
		return ((Outcome.Created<V>) outcome).view();
	}

	private static String outcome(Runnable action) {
		try {
			action.run();
			return "OK";
		}
		catch (BoxofficeException ex) {
			return ex.code().name();
		}
	}

	@Provide
	Arbitrary<@Nullable Integer> limits() {
		return Arbitraries.integers().between(1, 5).injectNull(0.3);
	}

	@Provide
	Arbitrary<List<Op>> operations() {
		Arbitrary<Integer> customer = Arbitraries.integers().between(0, 1);
		Arbitrary<Integer> quantity = Arbitraries.integers().between(1, 3);
		Arbitrary<Integer> index = Arbitraries.integers().between(0, 50);
		Arbitrary<Op> op = Arbitraries.frequencyOf(
				Tuple.of(4, Combinators.combine(customer, quantity, Arbitraries.of(true, false)).as(Take::new)),
				Tuple.of(2, index.map(Confirm::new)), Tuple.of(1, index.map(Release::new)),
				Tuple.of(1, index.map(Cancel::new)),
				// steps that land on a hold's expiry instant exactly (10 s, 5 + 5) are
				// common
				Tuple.of(2, Arbitraries.of(1, 5, 10).map(Advance::new)));
		return op.list().ofMinSize(5).ofMaxSize(25);
	}

	sealed interface Op permits Take, Confirm, Release, Cancel, Advance {

	}

	/** A hold, or with {@code book} a booking in one step. */
	record Take(int customer, int quantity, boolean book) implements Op {
	}

	record Confirm(int index) implements Op {
	}

	record Release(int index) implements Op {
	}

	record Cancel(int index) implements Op {
	}

	record Advance(int seconds) implements Op {
	}

	static final class ModelHold {

		final String id;

		final int customer;

		final int quantity;

		final Instant expiresAt;

		boolean confirmed;

		boolean ended;

		ModelHold(String id, int customer, int quantity, Instant expiresAt) {
			this.id = id;
			this.customer = customer;
			this.quantity = quantity;
			this.expiresAt = expiresAt;
		}

		/** Expired at its expiry instant exactly, as the service has it. */
		boolean activeAt(Instant now) {
			return !this.confirmed && !this.ended && now.isBefore(this.expiresAt);
		}

		@Override
		public String toString() {
			return "hold(c" + this.customer + " x" + this.quantity + " until " + this.expiresAt
					+ (this.confirmed ? " confirmed" : "") + (this.ended ? " ended" : "") + ")";
		}

	}

	static final class ModelBooking {

		final String id;

		final int customer;

		final int quantity;

		boolean cancelled;

		ModelBooking(String id, int customer, int quantity) {
			this.id = id;
			this.customer = customer;
			this.quantity = quantity;
		}

		@Override
		public String toString() {
			return "booking(c" + this.customer + " x" + this.quantity + (this.cancelled ? " cancelled" : "") + ")";
		}

	}

	/** What the service must do, in a few lines. */
	static final class Model {

		final int capacity;

		final @Nullable Integer limit;

		final List<ModelHold> holds = new ArrayList<>();

		final List<ModelBooking> bookings = new ArrayList<>();

		Model(int capacity, @Nullable Integer limit) {
			this.capacity = capacity;
			this.limit = limit;
		}

		int held(Instant now) {
			return this.holds.stream().filter(h -> h.activeAt(now)).mapToInt(h -> h.quantity).sum();
		}

		int sold() {
			return this.bookings.stream().filter(b -> !b.cancelled).mapToInt(b -> b.quantity).sum();
		}

		int taken(int customer, Instant now) {
			return this.holds.stream()
				.filter(h -> h.customer == customer && h.activeAt(now))
				.mapToInt(h -> h.quantity)
				.sum()
					+ this.bookings.stream()
						.filter(b -> b.customer == customer && !b.cancelled)
						.mapToInt(b -> b.quantity)
						.sum();
		}

		/** The limit is checked before the inventory. */
		String refusal(int customer, int quantity, Instant now) {
			if (this.limit != null && taken(customer, now) + quantity > this.limit) {
				return "LIMIT_EXCEEDED";
			}
			if (quantity > this.capacity - held(now) - sold()) {
				return "SOLD_OUT";
			}
			return "OK";
		}

		@Override
		public String toString() {
			return "model(capacity " + this.capacity + ", limit " + this.limit + ", " + this.holds + ", "
					+ this.bookings + ")";
		}

	}

	private static String email() {
		return "model-" + UUID.randomUUID() + "@example.org";
	}

	private record Services(AccountService accounts, EventService events, HoldService holds, BookingService bookings,
			ConsistencyCheck consistency) {
	}

	/** One instance of the service for every try, with a clock the test moves. */
	private static synchronized Services services() {
		if (context == null) {
			String[] args = new String[TestDatabase.properties().length + 1];
			int i = 0;
			for (String property : TestDatabase.properties()) {
				args[i++] = "--" + property;
			}
			args[i] = "--server.port=0";
			context = new SpringApplicationBuilder(BoxofficeApplication.class)
				.initializers(ctx -> ctx.getBeanFactory().registerSingleton("clock", CLOCK))
				.run(args);
		}
		return new Services(context.getBean(AccountService.class), context.getBean(EventService.class),
				context.getBean(HoldService.class), context.getBean(BookingService.class),
				context.getBean(ConsistencyCheck.class));
	}

	@AfterContainer
	static synchronized void stop() {
		if (context != null) {
			context.close();
			context = null;
		}
	}

}
