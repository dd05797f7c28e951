package io.boxoffice.booking;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.boxoffice.booking.Inventory.Claimant;
import io.boxoffice.booking.Sales.Key;
import io.boxoffice.booking.Views.BookingView;
import io.boxoffice.booking.Views.Outcome;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventService;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.Caller;
import io.boxoffice.shared.PageQuery;
import io.boxoffice.shared.PageQuery.PageResult;
import io.boxoffice.shared.Role;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Booking in one step, reading bookings, cancelling them. */
@Service
public class BookingService {

	private final Sales sales;

	private final Inventory inventory;

	private final CustomerLimits limits;

	private final BookingRepository bookings;

	private final Returns returns;

	private final EventService events;

	private final BookingProperties properties;

	private final Clock clock;

	BookingService(Sales sales, Inventory inventory, CustomerLimits limits, BookingRepository bookings, Returns returns,
			EventService events, BookingProperties properties, Clock clock) {
		this.sales = sales;
		this.inventory = inventory;
		this.limits = limits;
		this.bookings = bookings;
		this.returns = returns;
		this.events = events;
		this.properties = properties;
		this.clock = clock;
	}

	/** Holds and confirms in one step: the hot path of a flash sale. */
	public Outcome<BookingView> book(UUID customerId, UUID eventId, List<ItemRequest> items,
			@Nullable String idempotencyKey) {
		Key key = this.sales.key(idempotencyKey, "book " + eventId, items);
		return this.sales.run(eventId, customerId, key, (event, now) -> {
			Cart cart = Cart.of(event, items, this.properties);
			event.checkSalesOpen(now);
			this.limits.take(event, customerId, cart.quantity());
			UUID bookingId = UUID.randomUUID();
			List<Item> claimed = this.inventory.claim(event, cart, Claimant.booking(bookingId), now);
			Booking booking = new Booking(bookingId, eventId, customerId, null, BookingStatus.CONFIRMED, claimed,
					total(event, claimed), event.currency(), now, null);
			this.bookings.insert(booking);
			return new Sales.Created<>(BookingView.of(booking), "/api/v1/bookings/" + booking.id());
		});
	}

	static BigDecimal total(Event event, List<Item> items) {
		return items.stream()
			.map(item -> event.categories()
				.stream()
				.filter(category -> category.id().equals(item.categoryId()))
				.findFirst()
				.orElseThrow()
				.price()
				.multiply(BigDecimal.valueOf(item.quantity())))
			.reduce(BigDecimal.ZERO, BigDecimal::add);
	}

	/** Its customer or the event's organizer; anyone else learns nothing. */
	@Transactional(readOnly = true)
	public BookingView get(Caller caller, UUID bookingId) {
		return BookingView.of(visible(caller, this.bookings.find(bookingId)));
	}

	@Transactional(readOnly = true)
	public PageResult<BookingView> mine(UUID customerId, PageQuery page) {
		return page.result(this.bookings.pageByCustomer(customerId, page), this.bookings.countByCustomer(customerId))
			.map(BookingView::of);
	}

	@Transactional(readOnly = true)
	public PageResult<BookingView> ofEvent(UUID organizerId, UUID eventId, PageQuery page) {
		this.events.getOwn(organizerId, eventId);
		return page.result(this.bookings.pageByEvent(eventId, page), this.bookings.countByEvent(eventId))
			.map(BookingView::of);
	}

	/** Returns the tickets at once; cancelling a cancelled booking changes nothing. */
	@Transactional
	public BookingView cancel(Caller caller, UUID bookingId) {
		Booking booking = visible(caller, this.bookings.findForUpdate(bookingId));
		if (booking.status() == BookingStatus.CANCELLED) {
			return BookingView.of(booking);
		}
		Instant now = Sql.now(this.clock);
		this.bookings.cancel(List.of(booking.id()), now);
		this.returns.soldTickets(List.of(booking));
		return BookingView.of(booking.cancelled(now));
	}

	private Booking visible(Caller caller, java.util.Optional<Booking> found) {
		return found
			.filter(booking -> caller.is(Role.CUSTOMER) ? booking.customerId().equals(caller.id())
					: this.events.get(booking.eventId()).isOrganizedBy(caller.id()))
			.orElseThrow(() -> BoxofficeException.notFound("Booking"));
	}

}
