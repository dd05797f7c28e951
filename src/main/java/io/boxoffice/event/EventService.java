package io.boxoffice.event;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.boxoffice.event.EventInventory.Counts;
import io.boxoffice.event.EventInventory.SeatState;
import io.boxoffice.event.NewEvent.NewCategory;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.PageQuery;
import io.boxoffice.shared.PageQuery.PageResult;
import io.boxoffice.shared.Sql;
import io.boxoffice.shared.ValidationErrors;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Publishing, reading and cancelling events. */
@Service
public class EventService {

	private static final Set<String> KNOWN_CURRENCIES = Currency.getAvailableCurrencies()
		.stream()
		.map(Currency::getCurrencyCode)
		.collect(Collectors.toUnmodifiableSet());

	private final EventRepository events;

	private final EventInventory inventory;

	private final EventProperties properties;

	private final Clock clock;

	EventService(EventRepository events, EventInventory inventory, EventProperties properties, Clock clock) {
		this.events = events;
		this.inventory = inventory;
		this.properties = properties;
		this.clock = clock;
	}

	@Transactional
	public Event create(UUID organizerId, NewEvent request) {
		Map<String, List<SeatRange>> seatMapsByCode = validate(request);
		Instant now = Sql.now(this.clock);
		List<Category> categories = new ArrayList<>();
		Map<UUID, List<SeatRange>> seatMaps = new HashMap<>();
		for (NewCategory item : request.categories()) {
			UUID id = UUID.randomUUID();
			List<SeatRange> seats = seatMapsByCode.get(item.code());
			Integer given = item.capacity();
			int capacity;
			if (seats != null) {
				capacity = seats.stream().mapToInt(SeatRange::size).sum();
			}
			else if (given != null) {
				capacity = given;
			}
			else {
				// validate refuses a category with neither
				throw new IllegalStateException("Category " + item.code() + " has neither seats nor a capacity");
			}
			categories.add(new Category(id, item.code(), item.name().strip(),
					(seats != null) ? CategoryKind.RESERVED : CategoryKind.GENERAL_ADMISSION, item.price(),
					item.currency(), capacity));
			if (seats != null) {
				seatMaps.put(id, seats);
			}
		}
		Instant startsAt = Sql.stored(request.startsAt());
		Instant salesOpenAt = (request.salesOpenAt() != null) ? Sql.stored(request.salesOpenAt()) : now;
		Instant salesCloseAt = (request.salesCloseAt() != null) ? Sql.stored(request.salesCloseAt()) : startsAt;
		int holdTtl = (request.holdTtlSeconds() != null) ? request.holdTtlSeconds()
				: this.properties.defaultHoldTtlSeconds();
		Event event = new Event(UUID.randomUUID(), organizerId, request.name().strip(), request.venue(), startsAt,
				salesOpenAt, salesCloseAt, EventStatus.ON_SALE, holdTtl, request.maxTicketsPerCustomer(),
				List.copyOf(categories), now, request.queue());
		this.events.insert(event);
		this.inventory.stock(event, seatMaps);
		return event;
	}

	/**
	 * Checks the rules between fields; returns each reserved category's seat map by code.
	 */
	private Map<String, List<SeatRange>> validate(NewEvent request) {
		ValidationErrors errors = new ValidationErrors();
		Instant salesOpenAt = (request.salesOpenAt() != null) ? request.salesOpenAt() : this.clock.instant();
		Instant salesCloseAt = (request.salesCloseAt() != null) ? request.salesCloseAt() : request.startsAt();
		if (salesCloseAt.isBefore(salesOpenAt)) {
			errors.reject("salesCloseAt", "must not be before salesOpenAt");
		}
		Set<String> codes = new HashSet<>();
		Set<String> currencies = new HashSet<>();
		Map<String, List<SeatRange>> seatMaps = new LinkedHashMap<>();
		List<SeatRange> allSeats = new ArrayList<>();
		long seatCount = 0;
		for (int i = 0; i < request.categories().size(); i++) {
			NewCategory category = request.categories().get(i);
			String field = "categories[" + i + "]";
			if (!codes.add(category.code())) {
				errors.reject(field + ".code", "is used by another category of this event");
			}
			currencies.add(category.currency());
			if (!KNOWN_CURRENCIES.contains(category.currency())) {
				errors.reject(field + ".currency", "is not an ISO 4217 currency code");
			}
			Integer capacity = category.capacity();
			List<SeatRange> seats = category.seats();
			if ((capacity != null) == (seats != null)) {
				errors.reject(field, "needs exactly one of capacity (general admission) and seats (reserved)");
			}
			else if (capacity != null && capacity > this.properties.maxCapacity()) {
				errors.reject(field + ".capacity", "must be at most " + this.properties.maxCapacity());
			}
			else if (seats != null) {
				if (seats.isEmpty()) {
					errors.reject(field + ".seats", "must name at least one seat range");
				}
				for (int r = 0; r < seats.size(); r++) {
					SeatRange range = seats.get(r);
					if (range.to() < range.from()) {
						errors.reject(field + ".seats[" + r + "].to", "must not be below from");
						continue;
					}
					if (allSeats.stream().anyMatch(range::overlaps)) {
						errors.reject(field + ".seats[" + r + "]", "overlaps another range of row " + range.row());
					}
					allSeats.add(range);
					seatCount += range.size();
				}
				seatMaps.put(category.code(), List.copyOf(seats));
			}
		}
		if (seatCount > this.properties.maxSeatsPerEvent()) {
			errors.reject("categories", "an event has at most " + this.properties.maxSeatsPerEvent() + " seats");
		}
		if (currencies.size() > 1) {
			errors.reject("categories", "all categories of an event must have the same currency");
		}
		errors.throwIfAny();
		return seatMaps;
	}

	@Transactional(readOnly = true)
	public Event get(UUID eventId) {
		return this.events.find(eventId).orElseThrow(() -> BoxofficeException.notFound("Event"));
	}

	/**
	 * The event for a sale in the current transaction, share-locked until it ends so that
	 * a cancellation cannot slip between the check and the sale.
	 */
	@Transactional(readOnly = false)
	public Event getForSale(UUID eventId) {
		return this.events.findForSale(eventId).orElseThrow(() -> BoxofficeException.notFound("Event"));
	}

	/**
	 * The event if the caller organizes it; another organizer's event is not revealed.
	 */
	@Transactional(readOnly = true)
	public Event getOwn(UUID organizerId, UUID eventId) {
		return this.events.find(eventId)
			.filter(event -> event.isOrganizedBy(organizerId))
			.orElseThrow(() -> BoxofficeException.notFound("Event"));
	}

	@Transactional(readOnly = true)
	public PageResult<EventWithCounts> list(@Nullable UUID organizerId, PageQuery page) {
		List<Event> found = this.events.newest(organizerId, page);
		return page.result(withCounts(found), this.events.count(organizerId));
	}

	@Transactional(readOnly = true)
	public EventWithCounts view(UUID eventId) {
		return withCounts(List.of(get(eventId))).get(0);
	}

	@Transactional(readOnly = true)
	public List<SeatState> seats(UUID eventId, @Nullable String categoryCode) {
		Event event = get(eventId);
		Category category = null;
		if (categoryCode != null) {
			category = event.category(categoryCode)
				.orElseThrow(() -> BoxofficeException.invalid("category", "is not a category of this event"));
		}
		return this.inventory.seats(event, category);
	}

	@Transactional
	public EventWithCounts cancel(UUID organizerId, UUID eventId) {
		Event event = this.events.findForCancel(eventId)
			.filter(found -> found.isOrganizedBy(organizerId))
			.orElseThrow(() -> BoxofficeException.notFound("Event"));
		if (event.status() != EventStatus.CANCELLED) {
			this.inventory.cancelAll(event);
			this.events.markCancelled(eventId);
			event = event.cancelled();
		}
		return withCounts(List.of(event)).get(0);
	}

	private List<EventWithCounts> withCounts(List<Event> found) {
		Map<UUID, Counts> counts = this.inventory.counts(found);
		return found.stream().map(event -> new EventWithCounts(event, counts)).toList();
	}

	/** An event with the counts of its categories by category id. */
	public record EventWithCounts(Event event, Map<UUID, Counts> counts) {

		public Counts counts(Category category) {
			return this.counts.getOrDefault(category.id(), new Counts(category.capacity(), 0, 0, 0));
		}

	}

}
