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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.boxoffice.booking.CustomerLimits.Tally;
import io.boxoffice.booking.Idempotency.Claim;
import io.boxoffice.booking.Idempotency.KeyOf;
import io.boxoffice.booking.Sales.Key;
import io.boxoffice.booking.Views.BookingView;
import io.boxoffice.booking.Views.Outcome;
import io.boxoffice.booking.Views.Replay;
import io.boxoffice.booking.inventory.Cart;
import io.boxoffice.booking.inventory.PoolRepository;
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
 * request in it and books nothing, and one whose COMMIT went unacknowledged answers each
 * request what became of it ({@link Commits}). A full queue sheds a request at once with
 * 503 OVERLOADED, which bounds the wait of accepted ones.
 *
 * <p>
 * In-memory state here is only a queue: the database still decides every sale, so any
 * number of instances may batch their own requests for the same pool.
 */
@Component
class GroupCommit implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

	private static final int MAX_CACHED_EVENTS = 10_000;

	/**
	 * Expiry passes after which a refusal stands even if more holds have expired since:
	 * each pass answers what was due when it ran.
	 */
	private static final int MAX_EXPIRY_PASSES = 2;

	private final EventService events;

	private final Sales sales;

	private final Idempotency idempotency;

	private final JsonMapper json;

	private final CustomerLimits limits;

	private final PoolRepository pools;

	private final BookingRepository bookings;

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

	private volatile boolean accepting;

	GroupCommit(EventService events, Sales sales, Idempotency idempotency, JsonMapper json, CustomerLimits limits,
			PoolRepository pools, BookingRepository bookings, Expiry expiry, TransactionTemplate tx, Commits commits,
			Clock clock, BookingProperties properties, MeterRegistry meters) {
		this.events = events;
		this.sales = sales;
		this.idempotency = idempotency;
		this.json = json;
		this.limits = limits;
		this.pools = pools;
		this.bookings = bookings;
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
		Gauge
			.builder("boxoffice.batch.queue.depth", this.lanes,
					lanes -> lanes.values().stream().mapToInt(Lane::queued).sum())
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
		if (category == null) {
			throw new IllegalStateException("The group commit takes general-admission lines only");
		}
		Key key = this.sales.key(order.idempotencyKey(), "book " + order.eventId(), order.items());
		// The booking it would be, prepared here on the request's thread: the worker
		// only decides. A keyed request's answer goes into its key's row as the key is
		// claimed, and the row goes again if the request is refused.
		Item item = new Item(category.id(), category.code(), cart.quantity(), List.of());
		Booking booking = new Booking(UUID.randomUUID(), event.id(), order.customerId(), null, BookingStatus.CONFIRMED,
				List.of(item), BookingService.total(event, List.of(item)), event.currency(), Sql.now(this.clock), null);
		Keyed keyed = (key != null)
				? new Keyed(key, Replay.created(this.json.writeValueAsString(BookingView.of(booking)))) : null;
		Pending pending = new Pending(keyed, booking, new CompletableFuture<>());
		Lane<Pending> lane = this.lanes.computeIfAbsent(category.id(),
				id -> new Lane<>(event.id(), category, this.properties.batch(), () -> this.workers, this::commit,
						(batch, ex) -> batch.forEach(failed -> failed.result.completeExceptionally(ex))));
		if (!this.accepting || lane.wouldWaitTooLong() || !lane.offer(pending)) {
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
	 * Commits one batch. Requests it refuses were decided while expired holds may still
	 * have been counted as held, so a refusal stands only once it is decided on what is
	 * available after every due hold was expired (by this pass or by anyone else's, such
	 * as the sweeper's in between): if that could grant one of them, they are decided
	 * again.
	 */
	private void commit(Lane<Pending> lane, List<Pending> batch) {
		this.batchSizes.record(batch.size());
		Map<Pending, BoxofficeException> refused = commitOnce(lane, batch);
		for (int pass = 1; !refused.isEmpty(); pass++) {
			expireDue(lane);
			int available = availableNow(lane);
			if (pass > MAX_EXPIRY_PASSES || !couldGrant(refused, available, pass == 1)) {
				BoxofficeException soldOut = new BoxofficeException(ErrorCode.SOLD_OUT,
						"Only " + available + " tickets of " + lane.category().code() + " are available",
						Map.of("available", available, "category", lane.category().code()));
				refused.forEach(
						(pending, error) -> pending.result.completeExceptionally((error != null) ? error : soldOut));
				return;
			}
			refused = commitOnce(lane, new ArrayList<>(refused.keySet()));
		}
	}

	/**
	 * Whether deciding the refused requests again could grant one: some request fits in
	 * what is available now, or, at the first pass, one was refused for its customer's
	 * limit, which holds expired since may have freed.
	 * @param refused refused for the customer's limit, or with no error for want of
	 * tickets
	 */
	private static boolean couldGrant(Map<Pending, BoxofficeException> refused, int available, boolean firstPass) {
		return refused.entrySet()
			.stream()
			.anyMatch(entry -> (entry.getValue() != null) ? firstPass : entry.getKey().quantity() <= available);
	}

	/**
	 * One transaction for the batch. Answers every request it decides after the commit,
	 * and returns, unanswered and in arrival order, those refused for want of tickets (no
	 * error: SOLD_OUT is worded after the commit) or of the customer's limit, which
	 * expired holds may still be counting.
	 */
	private Map<Pending, BoxofficeException> commitOnce(Lane<Pending> lane, List<Pending> batch) {
		List<Runnable> answers = new ArrayList<>();
		Map<Pending, BoxofficeException> refused = new LinkedHashMap<>();
		try {
			this.commits.execute(this.tx, status -> {
				answers.clear();
				refused.clear();
				decide(lane, batch, answers, refused);
				return batch;
			});
		}
		catch (RuntimeException ex) {
			if (ex instanceof BoxofficeException unknown && unknown.code() == ErrorCode.OUTCOME_UNKNOWN) {
				log.warn("Group commit of {} requests for event {} went unacknowledged and its fate is unknown",
						batch.size(), lane.eventId());
			}
			else {
				log.warn("Group commit of {} requests for event {} failed; none was booked", batch.size(),
						lane.eventId(), ex);
			}
			lane.failing(true);
			batch.forEach(pending -> pending.result.completeExceptionally(ex));
			return Map.of();
		}
		lane.failing(false);
		answers.forEach(Runnable::run);
		Map<Pending, BoxofficeException> inArrivalOrder = new LinkedHashMap<>();
		batch.stream()
			.filter(refused::containsKey)
			.forEach(pending -> inArrivalOrder.put(pending, refused.get(pending)));
		return inArrivalOrder;
	}

	private void decide(Lane<Pending> lane, List<Pending> batch, List<Runnable> answers,
			Map<Pending, BoxofficeException> refusedForWant) {
		Event event = this.events.getForSale(lane.eventId());
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
		Supplier<BoxofficeException> limitExceeded = () -> CustomerLimits.limitExceeded(event);
		Allotment<Pending> allotment = Allotment.decide(open, Pending::customerId, Pending::quantity, tallies,
				Integer.MAX_VALUE, limitExceeded);
		if (allotment.tickets() > 0 && !this.pools.sell(lane.category().id(), allotment.tickets())) {
			// short of tickets: decide again with what the pool, now locked, has left
			allotment = Allotment.decide(open, Pending::customerId, Pending::quantity, tallies,
					this.pools.readLocked(lane.category().id()).available(), limitExceeded);
			if (allotment.tickets() > 0 && !this.pools.sell(lane.category().id(), allotment.tickets())) {
				throw new IllegalStateException("Pool " + lane.category().id() + " changed under its row lock");
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
			answers.add(() -> pending.result.complete(Outcome.created(BookingView.of(pending.booking))));
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
	 * Claims the batch's Idempotency-Keys with one statement, in (customer, key) order,
	 * the lock order every sale keeps. A key already answered is replayed; a key sent
	 * twice in one batch is decided once and the repeat gets that answer as a replay.
	 * @return the requests still to decide, in arrival order
	 */
	private List<Pending> claimKeys(List<Pending> batch, List<Runnable> answers) {
		Map<KeyOf, First> firsts = new TreeMap<>(Comparator.comparing(KeyOf::accountId).thenComparing(KeyOf::key));
		List<Pending> open = new ArrayList<>();
		for (Pending pending : batch) {
			Keyed keyed = pending.keyed;
			if (keyed == null) {
				open.add(pending);
				continue;
			}
			First first = firsts.putIfAbsent(new KeyOf(pending.customerId(), keyed.key().value()),
					new First(pending, keyed));
			if (first == null) {
				open.add(pending);
			}
			else if (!first.keyed().key().fingerprint().equals(keyed.key().fingerprint())) {
				answers.add(() -> pending.result.completeExceptionally(new BoxofficeException(
						ErrorCode.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was used with a different request")));
			}
			else {
				answers.add(() -> first.pending().result.whenComplete((outcome, error) -> {
					if (error != null) {
						pending.result.completeExceptionally(error);
					}
					else {
						// the first's own answer, or the one it replayed
						pending.result.complete((outcome instanceof Outcome.Replayed) ? outcome
								: Outcome.replayed(first.keyed().answer()));
					}
				}));
			}
		}
		Set<KeyOf> claimed = this.idempotency.claimAll(firsts.values().stream().map(GroupCommit::claim).toList());
		for (Map.Entry<KeyOf, First> entry : firsts.entrySet()) {
			if (claimed.contains(entry.getKey())) {
				continue;
			}
			Pending first = entry.getValue().pending();
			Key key = entry.getValue().keyed().key();
			// taken before this batch: claim tells the answer it got
			try {
				this.idempotency.claim(first.customerId(), key.value(), key.fingerprint()).ifPresent(replay -> {
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

	private static Claim claim(First first) {
		Key key = first.keyed().key();
		return new Claim(first.pending().customerId(), key.value(), key.fingerprint(), first.keyed().answer());
	}

	private static void forget(Pending pending, List<KeyOf> keys) {
		if (pending.keyed != null) {
			keys.add(new KeyOf(pending.customerId(), pending.keyed.key().value()));
		}
	}

	private void expireDue(Lane<Pending> lane) {
		try {
			this.expiry.expireDue(lane.eventId());
		}
		catch (RuntimeException ex) {
			log.warn("Could not expire holds of event {}", lane.eventId(), ex);
		}
	}

	private int availableNow(Lane<Pending> lane) {
		var counts = this.pools.counts(List.of(lane.eventId()), Sql.now(this.clock)).get(lane.category().id());
		return (counts != null) ? counts.available() : 0;
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

	/** An Idempotency-Key and the answer it keeps when its request books. */
	private record Keyed(Key key, Replay answer) {
	}

	/** The first request in a batch with a given key, and that key. */
	private record First(Pending pending, Keyed keyed) {
	}

	/**
	 * A request waiting for its batch: the booking it would make, and for a keyed request
	 * its key and the answer that booking gets.
	 */
	private record Pending(@Nullable Keyed keyed, Booking booking, CompletableFuture<Outcome<BookingView>> result) {

		UUID customerId() {
			return this.booking.customerId();
		}

		int quantity() {
			return this.booking.quantity();
		}

	}

}
