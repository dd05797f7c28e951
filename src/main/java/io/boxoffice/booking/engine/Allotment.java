package io.boxoffice.booking.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import io.boxoffice.booking.Item;
import io.boxoffice.booking.inventory.SeatRepository.Seat;
import io.boxoffice.booking.inventory.Seating;
import io.boxoffice.booking.store.CustomerLimits.Tally;
import io.boxoffice.event.Category;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * How a batch of sales of one event is decided, in memory, in arrival order, as if each
 * request came after the ones before it: a request is granted if its customer's limit
 * (counting what was granted to them before it), the pools' tickets left, its named seats
 * and the best-available seats left all allow it; otherwise it is refused with the error
 * a request alone would get, and takes nothing. Two requests of a batch never get one
 * seat. Pure: the database writes what it decides, and judges it again (guarded pool
 * counters, the unique index of seat claims).
 *
 * @param <R> a request
 * @param granted what each granted request gets, in arrival order
 * @param refused each refused request in arrival order, with its error
 * @param widen reserved categories whose free seats must be read further before the batch
 * can be decided (some best-available request found no adjacent block in what was read,
 * and there is more); nothing is decided when this is not empty
 */
record Allotment<R>(Map<R, Grant> granted, Map<R, BoxofficeException> refused, Set<UUID> widen) {

	/**
	 * One item asked for, at its position in the request: {@code quantity} tickets of a
	 * pool, exactly the {@code named} seats, or {@code quantity} best-available seats of
	 * a reserved category.
	 */
	record Line(Category category, int quantity, List<Seat> named) {

		static Line pool(Category category, int quantity) {
			return new Line(category, quantity, List.of());
		}

		static Line seats(Category category, List<Seat> named) {
			return new Line(category, named.size(), named);
		}

		static Line best(Category category, int quantity) {
			return new Line(category, quantity, List.of());
		}

		boolean isPool() {
			return !this.category.isReserved();
		}

		boolean isNamed() {
			return !this.named.isEmpty();
		}

	}

	/** A customer's request: its lines in the order asked. */
	record Ask(UUID customerId, List<Line> lines) {

		int tickets() {
			return this.lines.stream().mapToInt(Line::quantity).sum();
		}

	}

	/**
	 * What the batch read: tickets available per pool (locked), customers' tallies (none
	 * when the event has no limit), which of the named seats are claimed, and the free
	 * seats of reserved categories in seat-map order.
	 */
	record Stock(Map<UUID, Integer> pools, Map<UUID, Tally> tallies, Set<Long> claimed, Map<UUID, FreeSeats> free) {
	}

	/**
	 * The first free seats of a category in seat-map order; {@code complete} when they
	 * are all of them.
	 */
	record FreeSeats(List<Seat> seats, boolean complete) {

		/** These free seats but {@code busy} ones (another sale is taking them). */
		FreeSeats without(Set<Long> busy) {
			if (busy.isEmpty()) {
				return this;
			}
			return new FreeSeats(this.seats.stream().filter(seat -> !busy.contains(seat.id())).toList(), this.complete);
		}

	}

	/**
	 * What a granted request gets: its items in the order asked, and each seat it claims
	 * with the position of its item.
	 */
	record Grant(List<Item> items, Map<Seat, Integer> seats) implements Decision {
	}

	/**
	 * @param requests in arrival order
	 * @param ask what a request asks for
	 * @param limitExceeded the refusal of a request past its customer's limit
	 */
	static <R> Allotment<R> decide(List<R> requests, Function<R, Ask> ask, Stock stock,
			Supplier<BoxofficeException> limitExceeded) {
		Map<UUID, Tally> tallies = new HashMap<>(stock.tallies());
		Map<UUID, Integer> left = new HashMap<>(stock.pools());
		Set<Long> used = new HashSet<>();
		Map<R, Grant> granted = new LinkedHashMap<>();
		Map<R, BoxofficeException> refused = new LinkedHashMap<>();
		Set<UUID> widen = new HashSet<>();
		for (R request : requests) {
			Ask asked = ask.apply(request);
			Tally tally = tallies.get(asked.customerId());
			if (tally != null && !tally.allows(asked.tickets())) {
				refused.put(request, limitExceeded.get());
				continue;
			}
			Decision decision = decideOne(asked, left, stock, used);
			if (decision instanceof Widen more) {
				widen.add(more.categoryId());
			}
			else if (decision instanceof Refusal refusal) {
				refused.put(request, refusal.error());
			}
			else if (decision instanceof Grant grant) {
				granted.put(request, grant);
				grant.items()
					.stream()
					.filter(item -> item.seats().isEmpty())
					.forEach(item -> left.merge(item.categoryId(), -item.quantity(), Integer::sum));
				grant.seats().keySet().forEach(seat -> used.add(seat.id()));
				if (tally != null) {
					tallies.put(asked.customerId(), tally.plus(asked.tickets()));
				}
			}
		}
		if (!widen.isEmpty()) {
			return new Allotment<>(Map.of(), Map.of(), widen);
		}
		return new Allotment<>(granted, refused, Set.of());
	}

	/** One request's outcome: a grant, a refusal, or a category to read further. */
	sealed interface Decision permits Grant, Refusal, Widen {

	}

	private record Refusal(BoxofficeException error) implements Decision {
	}

	private record Widen(UUID categoryId) implements Decision {
	}

	private static Decision decideOne(Ask ask, Map<UUID, Integer> left, Stock stock, Set<Long> used) {
		// pools first, in category order, as a request alone claims them
		Map<Category, Integer> wanted = new TreeMap<>(Comparator.comparing(Category::id));
		for (Line line : ask.lines()) {
			if (line.isPool()) {
				wanted.merge(line.category(), line.quantity(), Integer::sum);
			}
		}
		for (Map.Entry<Category, Integer> pool : wanted.entrySet()) {
			int available = left.getOrDefault(pool.getKey().id(), 0);
			if (pool.getValue() > available) {
				String code = pool.getKey().code();
				return refusal(new BoxofficeException(ErrorCode.SOLD_OUT,
						"Only " + available + " tickets of " + code + " are available",
						Map.of("available", available, "category", code)));
			}
		}
		// then every named seat: any taken refuses the request, naming each taken seat
		Set<Long> taking = new HashSet<>(used);
		List<Seat> taken = ask.lines()
			.stream()
			.filter(Line::isNamed)
			.flatMap(line -> line.named().stream())
			.filter(seat -> stock.claimed().contains(seat.id()) || used.contains(seat.id()))
			.sorted(Seating.SEAT_MAP_ORDER)
			.toList();
		if (!taken.isEmpty()) {
			List<String> labels = taken.stream().map(Seat::label).toList();
			return refusal(new BoxofficeException(ErrorCode.SEATS_UNAVAILABLE,
					"Not available: " + String.join(", ", labels), Map.of("seats", labels)));
		}
		// best-available lines leave out the seats the request names, wherever it names
		// them
		ask.lines().stream().filter(Line::isNamed).forEach(line -> line.named().forEach(seat -> taking.add(seat.id())));
		Map<Seat, Integer> seats = new LinkedHashMap<>();
		List<Item> items = new ArrayList<>();
		for (int position = 0; position < ask.lines().size(); position++) {
			Line line = ask.lines().get(position);
			Category category = line.category();
			List<Seat> got;
			if (line.isPool()) {
				got = List.of();
			}
			else if (line.isNamed()) {
				got = line.named();
			}
			else {
				FreeSeats free = stock.free().getOrDefault(category.id(), new FreeSeats(List.of(), true));
				got = best(free.seats(), taking, line.quantity());
				if (got == null && !free.complete()) {
					return new Widen(category.id());
				}
				if (got == null) {
					got = firstFree(free.seats(), taking, line.quantity());
				}
				if (got == null) {
					int available = (int) free.seats().stream().filter(seat -> !taking.contains(seat.id())).count();
					return refusal(new BoxofficeException(ErrorCode.SOLD_OUT,
							"Only " + available + " seats of " + category.code() + " are available",
							Map.of("available", available, "category", category.code())));
				}
			}
			for (Seat seat : got) {
				taking.add(seat.id());
				seats.put(seat, position);
			}
			items.add(new Item(category.id(), category.code(), line.quantity(),
					got.stream().sorted(Seating.SEAT_MAP_ORDER).map(Seat::label).toList()));
		}
		return new Grant(List.copyOf(items), seats);
	}

	private static Decision refusal(BoxofficeException refusal) {
		return new Refusal(refusal);
	}

	/**
	 * Best available among free seats in seat-map order, leaving out {@code taken}: the
	 * first {@code n} adjacent free seats (front row first, lowest number first).
	 * @return the first adjacent block, or none when the free seats given have none
	 */
	static @Nullable List<Seat> best(List<Seat> free, Set<Long> taken, int n) {
		List<Seat> run = new ArrayList<>();
		for (Seat seat : free) {
			if (taken.contains(seat.id())) {
				continue;
			}
			Seat last = run.isEmpty() ? null : run.get(run.size() - 1);
			if (last == null || last.rowRank() != seat.rowRank() || last.number() + 1 != seat.number()) {
				run.clear();
			}
			run.add(seat);
			if (run.size() == n) {
				return List.copyOf(run);
			}
		}
		return null;
	}

	/**
	 * When no row has {@code n} adjacent seats among all free ones: the first {@code n}.
	 */
	static @Nullable List<Seat> firstFree(List<Seat> free, Set<Long> taken, int n) {
		List<Seat> first = free.stream().filter(seat -> !taken.contains(seat.id())).limit(n).toList();
		return (first.size() == n) ? first : null;
	}

}
