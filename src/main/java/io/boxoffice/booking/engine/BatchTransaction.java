package io.boxoffice.booking.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import io.boxoffice.booking.Booking;
import io.boxoffice.booking.BookingStatus;
import io.boxoffice.booking.Hold;
import io.boxoffice.booking.HoldStatus;
import io.boxoffice.booking.HoldsConfirmed;
import io.boxoffice.booking.Item;
import io.boxoffice.booking.Views.BookingView;
import io.boxoffice.booking.Views.HoldView;
import io.boxoffice.booking.Views.Outcome;
import io.boxoffice.booking.Views.Replay;
import io.boxoffice.booking.Views.Resource;
import io.boxoffice.booking.engine.Allotment.Ask;
import io.boxoffice.booking.engine.Allotment.FreeSeats;
import io.boxoffice.booking.engine.Allotment.Grant;
import io.boxoffice.booking.engine.Allotment.Line;
import io.boxoffice.booking.engine.Allotment.Stock;
import io.boxoffice.booking.engine.Sales.Key;
import io.boxoffice.booking.inventory.Claimant;
import io.boxoffice.booking.inventory.PoolRepository.Change;
import io.boxoffice.booking.inventory.PoolRepository.PoolsMoved;
import io.boxoffice.booking.inventory.PoolRepository;
import io.boxoffice.booking.inventory.SeatRepository.NewClaim;
import io.boxoffice.booking.inventory.SeatRepository.Seat;
import io.boxoffice.booking.inventory.SeatRepository;
import io.boxoffice.booking.store.BookingRepository;
import io.boxoffice.booking.store.CustomerLimits.Tally;
import io.boxoffice.booking.store.CustomerLimits;
import io.boxoffice.booking.store.HoldRepository;
import io.boxoffice.booking.store.Idempotency.Claim;
import io.boxoffice.booking.store.Idempotency.KeyOf;
import io.boxoffice.booking.store.Idempotency;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventService;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * One batch of an event's sales, inside its transaction: reads what the batch needs once,
 * in the global lock order (the event, the Idempotency-Keys, the holds to confirm, the
 * customers' tallies, the pools; seats are claimed, and the best-available ones it grants
 * locked without waiting; a batch of a single general-admission pool reads it unlocked
 * and takes it last), lets {@link Allotment} decide every request in arrival order, and
 * writes the outcome with a few set-based statements. Seat claims go in as one insert
 * guarded by the unique index: a request that lost a seat to a sale committed meanwhile
 * (another instance's) takes nothing here and is decided again in the next batch.
 */
@Component
class BatchTransaction {

	/** Free seats read first per best-available category, widened as needed. */
	private static final int FIRST_WINDOW = 512;

	private final EventService events;

	private final Idempotency idempotency;

	private final CustomerLimits limits;

	private final HoldRepository holds;

	private final BookingRepository bookings;

	private final PoolRepository pools;

	private final SeatRepository seats;

	private final JsonMapper json;

	private final java.time.Clock clock;

	private final ApplicationEventPublisher publisher;

	private final JdbcClient jdbc;

	BatchTransaction(EventService events, Idempotency idempotency, CustomerLimits limits, HoldRepository holds,
			BookingRepository bookings, PoolRepository pools, SeatRepository seats, JsonMapper json,
			java.time.Clock clock, ApplicationEventPublisher publisher, JdbcClient jdbc) {
		this.jdbc = jdbc;
		this.events = events;
		this.idempotency = idempotency;
		this.limits = limits;
		this.holds = holds;
		this.bookings = bookings;
		this.pools = pools;
		this.seats = seats;
		this.json = json;
		this.clock = clock;
		this.publisher = publisher;
	}

	/**
	 * What one transaction decided, to be told once it committed: the answers, the
	 * requests refused for want of tickets, seats or limit (decided again once due holds
	 * are expired), and those that lost a seat to another sale (decided again in the next
	 * batch).
	 */
	static final class Result {

		final List<Runnable> answers = new ArrayList<>();

		final Map<Pending, BoxofficeException> refused = new LinkedHashMap<>();

		final List<Pending> lost = new ArrayList<>();

		/** What the batch left available in each pool it locked. */
		final Map<UUID, Integer> poolsLeft = new HashMap<>();

	}

	/**
	 * Decides and writes the batch; called inside its transaction (again if it is
	 * retried, with a fresh result). A batch that takes from a single pool reads it
	 * without a lock and writes it last, guarded, so that the pool's row is locked only
	 * while the batch commits and the event's batches on other instances wait for no more
	 * than that; if a sale took the tickets in between ({@link PoolsMoved}), the batch is
	 * rolled back and run again with {@code lockPools}. A batch of several pools, or with
	 * seats to claim or confirm, locks its pools up front in the global order (pools
	 * before seat claims): guarded writes to several pools, or a pool taken after a claim
	 * that another batch's claim waits for, could wait in a cycle.
	 */
	Result run(UUID eventId, List<Pending> batch, boolean lockPools) {
		Result result = new Result();
		Event event = this.events.getForSale(eventId);
		Instant now = Sql.now(this.clock);
		List<Pending> asked = new ArrayList<>();
		for (Pending pending : batch) {
			try {
				if (pending.kind() != Pending.Kind.CONFIRM) {
					event.checkSalesOpen(now);
					// made at its request's time, which must be in the sales window too
					event.checkSalesOpen(pending.requestedAt());
				}
				asked.add(pending);
			}
			catch (BoxofficeException closed) {
				result.answers.add(() -> pending.result.completeExceptionally(closed));
			}
		}
		List<Pending> open = claimKeys(asked, result);
		List<KeyOf> forgotten = new ArrayList<>();
		Map<KeyOf, Replay> answered = new HashMap<>();
		List<Booking> newBookings = new ArrayList<>();
		Map<UUID, Integer> confirmedPerPool = new TreeMap<>();
		Map<UUID, UUID> confirmedSeats = new HashMap<>();
		Map<UUID, Integer> seatsPerHold = new HashMap<>();
		confirm(open.stream().filter(p -> p.kind() == Pending.Kind.CONFIRM).toList(), result, forgotten, answered,
				newBookings, confirmedPerPool, confirmedSeats, seatsPerHold);

		List<Pending> takes = open.stream().filter(p -> p.kind() != Pending.Kind.CONFIRM).toList();
		Map<UUID, Tally> tallies = (event.maxTicketsPerCustomer() == null || takes.isEmpty()) ? Map.of()
				: this.limits.lockAll(event, takes.stream().map(Pending::customerId).toList());
		Set<UUID> poolIds = new TreeSet<>(confirmedPerPool.keySet());
		Set<Long> named = new HashSet<>();
		Map<UUID, Integer> bestWanted = new HashMap<>();
		for (Pending pending : takes) {
			for (Line line : pending.ask().lines()) {
				if (line.isPool()) {
					poolIds.add(line.category().id());
				}
				else if (line.isNamed()) {
					line.named().forEach(seat -> named.add(seat.id()));
				}
				else {
					bestWanted.merge(line.category().id(), line.quantity(), Integer::sum);
				}
			}
		}
		boolean guarded = !lockPools && poolIds.size() == 1 && named.isEmpty() && bestWanted.isEmpty()
				&& confirmedSeats.isEmpty();
		Map<UUID, Integer> available = guarded ? this.pools.readAll(poolIds) : this.pools.lockAll(poolIds);
		Set<Long> claimed = this.seats.claimedAmong(named);
		Map<UUID, Integer> windows = new HashMap<>();
		Map<UUID, FreeSeats> read = new HashMap<>();
		bestWanted.forEach((category, wanted) -> {
			int window = Math.max(FIRST_WINDOW, 4 * (wanted + named.size()));
			windows.put(category, window);
			read.put(category, readFree(event, category, window));
		});
		// Best-available seats another sale is taking right now (their rows locked) or
		// took since they were read are left out, and this batch locks those it grants;
		// but a request is never refused while such seats are there: then they count as
		// free again, and the claims' unique index decides as it does for named seats.
		Set<Long> busy = new HashSet<>();
		Set<Long> locked = new HashSet<>();
		boolean skipBusy = true;
		Allotment<Pending> allotment;
		while (true) {
			Set<Long> leftOut = skipBusy ? busy : Set.of();
			Map<UUID, FreeSeats> free = new HashMap<>();
			read.forEach((category, seats) -> free.put(category, seats.without(leftOut)));
			allotment = Allotment.decide(takes, Pending::ask, new Stock(available, tallies, claimed, free),
					() -> CustomerLimits.limitExceeded(event));
			if (!allotment.widen().isEmpty()) {
				for (UUID category : allotment.widen()) {
					int window = 4 * windows.getOrDefault(category, FIRST_WINDOW);
					windows.put(category, window);
					read.put(category, readFree(event, category, window));
				}
				continue;
			}
			if (!skipBusy) {
				break;
			}
			if (!busy.isEmpty() && allotment.refused().values().stream().anyMatch(BatchTransaction::soldOut)) {
				skipBusy = false;
				continue;
			}
			Set<Long> newlyBusy = lockBest(allotment.granted(), named, locked);
			if (newlyBusy.isEmpty()) {
				break;
			}
			busy.addAll(newlyBusy);
		}
		Map<Pending, Grant> granted = new LinkedHashMap<>(allotment.granted());
		claimSeats(event, granted, result, forgotten);
		allotment.refused().forEach((pending, error) -> {
			result.refused.put(pending, error);
			forget(pending, forgotten);
		});

		Map<UUID, Change> changes = new TreeMap<>();
		confirmedPerPool.forEach((pool, n) -> changes.put(pool, new Change(pool, 0, 0, n)));
		Map<UUID, Integer> counted = new HashMap<>();
		List<Hold> newHolds = new ArrayList<>();
		granted.forEach((pending, grant) -> {
			boolean held = pending.kind() == Pending.Kind.HOLD;
			for (Item item : grant.items()) {
				if (item.seats().isEmpty()) {
					Change was = changes.getOrDefault(item.categoryId(), new Change(item.categoryId(), 0, 0, 0));
					changes.put(item.categoryId(),
							new Change(item.categoryId(), was.sold() + (held ? 0 : item.quantity()),
									was.held() + (held ? item.quantity() : 0), was.confirmed()));
				}
			}
			counted.merge(pending.customerId(), pending.ask().tickets(), Integer::sum);
			Resource view;
			if (held) {
				Hold hold = hold(event, pending, grant);
				newHolds.add(hold);
				view = HoldView.of(hold, now);
			}
			else {
				Booking booking = new Booking(pending.id(), event.id(), pending.customerId(), null,
						BookingStatus.CONFIRMED, grant.items(), Item.total(event, grant.items()), event.currency(),
						pending.requestedAt(), null);
				newBookings.add(booking);
				view = BookingView.of(booking);
			}
			answer(pending, view, result, answered);
		});
		if (!guarded) {
			this.pools.applyAll(changes.values());
		}
		available.forEach((pool, before) -> {
			Change change = changes.get(pool);
			result.poolsLeft.put(pool, before - ((change != null) ? change.sold() + change.held() : 0));
		});
		if (!tallies.isEmpty()) {
			this.limits.addAll(event.id(), counted);
		}
		if (!confirmedSeats.isEmpty()) {
			Instant earliest = open.stream()
				.filter(p -> p.kind() == Pending.Kind.CONFIRM && confirmedSeats.containsKey(p.holdId()))
				.map(Pending::requestedAt)
				.min(Comparator.naturalOrder())
				.orElse(now);
			Map<UUID, Integer> confirmedClaims = this.seats.confirmAll(confirmedSeats, earliest);
			seatsPerHold.forEach((hold, seats) -> {
				if (!Objects.equals(confirmedClaims.get(hold), seats)) {
					throw new IllegalStateException("Hold " + hold + " had " + seats + " seats but "
							+ confirmedClaims.get(hold) + " held claims were confirmed");
				}
			});
		}
		if (!newHolds.isEmpty() || !newBookings.isEmpty()) {
			// set-based inserts, planned once: the batch's holds, bookings, items and
			// tickets
			Sql.withGenericPlans(this.jdbc, () -> {
				this.holds.insertAll(newHolds);
				this.bookings.insertAll(newBookings);
			});
		}
		this.idempotency.forgetAll(forgotten);
		this.idempotency.completeAll(answered);
		if (guarded) {
			result.poolsLeft.putAll(this.pools.applyAllIfAvailable(changes.values()));
		}
		return result;
	}

	/**
	 * Locks the rows of the best-available seats the allotment granted (not yet locked by
	 * this batch), skipping those another transaction has locked or claimed since they
	 * were read: another instance's batch reads the same front seats, and without this,
	 * its claims would wait for this batch's commit and then lose every seat to it. Never
	 * waits and holds up no claim, so it adds nothing to the lock order.
	 * @return the seats another sale is taking or took, to be left out and decided again
	 */
	private Set<Long> lockBest(Map<Pending, Grant> granted, Set<Long> named, Set<Long> locked) {
		List<Long> wanted = new ArrayList<>();
		granted.values()
			.forEach(grant -> grant.seats()
				.keySet()
				.stream()
				.map(Seat::id)
				.filter(id -> !named.contains(id) && !locked.contains(id))
				.forEach(wanted::add));
		if (wanted.isEmpty()) {
			return Set.of();
		}
		locked.addAll(this.seats.lockUnlockedForClaims(wanted));
		Set<Long> busy = new HashSet<>(wanted);
		busy.removeAll(locked);
		return busy;
	}

	private static boolean soldOut(BoxofficeException refusal) {
		return refusal.code() == ErrorCode.SOLD_OUT;
	}

	private FreeSeats readFree(Event event, UUID categoryId, int window) {
		List<Seat> seats = this.seats.firstUnclaimed(event.id(), categoryId, window);
		return new FreeSeats(seats, seats.size() < window);
	}

	/**
	 * Confirms the batch's confirmations of holds, locked in id order: each of its own
	 * customer's, active holds; a hold confirmed before (or earlier in the batch) answers
	 * its booking again.
	 */
	private void confirm(List<Pending> confirms, Result result, List<KeyOf> forgotten, Map<KeyOf, Replay> answered,
			List<Booking> newBookings, Map<UUID, Integer> confirmedPerPool, Map<UUID, UUID> confirmedSeats,
			Map<UUID, Integer> seatsPerHold) {
		if (confirms.isEmpty()) {
			return;
		}
		Map<UUID, Hold> locked = new HashMap<>();
		this.holds.lockAll(new TreeSet<>(confirms.stream().map(Pending::holdId).toList()))
			.forEach(hold -> locked.put(hold.id(), hold));
		Map<UUID, Booking> confirmed = new HashMap<>();
		List<UUID> confirmedHolds = new ArrayList<>();
		for (Pending pending : confirms) {
			Hold hold = locked.get(pending.holdId());
			try {
				if (hold == null || !hold.customerId().equals(pending.customerId())) {
					throw BoxofficeException.notFound("Hold");
				}
				Booking booking = confirmed.get(hold.id());
				if (booking == null && hold.status() == HoldStatus.CONFIRMED) {
					booking = this.bookings.findByHold(hold.id()).orElseThrow();
				}
				if (booking == null) {
					hold.checkConfirmable(pending.requestedAt());
					booking = new Booking(pending.id(), hold.eventId(), hold.customerId(), hold.id(),
							BookingStatus.CONFIRMED, hold.items(), hold.total(), hold.currency(), pending.requestedAt(),
							null);
					confirmed.put(hold.id(), booking);
					confirmedHolds.add(hold.id());
					newBookings.add(booking);
					int seated = 0;
					for (Item item : hold.items()) {
						if (item.seats().isEmpty()) {
							confirmedPerPool.merge(item.categoryId(), item.quantity(), Integer::sum);
						}
						else {
							seated += item.quantity();
						}
					}
					if (seated > 0) {
						confirmedSeats.put(hold.id(), booking.id());
						seatsPerHold.put(hold.id(), seated);
					}
				}
				answer(pending, BookingView.of(booking), result, answered);
			}
			catch (BoxofficeException refused) {
				forget(pending, forgotten);
				result.answers.add(() -> pending.result.completeExceptionally(refused));
			}
		}
		this.holds.setStatus(confirmedHolds, HoldStatus.CONFIRMED);
		if (!confirmed.isEmpty()) {
			Map<UUID, UUID> bookingIds = new HashMap<>();
			confirmed.forEach((holdId, booking) -> bookingIds.put(holdId, booking.id()));
			this.publisher.publishEvent(new HoldsConfirmed(confirmed.values().iterator().next().eventId(), bookingIds));
		}
	}

	/**
	 * Claims the seats of every granted request with one guarded insert; a request that
	 * did not get all of its seats gives back those it got, takes nothing, and goes to
	 * the next batch.
	 */
	private void claimSeats(Event event, Map<Pending, Grant> granted, Result result, List<KeyOf> forgotten) {
		List<NewClaim> claims = new ArrayList<>();
		granted.forEach((pending, grant) -> {
			Claimant claimant = (pending.kind() == Pending.Kind.HOLD)
					? Claimant.hold(pending.id(), expiresAt(event, pending)) : Claimant.booking(pending.id());
			grant.seats()
				.forEach((seat, position) -> claims.add(new NewClaim(seat.id(), event.id(), claimant, position)));
		});
		if (claims.isEmpty()) {
			return;
		}
		Set<Long> got = this.seats.claimAll(claims);
		if (got.size() == claims.size()) {
			return;
		}
		List<Long> giveBack = new ArrayList<>();
		List<UUID> losers = new ArrayList<>();
		for (Map.Entry<Pending, Grant> entry : List.copyOf(granted.entrySet())) {
			Set<Long> wanted = new HashSet<>();
			entry.getValue().seats().keySet().forEach(seat -> wanted.add(seat.id()));
			if (!got.containsAll(wanted)) {
				wanted.stream().filter(got::contains).forEach(giveBack::add);
				losers.add(entry.getKey().id());
				granted.remove(entry.getKey());
				forget(entry.getKey(), forgotten);
				result.lost.add(entry.getKey());
			}
		}
		this.seats.unclaim(giveBack, losers);
	}

	private static Instant expiresAt(Event event, Pending pending) {
		return pending.requestedAt().plusSeconds(event.holdTtlSeconds());
	}

	private static Hold hold(Event event, Pending pending, Grant grant) {
		return new Hold(pending.id(), event.id(), pending.customerId(), HoldStatus.ACTIVE, expiresAt(event, pending),
				grant.items(), Item.total(event, grant.items()), event.currency(), pending.requestedAt());
	}

	private void answer(Pending pending, Resource view, Result result, Map<KeyOf, Replay> answered) {
		KeyOf key = pending.keyOf();
		if (key != null) {
			answered.put(key, Replay.created(this.json.writeValueAsString(view)));
		}
		result.answers.add(() -> pending.result.complete(Outcome.created(view)));
	}

	/**
	 * Claims the batch's Idempotency-Keys with one statement, in (customer, key) order,
	 * the lock order every sale keeps. A key already answered is replayed; a key sent
	 * twice in one batch is decided once and the repeat gets that answer as a replay.
	 * @return the requests still to decide, in arrival order
	 */
	private List<Pending> claimKeys(List<Pending> batch, Result result) {
		Map<KeyOf, Pending> firsts = new TreeMap<>(Comparator.comparing(KeyOf::accountId).thenComparing(KeyOf::key));
		List<Pending> open = new ArrayList<>();
		for (Pending pending : batch) {
			KeyOf keyOf = pending.keyOf();
			Key key = pending.key();
			if (keyOf == null || key == null) {
				open.add(pending);
				continue;
			}
			Pending first = firsts.putIfAbsent(keyOf, pending);
			if (first == null) {
				open.add(pending);
			}
			else if (!Objects.requireNonNull(first.key()).fingerprint().equals(key.fingerprint())) {
				result.answers.add(() -> pending.result.completeExceptionally(new BoxofficeException(
						ErrorCode.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was used with a different request")));
			}
			else {
				result.answers.add(() -> first.result.whenComplete((outcome, error) -> {
					if (error != null) {
						pending.result.completeExceptionally(error);
					}
					else if (outcome instanceof Outcome.Created<?> created) {
						pending.result
							.complete(Outcome.replayed(Replay.created(this.json.writeValueAsString(created.view()))));
					}
					else {
						pending.result.complete(outcome);
					}
				}));
			}
		}
		List<Claim> claims = new ArrayList<>();
		firsts.forEach((keyOf, pending) -> claims.add(new Claim(keyOf.accountId(), keyOf.key(),
				Objects.requireNonNull(pending.key()).fingerprint(), new Replay(0, "", null))));
		Set<KeyOf> claimed = this.idempotency.claimAll(claims);
		for (Map.Entry<KeyOf, Pending> entry : firsts.entrySet()) {
			if (claimed.contains(entry.getKey())) {
				continue;
			}
			Pending first = entry.getValue();
			Key key = Objects.requireNonNull(first.key());
			// taken before this batch: claim tells the answer it got
			try {
				this.idempotency.claim(first.customerId(), key.value(), key.fingerprint()).ifPresent(replay -> {
					open.remove(first);
					result.answers.add(() -> first.result.complete(Outcome.replayed(replay)));
				});
			}
			catch (BoxofficeException reused) {
				open.remove(first);
				result.answers.add(() -> first.result.completeExceptionally(reused));
			}
		}
		return open;
	}

	private static void forget(Pending pending, List<KeyOf> keys) {
		KeyOf key = pending.keyOf();
		if (key != null) {
			keys.add(key);
		}
	}

}
