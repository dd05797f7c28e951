package io.boxoffice.booking.inventory;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.boxoffice.booking.Booking;
import io.boxoffice.booking.Hold;
import io.boxoffice.booking.Item;
import io.boxoffice.booking.inventory.Cart.Line;
import io.boxoffice.booking.inventory.SeatRepository.Search;
import io.boxoffice.booking.inventory.SeatRepository.Seat;
import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.ValidationErrors;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reserved seats, inside the caller's transaction. Named seats are locked in seat id
 * order, waiting; best-available seats are locked afterwards with SKIP LOCKED, never
 * waiting, so no two sales can deadlock however their seats overlap. Nothing that waits
 * is done after a SKIP LOCKED lock.
 */
@Component
public class Seating {

	/**
	 * Attempts of one best-available item before it answers OVERLOADED: only reached when
	 * other buyers keep the last free seats locked all that time.
	 */
	private static final int MAX_ATTEMPTS = 500;

	/**
	 * Blocks of adjacent seats one search offers, tried in order before searching again.
	 */
	private static final int OPTIONS_PER_SEARCH = 32;

	/** Searches of a best-available claim that must not wait (an offer). */
	private static final int OFFER_SEARCHES = 4;

	/** Seat-map order: front row first, then lowest number. */
	public static final Comparator<Seat> SEAT_MAP_ORDER = Comparator.comparingInt(Seat::rowRank)
		.thenComparingInt(Seat::number);

	/**
	 * Seats of the seat maps cached at most: 25 arenas of 20,000, a few megabytes.
	 */
	private static final int MAX_CACHED_SEATS = 500_000;

	private final SeatRepository seats;

	/**
	 * Each event's seat map by label, read once per instance: a seat map never changes
	 * once the event is published, so naming seats costs no query.
	 */
	private final Cache<UUID, Map<String, Seat>> seatMaps = Caffeine.newBuilder()
		.maximumWeight(MAX_CACHED_SEATS)
		.weigher((UUID event, Map<String, Seat> seats) -> seats.size())
		.expireAfterAccess(Duration.ofHours(1))
		.build();

	/** A savepoint per best-available attempt: a failed attempt lets its locks go. */
	private final TransactionTemplate attempt;

	Seating(SeatRepository seats, PlatformTransactionManager transactions) {
		this.seats = seats;
		this.attempt = new TransactionTemplate(transactions);
		this.attempt.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
	}

	/**
	 * The seats of each named-seat line by line index, checked against the seat map:
	 * unknown labels, and seats of more than one category in one item, are refused.
	 */
	public Map<Integer, List<Seat>> resolve(Event event, Cart cart) {
		Map<Integer, List<Seat>> named = new TreeMap<>();
		List<String> labels = cart.lines().stream().flatMap(line -> line.seats().stream()).toList();
		if (labels.isEmpty()) {
			return named;
		}
		Map<String, Seat> found = this.seatMaps.get(event.id(),
				id -> this.seats.all(id)
					.stream()
					.collect(Collectors.toUnmodifiableMap(Seat::label, Function.identity())));
		ValidationErrors errors = new ValidationErrors();
		for (int i = 0; i < cart.lines().size(); i++) {
			Line line = cart.lines().get(i);
			if (!line.isSeats()) {
				continue;
			}
			String field = "items[" + i + "].seats";
			List<String> unknown = line.seats().stream().filter(label -> !found.containsKey(label)).toList();
			if (!unknown.isEmpty()) {
				errors.reject(field, "not seats of this event: " + String.join(", ", unknown));
				continue;
			}
			List<Seat> seats = line.seats().stream().map(found::get).sorted(SEAT_MAP_ORDER).toList();
			if (seats.stream().map(Seat::categoryId).distinct().count() > 1) {
				errors.reject(field, "names seats of more than one category; give one item per category");
				continue;
			}
			named.put(i, seats);
		}
		errors.throwIfAny();
		return named;
	}

	/**
	 * Claims the named seats, then the best-available lines, all or nothing.
	 * @return the claimed items by line index
	 */
	Map<Integer, Item> claim(Event event, Cart cart, Map<Integer, List<Seat>> named, Claimant claimant, Instant now) {
		Map<Integer, Item> items = new TreeMap<>();
		if (!named.isEmpty()) {
			claimNamed(event, named, claimant, now).forEach(items::put);
		}
		for (int i = 0; i < cart.lines().size(); i++) {
			Line line = cart.lines().get(i);
			Category category = line.category();
			if (category != null && category.isReserved()) {
				// only a transaction that has no seat locked yet may wait for one
				boolean mayWait = items.values().stream().noneMatch(Seating::seated);
				items.put(i, claimBest(category, line.quantity(), i, claimant, now, mayWait));
			}
		}
		return items;
	}

	/**
	 * Locks every named seat of the request in one statement, in seat id order, takes
	 * over lapsed holds' claims, then claims each item's seats with one conditional
	 * statement; if any seat is taken, the answer lists every requested seat that is.
	 */
	private Map<Integer, Item> claimNamed(Event event, Map<Integer, List<Seat>> named, Claimant claimant, Instant now) {
		List<Seat> all = named.values().stream().flatMap(List::stream).toList();
		List<Long> ids = all.stream().map(Seat::id).toList();
		this.seats.lock(ids);
		this.seats.takeOverLapsed(ids, now);
		Map<Integer, Item> items = new TreeMap<>();
		for (Map.Entry<Integer, List<Seat>> line : named.entrySet()) {
			List<Seat> wanted = line.getValue();
			List<Long> claimed = this.seats.claim(wanted.stream().map(Seat::id).toList(), claimant, line.getKey());
			if (claimed.size() != wanted.size()) {
				Set<String> taken = new HashSet<>(this.seats.takenByOthers(ids, claimant.id(), now));
				List<String> unavailable = all.stream()
					.sorted(SEAT_MAP_ORDER)
					.map(Seat::label)
					.filter(taken::contains)
					.toList();
				throw new BoxofficeException(ErrorCode.SEATS_UNAVAILABLE,
						"Not available: " + String.join(", ", unavailable), Map.of("seats", unavailable));
			}
			items.put(line.getKey(), item(event, wanted));
		}
		return items;
	}

	/**
	 * Best available: finds the best free seats (no locks), locks them with SKIP LOCKED
	 * and claims them with one conditional statement, all in a savepoint. Seats another
	 * transaction has locked, or took meanwhile, are left out of the next search, and the
	 * savepoint is rolled back so that no seat stays locked for nothing. While other
	 * seats are free, no step waits for another buyer.
	 * <p>
	 * SOLD_OUT is only answered when too few seats are free leaving none out: the seats
	 * left out because a buyer in flight had them locked may still come free. When only
	 * such seats are left, a transaction that holds no seat lock yet waits for them, in
	 * seat id order (it can be in no cycle: it holds nothing a seat holder waits for);
	 * one that holds seat locks must not wait, and tries again without waiting.
	 */
	private Item claimBest(Category category, int quantity, int position, Claimant claimant, Instant now,
			boolean mayWait) {
		Set<Long> skip = new TreeSet<>();
		boolean waiting = false;
		for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
			Search search = this.seats.bestAvailable(category.id(), quantity, now, skip, OPTIONS_PER_SEARCH);
			if (search.options().isEmpty()) {
				if (skip.isEmpty()) {
					throw new BoxofficeException(ErrorCode.SOLD_OUT,
							"Only " + search.free() + " seats of " + category.code() + " are available",
							Map.of("available", search.free(), "category", category.code()));
				}
				skip.clear();
				waiting = mayWait;
				continue;
			}
			for (List<Seat> option : search.options()) {
				if (tryClaim(option, position, claimant, now, waiting, skip)) {
					return item(category, option);
				}
			}
		}
		throw new BoxofficeException(ErrorCode.OVERLOADED,
				"Too many buyers want the same seats at once; nothing was held, try again");
	}

	/**
	 * Best available for a transaction that already holds seat locks: tries the best free
	 * seats with SKIP LOCKED only, a few searches at most, and never waits.
	 * @return the item claimed, or nothing when too few seats are free or the free ones
	 * are locked by others
	 */
	Optional<Item> claimBestWithoutWaiting(Category category, int quantity, Claimant claimant, Instant now) {
		Set<Long> skip = new TreeSet<>();
		for (int attempt = 1; attempt <= OFFER_SEARCHES; attempt++) {
			Search search = this.seats.bestAvailable(category.id(), quantity, now, skip, OPTIONS_PER_SEARCH);
			for (List<Seat> option : search.options()) {
				if (tryClaim(option, 0, claimant, now, false, skip)) {
					return Optional.of(item(category, option));
				}
			}
			if (search.options().isEmpty()) {
				return Optional.empty();
			}
		}
		return Optional.empty();
	}

	/**
	 * Locks and claims one option in a savepoint: SKIP LOCKED unless this transaction may
	 * wait. Seats locked by others, or taken meanwhile, join {@code skip}, and the
	 * savepoint is rolled back so that no seat stays locked for nothing.
	 */
	private boolean tryClaim(List<Seat> option, int position, Claimant claimant, Instant now, boolean wait,
			Set<Long> skip) {
		List<Long> candidates = option.stream().map(Seat::id).toList();
		return Boolean.TRUE.equals(this.attempt.execute(status -> {
			List<Long> locked = wait ? this.seats.lock(candidates) : this.seats.lockUnlocked(candidates);
			if (locked.size() == candidates.size()) {
				this.seats.takeOverLapsed(locked, now);
				List<Long> got = this.seats.claim(locked, claimant, position);
				if (got.size() == locked.size()) {
					return true;
				}
				locked.stream().filter(id -> !got.contains(id)).forEach(skip::add);
			}
			else {
				candidates.stream().filter(id -> !locked.contains(id)).forEach(skip::add);
			}
			status.setRollbackOnly();
			return false;
		}));
	}

	/** A confirmed hold's seats become sold, or HOLD_EXPIRED if it lapsed meanwhile. */
	void confirm(Hold hold, UUID bookingId, Instant now) {
		int seats = seatCount(List.of(hold));
		if (seats == 0) {
			return;
		}
		this.seats.lockClaimedBy(List.of(hold.id()), List.of());
		if (this.seats.confirm(hold.id(), bookingId, now) != seats) {
			throw new BoxofficeException(ErrorCode.HOLD_EXPIRED, "The hold is expired; nothing was booked");
		}
	}

	/**
	 * The seats of ended holds and cancelled bookings return: their seats are locked in
	 * seat id order, then their claims end.
	 */
	void giveBack(Collection<Hold> holds, Collection<Booking> bookings) {
		List<UUID> holdIds = holds.stream().filter(hold -> seatCount(List.of(hold)) > 0).map(Hold::id).toList();
		List<Booking> seated = bookings.stream().filter(b -> b.items().stream().anyMatch(Seating::seated)).toList();
		if (holdIds.isEmpty() && seated.isEmpty()) {
			return;
		}
		List<UUID> bookingIds = seated.stream().map(Booking::id).toList();
		this.seats.lockClaimedBy(holdIds, bookingIds);
		if (!holdIds.isEmpty()) {
			this.seats.endHeld(holdIds);
		}
		if (!bookingIds.isEmpty()) {
			int sold = seated.stream()
				.flatMap(b -> b.items().stream())
				.filter(Seating::seated)
				.mapToInt(Item::quantity)
				.sum();
			int ended = this.seats.endSold(bookingIds);
			if (ended != sold) {
				throw new IllegalStateException("Cancelled bookings had " + sold + " seats but " + ended + " claims");
			}
		}
	}

	static boolean seated(Item item) {
		return !item.seats().isEmpty();
	}

	private static int seatCount(Collection<Hold> holds) {
		return holds.stream().flatMap(h -> h.items().stream()).filter(Seating::seated).mapToInt(Item::quantity).sum();
	}

	private static Item item(Event event, List<Seat> seats) {
		UUID categoryId = seats.get(0).categoryId();
		Category category = event.categories()
			.stream()
			.filter(c -> c.id().equals(categoryId))
			.findFirst()
			.orElseThrow();
		return item(category, seats);
	}

	private static Item item(Category category, List<Seat> seats) {
		return new Item(category.id(), category.code(), seats.size(),
				seats.stream().sorted(SEAT_MAP_ORDER).map(Seat::label).toList());
	}

}
