package io.boxoffice.booking;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.boxoffice.booking.Views.BookingView;
import io.boxoffice.booking.Views.Outcome;
import io.boxoffice.booking.engine.GroupCommit;
import io.boxoffice.booking.engine.Order;
import io.boxoffice.booking.engine.Sales.Key;
import io.boxoffice.booking.engine.Sales;
import io.boxoffice.booking.inventory.Cart;
import io.boxoffice.booking.inventory.Claimant;
import io.boxoffice.booking.inventory.Inventory;
import io.boxoffice.booking.inventory.PoolClaim;
import io.boxoffice.booking.store.BookingRepository;
import io.boxoffice.booking.store.CustomerLimits;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;

/**
 * Booking in one step, the configured {@link Strategy}'s way. Every strategy runs in the
 * same {@link Sales} frame (event lock, idempotency, per-customer limit, all-or-nothing);
 * they differ only in how the pool's tickets are taken, in what isolation, and what is
 * retried.
 */
@Component
class OneStepBooking {

	private static final Logger log = LoggerFactory.getLogger(OneStepBooking.class);

	private final Sales sales;

	private final Inventory inventory;

	private final CustomerLimits limits;

	private final BookingRepository bookings;

	private final GroupCommit groupCommit;

	private final BookingProperties properties;

	private final Counter conflicts;

	private final Counter retries;

	/** The jvm-lock strategy's locks, one per event: they exist only inside this JVM. */
	private final Map<UUID, ReentrantLock> jvmLocks = new ConcurrentHashMap<>();

	OneStepBooking(Sales sales, Inventory inventory, CustomerLimits limits, BookingRepository bookings,
			GroupCommit groupCommit, BookingProperties properties, MeterRegistry meters) {
		this.sales = sales;
		this.inventory = inventory;
		this.limits = limits;
		this.bookings = bookings;
		this.groupCommit = groupCommit;
		this.properties = properties;
		String strategy = properties.strategy().name().toLowerCase().replace('_', '-');
		this.conflicts = meters.counter("boxoffice.booking.conflicts", "strategy", strategy);
		this.retries = meters.counter("boxoffice.booking.retries", "strategy", strategy);
		if (!properties.strategy().isSafe()) {
			log.warn("Booking strategy {} is UNSAFE and can oversell; for demonstrations only", strategy);
		}
	}

	Outcome<BookingView> book(Order order) {
		return switch (this.properties.strategy()) {
			case BATCHED -> this.groupCommit.book(order);
			case CONDITIONAL_UPDATE ->
				perRequest(order, PoolClaim.GUARDED, TransactionDefinition.ISOLATION_READ_COMMITTED);
			case SELECT_FOR_UPDATE ->
				perRequest(order, PoolClaim.LOCKING_READ, TransactionDefinition.ISOLATION_READ_COMMITTED);
			case OPTIMISTIC ->
				retrying(() -> perRequest(order, PoolClaim.VERSIONED, TransactionDefinition.ISOLATION_READ_COMMITTED));
			case SERIALIZABLE ->
				retrying(() -> perRequest(order, PoolClaim.PLAIN_READ, TransactionDefinition.ISOLATION_SERIALIZABLE));
			case READ_CHECK_WRITE ->
				perRequest(order, PoolClaim.PLAIN_READ, TransactionDefinition.ISOLATION_READ_COMMITTED);
			case JVM_LOCK -> jvmLocked(order.eventId(),
					() -> perRequest(order, PoolClaim.PLAIN_READ, TransactionDefinition.ISOLATION_READ_COMMITTED));
		};
	}

	/** One request, one transaction. */
	private Outcome<BookingView> perRequest(Order order, PoolClaim claim, int isolation) {
		UUID customerId = order.customerId();
		Key key = this.sales.key(order.idempotencyKey(), "book " + order.eventId(), order.items());
		return this.sales.run(order.eventId(), customerId, key, isolation, (event, now) -> {
			Cart cart = Cart.of(event, order.items(), this.properties);
			event.checkSalesOpen(now);
			this.limits.take(event, customerId, cart.quantity());
			UUID bookingId = UUID.randomUUID();
			List<Item> claimed = this.inventory.claim(event, cart, Claimant.booking(bookingId), claim, now);
			Booking booking = new Booking(bookingId, event.id(), customerId, null, BookingStatus.CONFIRMED, claimed,
					Item.total(event, claimed), event.currency(), now, null);
			this.bookings.insert(booking);
			return BookingView.of(booking);
		});
	}

	/**
	 * Retries a transaction that lost a race (a version conflict or a serialization
	 * failure), with jittered backoff; nothing of a failed attempt remains. Past the
	 * bound: 503 OVERLOADED.
	 */
	private Outcome<BookingView> retrying(Supplier<Outcome<BookingView>> attempt) {
		for (int tries = 1;; tries++) {
			try {
				return attempt.get();
			}
			catch (PoolClaim.Conflict | ConcurrencyFailureException ex) {
				this.conflicts.increment();
				if (tries >= this.properties.maxRetries()) {
					throw new BoxofficeException(ErrorCode.OVERLOADED,
							"Too many concurrent buyers; nothing was booked, try again");
				}
				this.retries.increment();
				backOff(tries);
			}
		}
	}

	private static void backOff(int tries) {
		try {
			Thread.sleep(ThreadLocalRandom.current().nextLong(1 + Math.min(1L << Math.min(tries, 5), 32)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BoxofficeException(ErrorCode.UNAVAILABLE, "Interrupted; nothing was booked");
		}
	}

	private Outcome<BookingView> jvmLocked(UUID eventId, Supplier<Outcome<BookingView>> attempt) {
		ReentrantLock lock = this.jvmLocks.computeIfAbsent(eventId, id -> new ReentrantLock());
		lock.lock();
		try {
			return attempt.get();
		}
		finally {
			lock.unlock();
		}
	}

}
