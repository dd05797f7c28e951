package io.boxoffice.waitlist.web;

import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Browser;
import io.boxoffice.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A buyer in a real Chromium joins the waiting list of a sold-out category on the event's
 * page, sees the offer arrive on the waiting-list page when another buyer cancels, and
 * books it from the cart.
 */
class WaitlistPagesTest extends IntegrationTest {

	@Test
	void aBuyerJoinsTheWaitingListOfASoldOutEventSeesTheOfferAndBooksIt() {
		String eventId = this.api.gaEvent(this.api.organizer(), 2);
		String first = this.api.customer();
		String firstBooking = book(first, eventId, 2).expectStatus(201).id();
		try (Browser buyer = Browser.open(port(), "waitlist-offer")) {
			buyer.signUp("CUSTOMER");
			buyer.go("/events/" + eventId);
			assertThat(buyer.all("form.buy")).isEmpty();
			assertThat(buyer.text("label[for='wait-GA']")).isEqualTo("Sold out. How many");
			buyer.screenshot("sold-out-event");
			buyer.type("#wait-GA", "2").submit("form.waitlist button[type=submit]");
			assertThat(buyer.path()).isEqualTo("/waitlist");
			assertThat(buyer.text("main .notice"))
				.isEqualTo("You are on the waiting list for 2 × GA, number 1 in line.");
			assertThat(buyer.text("#entries .entry td:nth-child(2)")).isEqualTo("2 × GA");
			assertThat(buyer.text("#entries .entry-status")).isEqualTo("Waiting: number 1 in line.");
			buyer.screenshot("waiting");

			// a second try is refused with a sentence on the event's page
			buyer.go("/events/" + eventId);
			buyer.type("#wait-GA", "1").submit("form.waitlist button[type=submit]");
			assertThat(buyer.path()).isEqualTo("/events/" + eventId);
			assertThat(buyer.text("main .problem")).isEqualTo("You are already on the waiting list for this category.");

			buyer.go("/waitlist");
			this.api.cancelBooking(first, firstBooking).expectStatus(200);
			// the list refreshes by itself
			buyer.awaitText("#entries .entry-status", "Offered");
			assertThat(buyer.text("#entries .entry-status")).matches(
					"Offered: the tickets are held for you until \\d\\d:\\d\\d:\\d\\d UTC\\. Go to the cart to book them");
			assertThat(this.api.counts(eventId, "GA")).isEqualTo(new Counts(2, 0, 2, 0));
			buyer.screenshot("offered");

			// the link of the offer, read while the list may be refreshing
			String cart = buyer.await(10,
					driver -> driver.findElement(By.cssSelector("#entries a.offer")).getDomAttribute("href"));
			assertThat(cart).startsWith("/cart/");
			buyer.go(cart);
			assertThat(buyer.path()).startsWith("/cart/");
			assertThat(buyer.text("main table tbody")).isEqualTo("GA 2 General admission");
			buyer.submit("#confirm");
			assertThat(buyer.path()).startsWith("/bookings/");
			assertThat(buyer.text("#booking-status")).isEqualTo("Confirmed");
			assertThat(buyer.all("#tickets .ticket .ticket-what")).extracting(WebElement::getText)
				.containsExactly("GA · general admission", "GA · general admission");
			buyer.screenshot("booked-from-offer");

			buyer.go("/waitlist");
			assertThat(buyer.text("#entries .entry-status")).isEqualTo("Booked from an offer.");
			assertThat(buyer.all("#entries form")).isEmpty();
			assertThat(this.api.counts(eventId, "GA")).isEqualTo(new Counts(2, 0, 0, 2));
			assertThat(buyer.severeLogs()).isEmpty();
		}
	}

	@Test
	void aBuyerLeavesTheWaitingList() {
		String eventId = this.api.gaEvent(this.api.organizer(), 1);
		book(this.api.customer(), eventId, 1).expectStatus(201);
		try (Browser buyer = Browser.open(port(), "waitlist-leave")) {
			buyer.signUp("CUSTOMER");
			buyer.go("/bookings");
			buyer.submit("main a[href='/waitlist']");
			assertThat(buyer.text("#entries")).isEqualTo("You are not on any waiting list. Find an event.");
			buyer.go("/events/" + eventId);
			buyer.type("#wait-GA", "1").submit("form.waitlist button[type=submit]");
			buyer.submit("#entries form button[type=submit]");
			assertThat(buyer.text("main .notice")).isEqualTo("You left the waiting list.");
			assertThat(buyer.text("#entries .entry-status")).isEqualTo("You left.");
		}
	}

}
