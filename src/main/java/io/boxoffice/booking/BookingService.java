package io.boxoffice.booking;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.boxoffice.booking.Views.BookingView;
import io.boxoffice.booking.Views.Outcome;
import io.boxoffice.booking.engine.Commits;
import io.boxoffice.booking.engine.Order;
import io.boxoffice.booking.store.BookingRepository;
import io.boxoffice.event.EventService;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.Caller;
import io.boxoffice.shared.PageQuery.PageResult;
import io.boxoffice.shared.PageQuery;
import io.boxoffice.shared.Role;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** Booking in one step, reading bookings, cancelling them. */
@Service
public class BookingService {

	private final OneStepBooking oneStep;

	private final BookingRepository bookings;

	private final Returns returns;

	private final EventService events;

	private final Clock clock;

	private final TransactionTemplate tx;

	private final Commits commits;

	private final Gates gates;

	BookingService(OneStepBooking oneStep, BookingRepository bookings, Returns returns, EventService events,
			Clock clock, TransactionTemplate tx, Commits commits, Gates gates) {
		this.gates = gates;
		this.oneStep = oneStep;
		this.bookings = bookings;
		this.returns = returns;
		this.events = events;
		this.clock = clock;
		this.tx = tx;
		this.commits = commits;
	}

	/** Holds and confirms in one step: the hot path of a flash sale. */
	public Outcome<BookingView> book(UUID customerId, UUID eventId, List<ItemRequest> items,
			@Nullable String idempotencyKey) {
		this.gates.checkMayBuy(eventId, customerId, idempotencyKey);
		Outcome<BookingView> outcome = this.oneStep.book(new Order(customerId, eventId, items, idempotencyKey));
		this.gates.bookingConfirmed(eventId, customerId);
		return outcome;
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
	public BookingView cancel(Caller caller, UUID bookingId) {
		return this.commits.execute(this.tx, status -> {
			Booking booking = visible(caller, this.bookings.findForUpdate(bookingId));
			if (booking.status() == BookingStatus.CANCELLED) {
				return BookingView.of(booking);
			}
			Instant now = Sql.now(this.clock);
			this.bookings.cancel(List.of(booking), now);
			this.returns.soldTickets(List.of(booking));
			return BookingView.of(booking.cancelled(now));
		});
	}

	private Booking visible(Caller caller, java.util.Optional<Booking> found) {
		return found
			.filter(booking -> caller.is(Role.CUSTOMER) ? booking.customerId().equals(caller.id())
					: this.events.get(booking.eventId()).isOrganizedBy(caller.id()))
			.orElseThrow(() -> BoxofficeException.notFound("Booking"));
	}

}
