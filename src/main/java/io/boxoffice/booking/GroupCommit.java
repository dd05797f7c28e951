package io.boxoffice.booking;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.boxoffice.booking.CustomerLimits.Tally;
import io.boxoffice.booking.Idempotency.Claim;
import io.boxoffice.booking.Idempotency.KeyOf;
import io.boxoffice.booking.Sales.Key;
import io.boxoffice.booking.Views.BookingView;
import io.boxoffice.booking.Views.Outcome;
import io.boxoffice.booking.Views.Replay;
import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
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

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The batched strategy: group commit per general-admission pool. Requests for one pool
 * that arrive while its previous transaction commits wait in a bounded queue and are then
 * committed together: one guarded update by the batch total (or, when not all fit, a
 * grant in arrival order under the row lock) and one multi-row insert. Each request is
 * answered after that commit with its own outcome; a failed transaction fails every
 * request in it and books nothing. A full queue sheds a request at once with 503
 * OVERLOADED, which bounds the wait of accepted ones.
 *
 * <p>
 * In-memory state here is only a queue: the database still decides every sale, so any
 * number of instances may batch their own requests for the same pool.
 */
@Component
class GroupCommit implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

	private static final int MAX_CACHED_EVENTS = 10_000;

	private final EventService events;

	private final Sales sales;

	private final Idempotency idempotency;

	private final JsonMapper json;

	private final CustomerLimits limits;

	private final PoolRepository pools;

	private final BookingRepository bookings;

	private final Expiry expiry;

	private final TransactionTemplate tx;

	private final Clock clock;

	private final BookingProperties properties;

	private final Map<UUID, Lane> lanes = new ConcurrentHashMap<>();

	/** Categories never change once published, so the shape of an event may be cached. */
	private final Map<UUID, Event> shapes = new ConcurrentHashMap<>();

	/**
	 * Created on start, shut down on stop: a context may be stopped and started again.
	 */
	private volatile ExecutorService workers = Executors.newCachedThreadPool(new WorkerThreads());

	private final DistributionSummary batchSizes;

	private final Counter shed;

	private volatile boolean accepting;

	GroupCommit(EventService events, Sales sales, Idempotency idempotency, JsonMapper json, CustomerLimits limits,
			PoolRepository pools, BookingRepository bookings, Expiry expiry, TransactionTemplate tx, Clock clock,
			BookingProperties properties, MeterRegistry meters) {
		this.events = events;
		this.sales = sales;
		this.idempotency = idempotency;
		this.json = json;
		this.limits = limits;
		this.pools = pools;
		this.bookings = bookings;
		this.expiry = expiry;
		this.tx = tx;
		this.clock = clock;
		this.properties = properties;
		this.batchSizes = DistributionSummary.builder("boxoffice.batch.size")
			.description("Requests committed together by the batched strategy")
			.publishPercentileHistogram()
			.register(meters);
		this.shed = Counter.builder("boxoffice.batch.shed")
			.description("Requests refused with 503 OVERLOADED because the queue was full")
			.register(meters);
		Gauge
			.builder("boxoffice.batch.queue.depth", this.lanes,
					lanes -> lanes.values().stream().mapToInt(lane -> lane.queue.size()).sum())
			.description("Requests waiting for a group commit")
			.register(meters);
	}

	/** Whether the order is one the group commit takes: one general-admission item. */
	boolean takes(Order order) {
		if (order.items().size() != 1) {
			return false;
		}
		ItemRequest item = order.items().get(0);
		if (item.seats() != null || item.category() == null || item.quantity() == null) {
			return false;
		}
		Event event = shape(order.eventId());
		return event != null && event.category(item.category()).map(category -> !category.isReserved()).orElse(false);
	}

	Outcome<BookingView> book(Order order) {
		Event event = shape(order.eventId());
		if (event == null) {
			throw BoxofficeException.notFound("Event");
		}
		Cart cart = Cart.of(event, order.items(), this.properties);
		Category category = cart.lines().get(0).category();
		Key key = this.sales.key(order.idempotencyKey(), "book " + order.eventId(), order.items());
		// The booking it would be, prepared here on the request's thread: the worker
		// only decides. A keyed request's answer goes into its key's row as the key is
		// claimed, and the row goes again if the request is refused.
		Item item = new Item(category.id(), category.code(), cart.quantity(), List.of());
		Booking booking = new Booking(UUID.randomUUID(), event.id(), order.customerId(), null, BookingStatus.CONFIRMED,
				List.of(item), BookingService.total(event, List.of(item)), event.currency(), Sql.now(this.clock), null);
		Replay answer = (key != null)
				? new Replay(201, this.json.writeValueAsString(BookingView.of(booking)), location(booking)) : null;
		Pending pending = new Pending(key, booking, answer, new CompletableFuture<>());
		Lane lane = this.lanes.computeIfAbsent(category.id(), id -> new Lane(event.id(), category));
		if (!this.accepting || lane.wouldWaitTooLong() || !lane.queue.offer(pending)) {
			this.shed.increment();
			if (lane.isStalled()) {
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
	private @Nullable Event shape(UUID eventId) {
		Event event = this.shapes.get(eventId);
		if (event != null) {
			return event;
		}
		if (this.shapes.size() >= MAX_CACHED_EVENTS) {
			this.shapes.clear();
		}
		try {
			return this.shapes.computeIfAbsent(eventId, this.events::get);
		}
		catch (BoxofficeException notFound) {
			return null;
		}
	}

	/**
	 * Commits one batch; then, if some fell short while expired holds were still counted,
	 * retries those once.
	 */
	private void commit(Lane lane, List<Pending> batch) {
		this.batchSizes.record(batch.size());
		Map<Pending, BoxofficeException> refused = commitOnce(lane, batch);
		if (!refused.isEmpty() && expireDue(lane)) {
			refused = commitOnce(lane, new ArrayList<>(refused.keySet()));
		}
		if (!refused.isEmpty()) {
			int available = availableNow(lane);
			BoxofficeException soldOut = new BoxofficeException(ErrorCode.SOLD_OUT,
					"Only " + available + " tickets of " + lane.category.code() + " are available",
					Map.of("available", available, "category", lane.category.code()));
			refused
				.forEach((pending, error) -> pending.result.completeExceptionally((error != null) ? error : soldOut));
		}
	}

	/**
	 * One transaction for the batch. Answers every request it decides after the commit,
	 * and returns, unanswered and in arrival order, those refused for want of tickets (no
	 * error: SOLD_OUT is worded after the commit) or of the customer's limit, which
	 * expired holds may still be counting.
	 */
	private Map<Pending, BoxofficeException> commitOnce(Lane lane, List<Pending> batch) {
		List<Runnable> answers = new ArrayList<>();
		Map<Pending, BoxofficeException> refused = new LinkedHashMap<>();
		try {
			this.tx.executeWithoutResult(status -> {
				answers.clear();
				refused.clear();
				decide(lane, batch, answers, refused);
			});
		}
		catch (RuntimeException ex) {
			log.warn("Group commit of {} requests for event {} failed; none was booked", batch.size(), lane.eventId,
					ex);
			lane.failing = true;
			batch.forEach(pending -> pending.result.completeExceptionally(ex));
			return Map.of();
		}
		lane.failing = false;
		answers.forEach(Runnable::run);
		Map<Pending, BoxofficeException> inArrivalOrder = new LinkedHashMap<>();
		batch.stream()
			.filter(refused::containsKey)
			.forEach(pending -> inArrivalOrder.put(pending, refused.get(pending)));
		return inArrivalOrder;
	}

	private void decide(Lane lane, List<Pending> batch, List<Runnable> answers,
			Map<Pending, BoxofficeException> refusedForWant) {
		Event event = this.events.getForSale(lane.eventId);
		Instant now = Sql.now(this.clock);
		try {
			event.checkSalesOpen(now);
		}
		catch (BoxofficeException closed) {
			batch.forEach(pending -> answers.add(() -> pending.result.completeExceptionally(closed)));
			return;
		}
		// a booking is made at its request's time, which must be in the sales window too
		List<Pending> asked = new ArrayList<>();
		for (Pending pending : batch) {
			try {
				event.checkSalesOpen(pending.booking.createdAt());
				asked.add(pending);
			}
			catch (BoxofficeException early) {
				answers.add(() -> pending.result.completeExceptionally(early));
			}
		}
		List<Pending> open = claimKeys(asked, answers);
		Map<UUID, Tally> tallies = lockTallies(event, open);
		Allotment allotment = allot(event, open, tallies, Integer.MAX_VALUE);
		if (allotment.tickets() > 0 && !this.pools.sell(lane.category.id(), allotment.tickets())) {
			// short of tickets: decide again with what the pool, now locked, has left
			allotment = allot(event, open, tallies, this.pools.readLocked(lane.category.id()).available());
			if (allotment.tickets() > 0 && !this.pools.sell(lane.category.id(), allotment.tickets())) {
				throw new IllegalStateException("Pool " + lane.category.id() + " changed under its row lock");
			}
		}
		List<Pending> granted = allotment.granted();
		List<KeyOf> forgotten = new ArrayList<>();
		allotment.refused().forEach((pending, error) -> {
			refusedForWant.put(pending, error);
			forget(pending, forgotten);
		});
		if (!tallies.isEmpty()) {
			Map<UUID, Integer> counted = new HashMap<>();
			granted.forEach(pending -> counted.merge(pending.customerId(), pending.quantity(), Integer::sum));
			this.limits.addAll(event.id(), counted);
		}
		this.idempotency.forgetAll(forgotten);
		for (Pending pending : granted) {
			answers.add(() -> pending.result
				.complete(Outcome.created(BookingView.of(pending.booking), location(pending.booking))));
		}
		this.bookings.insertAll(granted.stream().map(Pending::booking).toList());
	}

	/**
	 * Locks the tallies of the batch's customers until it commits, when the event limits
	 * what a customer may buy.
	 * @return each customer's tally; none when the event has no limit
	 */
	private Map<UUID, Tally> lockTallies(Event event, List<Pending> open) {
		if (event.maxTicketsPerCustomer() == null || open.isEmpty()) {
			return Map.of();
		}
		return this.limits.lockAll(event, open.stream().map(Pending::customerId).toList());
	}

	/**
	 * Decides the requests in arrival order, as if each came after the ones before it: a
	 * request is granted if its customer's limit, counting what was granted to them
	 * before it, and the tickets left both allow it. A request refused for want of
	 * tickets counts for nobody's limit.
	 * @param tallies the customers' tallies, none when the event has no limit
	 * @param left tickets the pool has left
	 */
	private static Allotment allot(Event event, List<Pending> open, Map<UUID, Tally> tallies, int left) {
		Map<UUID, Tally> counted = new HashMap<>(tallies);
		List<Pending> granted = new ArrayList<>();
		Map<Pending, @Nullable BoxofficeException> refused = new LinkedHashMap<>();
		int tickets = 0;
		for (Pending pending : open) {
			Tally tally = counted.get(pending.customerId());
			if (tally != null && !tally.allows(pending.quantity())) {
				refused.put(pending, CustomerLimits.limitExceeded(event));
			}
			else if (pending.quantity() > left - tickets) {
				refused.put(pending, null);
			}
			else {
				granted.add(pending);
				tickets += pending.quantity();
				if (tally != null) {
					counted.put(pending.customerId(), tally.plus(pending.quantity()));
				}
			}
		}
		return new Allotment(granted, refused, tickets);
	}

	/**
	 * @param refused the refused requests, each with its limit error, or with none when
	 * the pool had too few tickets
	 * @param tickets tickets granted
	 */
	private record Allotment(List<Pending> granted, Map<Pending, @Nullable BoxofficeException> refused, int tickets) {
	}

	private static String location(Booking booking) {
		return "/api/v1/bookings/" + booking.id();
	}

	/**
	 * Claims the batch's Idempotency-Keys with one statement, in (customer, key) order,
	 * the lock order every sale keeps. A key already answered is replayed; a key sent
	 * twice in one batch is decided once and the repeat gets that answer as a replay.
	 * @return the requests still to decide, in arrival order
	 */
	private List<Pending> claimKeys(List<Pending> batch, List<Runnable> answers) {
		Map<KeyOf, Pending> firsts = new TreeMap<>(Comparator.comparing(KeyOf::accountId).thenComparing(KeyOf::key));
		List<Pending> open = new ArrayList<>();
		for (Pending pending : batch) {
			if (pending.key == null) {
				open.add(pending);
				continue;
			}
			Pending first = firsts.putIfAbsent(new KeyOf(pending.customerId(), pending.key.value()), pending);
			if (first == null) {
				open.add(pending);
			}
			else if (!first.key.fingerprint().equals(pending.key.fingerprint())) {
				answers.add(() -> pending.result.completeExceptionally(new BoxofficeException(
						ErrorCode.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was used with a different request")));
			}
			else {
				answers.add(() -> first.result.whenComplete((outcome, error) -> {
					if (error != null) {
						pending.result.completeExceptionally(error);
					}
					else {
						// the first's own answer, or the one it replayed
						pending.result.complete((outcome.replay() != null) ? outcome : Outcome.replayed(first.answer));
					}
				}));
			}
		}
		Set<KeyOf> claimed = this.idempotency.claimAll(firsts.values().stream().map(GroupCommit::claim).toList());
		for (Map.Entry<KeyOf, Pending> entry : firsts.entrySet()) {
			if (claimed.contains(entry.getKey())) {
				continue;
			}
			Pending first = entry.getValue();
			// taken before this batch: claim tells the answer it got
			try {
				this.idempotency.claim(first.customerId(), first.key.value(), first.key.fingerprint())
					.ifPresent(replay -> {
						open.remove(first);
						answers.add(() -> first.result.complete(Outcome.replayed(replay)));
					});
			}
			catch (BoxofficeException reused) {
				open.remove(first);
				answers.add(() -> first.result.completeExceptionally(reused));
			}
		}
		return open;
	}

	private static Claim claim(Pending keyed) {
		return new Claim(keyed.customerId(), keyed.key.value(), keyed.key.fingerprint(), keyed.answer);
	}

	private static void forget(Pending pending, List<KeyOf> keys) {
		if (pending.key != null) {
			keys.add(new KeyOf(pending.customerId(), pending.key.value()));
		}
	}

	private boolean expireDue(Lane lane) {
		try {
			return this.expiry.expireDue(lane.eventId) > 0;
		}
		catch (RuntimeException ex) {
			log.warn("Could not expire holds of event {}", lane.eventId, ex);
			return false;
		}
	}

	private int availableNow(Lane lane) {
		var counts = this.pools.counts(List.of(lane.eventId), Sql.now(this.clock)).get(lane.category.id());
		return (counts != null) ? counts.available() : 0;
	}

	@Override
	public void start() {
		if (this.workers.isShutdown()) {
			this.workers = Executors.newCachedThreadPool(new WorkerThreads());
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

	/**
	 * A request waiting for its batch: the booking it would make, and for a keyed request
	 * the answer that booking gets.
	 */
	private record Pending(@Nullable Key key, Booking booking, @Nullable Replay answer,
			CompletableFuture<Outcome<BookingView>> result) {

		UUID customerId() {
			return this.booking.customerId();
		}

		int quantity() {
			return this.booking.quantity();
		}

	}

	/**
	 * The queue of one pool and its single worker, which exists only while there is work.
	 */
	private final class Lane {

		private final UUID eventId;

		private final Category category;

		private final ArrayBlockingQueue<Pending> queue;

		private final AtomicBoolean running = new AtomicBoolean();

		/** Whether the last commit failed (until one succeeds). */
		private volatile boolean failing;

		/** How long the last batch took to commit. */
		private volatile long lastBatchNanos;

		/** When the batch in flight started, 0 when none is. */
		private volatile long batchStartedNanos;

		Lane(UUID eventId, Category category) {
			this.eventId = eventId;
			this.category = category;
			this.queue = new ArrayBlockingQueue<>(GroupCommit.this.properties.batch().queueCapacity());
		}

		void wake() {
			if (this.running.compareAndSet(false, true)) {
				GroupCommit.this.workers.execute(this::drain);
			}
		}

		/**
		 * Whether a request queued now would wait past {@code max-wait}: the batches
		 * ahead of it, each taking as long as the last one or the one in flight,
		 * whichever is longer. An idle lane always takes the next request: its batch
		 * measures the pace again.
		 */
		boolean wouldWaitTooLong() {
			long started = this.batchStartedNanos;
			if (started == 0 && this.queue.isEmpty()) {
				return false;
			}
			long inFlight = (started != 0) ? System.nanoTime() - started : 0;
			long perBatch = Math.max(this.lastBatchNanos, inFlight);
			int batchesAhead = this.queue.size() / GroupCommit.this.properties.batch().maxSize() + 1;
			return perBatch * batchesAhead > maxWaitNanos();
		}

		/**
		 * Whether the batch in flight has been committing for longer than
		 * {@code max-wait}: then the database is away or stuck, and the wait is not the
		 * doing of too many buyers.
		 */
		boolean isStalled() {
			long started = this.batchStartedNanos;
			return this.failing || this.lastBatchNanos > maxWaitNanos()
					|| (started != 0 && System.nanoTime() - started > maxWaitNanos());
		}

		private long maxWaitNanos() {
			return GroupCommit.this.properties.batch().maxWait().toNanos();
		}

		boolean busy() {
			return this.running.get() || !this.queue.isEmpty();
		}

		private void drain() {
			int maxSize = GroupCommit.this.properties.batch().maxSize();
			while (true) {
				List<Pending> batch = new ArrayList<>(maxSize);
				this.queue.drainTo(batch, maxSize);
				if (batch.isEmpty()) {
					this.running.set(false);
					// a request may have arrived between the drain and the flag
					if (this.queue.isEmpty() || !this.running.compareAndSet(false, true)) {
						return;
					}
					continue;
				}
				long started = System.nanoTime();
				this.batchStartedNanos = started;
				try {
					commit(this, batch);
				}
				catch (RuntimeException ex) {
					log.error("Group commit worker failed for event {}", this.eventId, ex);
					batch.forEach(pending -> pending.result.completeExceptionally(ex));
				}
				finally {
					this.lastBatchNanos = System.nanoTime() - started;
					this.batchStartedNanos = 0;
				}
			}
		}

	}

	private static final class WorkerThreads implements java.util.concurrent.ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, "group-commit-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
