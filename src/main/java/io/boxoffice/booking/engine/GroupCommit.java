package io.boxoffice.booking.engine;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.boxoffice.booking.BookingProperties;
import io.boxoffice.booking.Expiry;
import io.boxoffice.booking.ItemRequest;
import io.boxoffice.booking.Views.BookingView;
import io.boxoffice.booking.Views.HoldView;
import io.boxoffice.booking.Views.Outcome;
import io.boxoffice.booking.engine.Allotment.Ask;
import io.boxoffice.booking.engine.Allotment.Line;
import io.boxoffice.booking.engine.BatchTransaction.Result;
import io.boxoffice.booking.engine.Sales.Key;
import io.boxoffice.booking.inventory.Cart;
import io.boxoffice.booking.inventory.PoolRepository;
import io.boxoffice.booking.inventory.PoolRepository.PoolsMoved;
import io.boxoffice.booking.inventory.SeatRepository.Seat;
import io.boxoffice.booking.inventory.Seating;
import io.boxoffice.booking.store.HoldRepository;
import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventInventory.Counts;
import io.boxoffice.event.EventService;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Sql;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sale engine (the batched strategy): one lane per event. Holds, one-step bookings
 * (general admission, named seats, best-available seats, carts mixing them) and
 * confirmations of one event that arrive while its previous batch commits wait in a
 * bounded queue ({@link Lane}) and are then decided together in one transaction
 * ({@link BatchTransaction}, which lets the pure {@link Allotment} decide in arrival
 * order). Each request is answered after that commit with its own outcome; a failed
 * transaction fails every request in it and books nothing, and one whose COMMIT went
 * unacknowledged answers each request what became of it ({@link Commits}). A full queue
 * sheds a request at once with 503 OVERLOADED, which bounds the wait of accepted ones.
 *
 * <p>
 * In-memory state here is only a queue: the database still decides every sale (locked
 * pool counters, the unique index of seat claims), so any number of instances may batch
 * their own requests for the same event; a request that lost a seat to another instance
 * is decided again in the next batch.
 */
@Component
public class GroupCommit implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

	private static final int MAX_CACHED_EVENTS = 10_000;

	/**
	 * Batches a request may be decided in when it keeps losing its seats to other
	 * instances, before it answers OVERLOADED.
	 */
	private static final int MAX_ROUNDS = 20;

	private final EventService events;

	private final Sales sales;

	private final Seating seating;

	private final HoldRepository holds;

	private final BatchTransaction transaction;

	private final PoolRepository pools;

	private final Expiry expiry;

	private final TransactionTemplate tx;

	private final Commits commits;

	private final Clock clock;

	private final BookingProperties properties;

	private final Map<UUID, Lane<Pending>> lanes = new ConcurrentHashMap<>();

	/** Categories never change once published, so the shape of an event may be cached. */
	private final Map<UUID, Event> shapes = new ConcurrentHashMap<>();

	/**
	 * Created on start, shut down on stop: a context may be stopped and started again.
	 */
	private volatile ExecutorService workers = Executors.newCachedThreadPool(Daemons.named("group-commit-"));

	private final DistributionSummary batchSizes;

	private final Counter shed;

	private final Counter lostSeats;

	private final Counter poolsMoved;

	private volatile boolean accepting;

	GroupCommit(EventService events, Sales sales, Seating seating, HoldRepository holds, BatchTransaction transaction,
			PoolRepository pools, Expiry expiry, TransactionTemplate tx, Commits commits, Clock clock,
			BookingProperties properties, MeterRegistry meters) {
		this.events = events;
		this.sales = sales;
		this.seating = seating;
		this.holds = holds;
		this.transaction = transaction;
		this.pools = pools;
		this.expiry = expiry;
		this.tx = tx;
		this.commits = commits;
		this.clock = clock;
		this.properties = properties;
		this.batchSizes = DistributionSummary.builder("boxoffice.batch.size")
			.description("Requests committed together by the batched strategy")
			.publishPercentileHistogram()
			.register(meters);
		this.shed = Counter.builder("boxoffice.batch.shed")
			.description("Requests refused with 503 OVERLOADED because the queue was full")
			.register(meters);
		this.lostSeats = Counter.builder("boxoffice.batch.lost.seats")
			.description("Requests decided again because another sale claimed one of their seats first")
			.register(meters);
		this.poolsMoved = Counter.builder("boxoffice.batch.pools.moved")
			.description("Batches run again with their pool locked because another sale took its tickets "
					+ "between the batch's read and its write")
			.register(meters);
		Gauge
			.builder("boxoffice.batch.queue.depth", this.lanes,
					lanes -> lanes.values().stream().mapToInt(Lane::queued).sum())
			.description("Requests waiting for a group commit")
			.register(meters);
	}

	/** Books in one step: any cart of the event. */
	public Outcome<BookingView> book(Order order) {
		Event event = shape(order.eventId());
		Ask ask = ask(event, order.customerId(), order.items());
		Key key = this.sales.key(order.idempotencyKey(), "book " + order.eventId(), order.items());
		return booking(submit(event.id(), Pending.book(ask, Sql.now(this.clock), key)));
	}

	/** Holds any cart of the event. */
	public Outcome<HoldView> hold(UUID customerId, UUID eventId, List<ItemRequest> items, @Nullable Key key) {
		Event event = shape(eventId);
		Ask ask = ask(event, customerId, items);
		Outcome<?> outcome = submit(event.id(), Pending.hold(ask, Sql.now(this.clock), key));
		if (outcome instanceof Outcome.Created<?> created) {
			return Outcome.created((HoldView) created.view());
		}
		return Outcome.replayed(((Outcome.Replayed<?>) outcome).replay());
	}

	/** Confirms a hold of the customer's for the event. */
	public Outcome<BookingView> confirm(UUID customerId, UUID eventId, UUID holdId, @Nullable Key key) {
		return booking(submit(eventId, Pending.confirm(customerId, holdId, Sql.now(this.clock), key)));
	}

	private static Outcome<BookingView> booking(Outcome<?> outcome) {
		if (outcome instanceof Outcome.Created<?> created) {
			return Outcome.created((BookingView) created.view());
		}
		return Outcome.replayed(((Outcome.Replayed<?>) outcome).replay());
	}

	/**
	 * The request's items checked against the event, named seats against its seat map (a
	 * bad request is answered at once, before it queues).
	 */
	private Ask ask(Event event, UUID customerId, List<ItemRequest> items) {
		Cart cart = Cart.of(event, items, this.properties);
		Map<Integer, List<Seat>> named = this.seating.resolve(event, cart);
		List<Line> lines = new ArrayList<>();
		for (int i = 0; i < cart.lines().size(); i++) {
			Cart.Line line = cart.lines().get(i);
			Category category = line.category();
			List<Seat> seats = named.get(i);
			if (seats != null) {
				UUID categoryId = seats.get(0).categoryId();
				lines.add(Line.seats(
						event.categories().stream().filter(c -> c.id().equals(categoryId)).findFirst().orElseThrow(),
						seats));
			}
			else if (category == null) {
				throw new IllegalStateException("A cart line has a category or seats");
			}
			else if (category.isReserved()) {
				lines.add(Line.best(category, line.quantity()));
			}
			else {
				lines.add(Line.pool(category, line.quantity()));
			}
		}
		return new Ask(customerId, List.copyOf(lines));
	}

	private Outcome<?> submit(UUID eventId, Pending pending) {
		Lane<Pending> lane = this.lanes.computeIfAbsent(eventId,
				id -> new Lane<>(id, this.properties.batch(), () -> this.workers, this::commit,
						(batch, ex) -> batch.forEach(failed -> failed.result.completeExceptionally(ex))));
		Lane.Refusal refusal = this.accepting ? lane.paced() : lane.reason();
		if (refusal == null && !lane.offer(pending)) {
			refusal = lane.reason();
		}
		if (refusal != null) {
			this.shed.increment();
			if (refusal == Lane.Refusal.STALLED) {
				throw new BoxofficeException(ErrorCode.UNAVAILABLE,
						"The database is not committing sales right now; nothing was booked");
			}
			throw new BoxofficeException(ErrorCode.OVERLOADED, "Too many buyers right now; nothing was booked");
		}
		lane.wake();
		try {
			return pending.result.join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
		}
	}

	/**
	 * The event's categories, read once per instance: the first buyers of a cold event
	 * wait for one query instead of all querying at once.
	 */
	private Event shape(UUID eventId) {
		Event event = this.shapes.get(eventId);
		if (event != null) {
			return event;
		}
		if (this.shapes.size() >= MAX_CACHED_EVENTS) {
			this.shapes.clear();
		}
		return this.shapes.computeIfAbsent(eventId, this.events::get);
	}

	/**
	 * Commits one batch, holds due for expiry expired first. Requests that lost a seat to
	 * another sale are decided again right after, in a batch of their own, with the
	 * requests their batch would have refused (maybe over the loser's seats). A refusal
	 * stands once every due hold was expired: when this expiry pass expired some, or a
	 * pool has more available than the batch left (the sweeper returned tickets in
	 * between), the refused requests are decided again, once.
	 */
	private void commit(Lane<Pending> lane, List<Pending> batch) {
		this.batchSizes.record(batch.size());
		expireIfDue(lane);
		List<Pending> toDecide = batch;
		boolean expired = false;
		while (!toDecide.isEmpty()) {
			Result result = commitOnce(lane, toDecide);
			Set<Pending> again = new HashSet<>();
			for (Pending lost : result.lost) {
				this.lostSeats.increment();
				if (++lost.rounds >= MAX_ROUNDS) {
					lost.result.completeExceptionally(new BoxofficeException(ErrorCode.OVERLOADED,
							"Too many buyers want the same seats at once; nothing was held, try again"));
				}
				else {
					again.add(lost);
				}
			}
			if (!result.lost.isEmpty()) {
				// a refusal may rest on what a loser was granted (its seats, its
				// customer's tally), which it took back: decided again with the losers
				again.addAll(result.refused.keySet());
			}
			else if (!result.refused.isEmpty()) {
				if (!expired && (expireIfDue(lane) > 0 || poolsGrew(lane, result.poolsLeft))) {
					again.addAll(result.refused.keySet());
				}
				else {
					result.refused.forEach((pending, error) -> pending.result.completeExceptionally(error));
				}
				expired = true;
			}
			// in arrival order, as they were decided first
			toDecide = toDecide.stream().filter(again::contains).toList();
		}
	}

	/**
	 * One transaction for the batch; answers every request it decides after the commit.
	 */
	private Result commitOnce(Lane<Pending> lane, List<Pending> batch) {
		Result result;
		try {
			result = commitGuarded(lane, batch);
		}
		catch (RuntimeException ex) {
			if (ex instanceof BoxofficeException unknown && unknown.code() == ErrorCode.OUTCOME_UNKNOWN) {
				log.warn("Group commit of {} requests for event {} went unacknowledged and its fate is unknown",
						batch.size(), lane.eventId());
			}
			else if (!(ex instanceof BoxofficeException)) {
				log.warn("Group commit of {} requests for event {} failed; none was booked", batch.size(),
						lane.eventId(), ex);
			}
			lane.failing(!(ex instanceof BoxofficeException refused) || refused.code().status().is5xxServerError());
			batch.forEach(pending -> pending.result.completeExceptionally(ex));
			return new Result();
		}
		lane.failing(false);
		result.answers.forEach(Runnable::run);
		return result;
	}

	/**
	 * The batch's transaction with its pool read unlocked and written last; if another
	 * sale took the pool's tickets in between, once more with the pool locked up front.
	 */
	private Result commitGuarded(Lane<Pending> lane, List<Pending> batch) {
		try {
			return this.commits.execute(this.tx, status -> this.transaction.run(lane.eventId(), batch, false));
		}
		catch (PoolsMoved moved) {
			this.poolsMoved.increment();
			return this.commits.execute(this.tx, status -> this.transaction.run(lane.eventId(), batch, true));
		}
	}

	/**
	 * Expires the event's due holds: before a batch reads, so that it sees their tickets
	 * and seats free, and before a refusal stands. One index probe when there are none.
	 * @return the holds expired
	 */
	private int expireIfDue(Lane<Pending> lane) {
		try {
			return this.holds.anyExpired(lane.eventId(), Sql.now(this.clock)) ? this.expiry.expireDue(lane.eventId())
					: 0;
		}
		catch (RuntimeException ex) {
			log.warn("Could not expire holds of event {}", lane.eventId(), ex);
			return 0;
		}
	}

	/**
	 * Whether a pool has more available now than the batch left: someone else (the
	 * sweeper, a release) returned tickets since the batch read it.
	 */
	private boolean poolsGrew(Lane<Pending> lane, Map<UUID, Integer> left) {
		if (left.isEmpty()) {
			return false;
		}
		Map<UUID, Counts> now = this.pools.counts(List.of(lane.eventId()), Sql.now(this.clock));
		return left.entrySet().stream().anyMatch(pool -> {
			Counts counts = now.get(pool.getKey());
			return counts != null && counts.available() > pool.getValue();
		});
	}

	@Override
	public void start() {
		if (this.workers.isShutdown()) {
			this.workers = Executors.newCachedThreadPool(Daemons.named("group-commit-"));
		}
		this.accepting = true;
	}

	/**
	 * Refuses new requests, then answers every accepted one before the database closes.
	 */
	@Override
	public void stop() {
		this.accepting = false;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (this.lanes.values().stream().anyMatch(Lane::busy) && System.nanoTime() < deadline) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		this.workers.shutdown();
	}

	@Override
	public boolean isRunning() {
		return this.accepting;
	}

	/**
	 * Stops once the web server's requests are done, before the database closes.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

}
