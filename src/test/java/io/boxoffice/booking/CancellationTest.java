package io.boxoffice.booking;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import io.boxoffice.support.Ledger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Cancelling a booking, and cancelling a whole event, returns tickets at once. */
class CancellationTest extends IntegrationTest {

	String organizer;

	@BeforeEach
	void setUp() {
		this.organizer = this.api.organizer();
	}

	@AfterEach
	void booksBalance() {
		Ledger.assertBalanced(this.jdbc);
	}

	@Test
	void cancellingABookingReturnsItsTicketsAtOnce() {
		String event = event(10, null);
		String customer = this.api.customer();
		Response booking = book(customer, event, 3).expectStatus(201);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(10, 7, 0, 3));

		Response cancelled = this.api.cancelBooking(customer, booking.id()).expectStatus(200);

		assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
		assertThat(cancelled.json().get("cancelledAt").isNull()).isFalse();
		assertThat(cancelled.json().get("id").asString()).isEqualTo(booking.id());
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(10, 10, 0, 0));
		assertThat(this.api.get("/api/v1/bookings/" + booking.id(), customer)
			.expectStatus(200)
			.json()
			.get("status")
			.asString()).isEqualTo("CANCELLED");
	}

	@Test
	void cancellingTwiceAnswersTheSameAndChangesNothing() {
		String event = event(10, null);
		String customer = this.api.customer();
		Response booking = book(customer, event, 4).expectStatus(201);
		Response first = this.api.cancelBooking(customer, booking.id()).expectStatus(200);
		Map<String, Long> rows = rowCounts();

		Response again = this.api.cancelBooking(customer, booking.id()).expectStatus(200);

		assertThat(again.json()).isEqualTo(first.json());
		assertThat(rowCounts()).isEqualTo(rows);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(10, 10, 0, 0));
	}

	@Test
	void cancellingABookingGivesTheCustomerLimitBack() {
		String event = event(10, 2);
		String customer = this.api.customer();
		Response booking = book(customer, event, 2).expectStatus(201);
		assertThat(book(customer, event, 1).code()).isEqualTo("LIMIT_EXCEEDED");

		this.api.cancelBooking(customer, booking.id()).expectStatus(200);

		book(customer, event, 2).expectStatus(201);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(10, 8, 0, 2));
	}

	@Test
	void cancellingTheEventCancelsEveryActiveHoldAndConfirmedBooking() {
		String event = event(20, 5);
		String holder = this.api.customer();
		String otherHolder = this.api.customer();
		String buyer = this.api.customer();
		String earlierCanceller = this.api.customer();
		Response hold = hold(holder, event, 2).expectStatus(201);
		Response otherHold = hold(otherHolder, event, 3).expectStatus(201);
		Response released = hold(otherHolder, event, 1).expectStatus(201);
		this.api.delete("/api/v1/holds/" + released.id(), otherHolder).expectStatus(204);
		Response booking = book(buyer, event, 4).expectStatus(201);
		Response confirmed = this.api.confirm(buyer, hold(buyer, event, 1).expectStatus(201).id()).expectStatus(201);
		Response cancelledEarlier = book(earlierCanceller, event, 1).expectStatus(201);
		Response earlier = this.api.cancelBooking(earlierCanceller, cancelledEarlier.id()).expectStatus(200);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(20, 10, 5, 5));

		Response cancelled = this.api.post("/api/v1/events/" + event + "/cancel", this.organizer, null)
			.expectStatus(200);

		assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(20, 20, 0, 0));
		assertThat(holdStatus(holder, hold)).isEqualTo("CANCELLED");
		assertThat(holdStatus(otherHolder, otherHold)).isEqualTo("CANCELLED");
		assertThat(holdStatus(otherHolder, released)).isEqualTo("RELEASED");
		assertThat(bookingStatus(buyer, booking)).isEqualTo("CANCELLED");
		assertThat(bookingStatus(buyer, confirmed)).isEqualTo("CANCELLED");
		assertThat(this.api.get("/api/v1/bookings/" + cancelledEarlier.id(), earlierCanceller).json())
			.as("a booking cancelled before the event keeps its own cancellation")
			.isEqualTo(earlier.json());
		assertThat(this.jdbc.sql("SELECT count(*) FROM customer_tally WHERE event_id = :id AND tickets <> 0")
			.param("id", UUID.fromString(event))
			.query(Long.class)
			.single()).isZero();
		assertThat(this.api.get("/api/v1/events/" + event, null).json().get("status").asString())
			.isEqualTo("CANCELLED");

		Map<String, Long> rows = rowCounts();
		Response lateHold = hold(this.api.customer(), event, 1);
		assertThat(lateHold.status()).isEqualTo(409);
		assertThat(lateHold.code()).isEqualTo("EVENT_CANCELLED");
		Response lateBooking = book(buyer, event, 1);
		assertThat(lateBooking.status()).isEqualTo(409);
		assertThat(lateBooking.code()).isEqualTo("EVENT_CANCELLED");
		Response lateConfirm = this.api.confirm(holder, hold.id());
		assertThat(lateConfirm.status()).isEqualTo(410);
		assertThat(lateConfirm.code()).isEqualTo("HOLD_EXPIRED");
		this.api.post("/api/v1/events/" + event + "/cancel", this.organizer, null).expectStatus(200);
		this.api.cancelBooking(buyer, booking.id()).expectStatus(200);
		assertThat(rowCounts()).isEqualTo(rows);
		assertThat(this.api.counts(event, "GA")).isEqualTo(new Counts(20, 20, 0, 0));
	}

	private Map<String, Long> rowCounts() {
		Map<String, Long> counts = new HashMap<>();
		for (String table : List.of("booking", "booking_item", "hold", "hold_item")) {
			counts.put(table, this.jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single());
		}
		counts.put("cancelled bookings",
				this.jdbc.sql("SELECT count(*) FROM booking WHERE status = 'CANCELLED'").query(Long.class).single());
		return counts;
	}

	private String event(int capacity, Integer maxPerCustomer) {
		return this.api.gaEvent(this.organizer, capacity, 60, maxPerCustomer);
	}

	private String holdStatus(String customer, Response hold) {
		return this.api.get("/api/v1/holds/" + hold.id(), customer).expectStatus(200).json().get("status").asString();
	}

	private String bookingStatus(String customer, Response booking) {
		return this.api.get("/api/v1/bookings/" + booking.id(), customer)
			.expectStatus(200)
			.json()
			.get("status")
			.asString();
	}

}
