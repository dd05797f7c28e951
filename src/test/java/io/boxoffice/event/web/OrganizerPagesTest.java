package io.boxoffice.event.web;

import java.util.List;
import java.util.Map;

import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Browser;
import tools.jackson.databind.JsonNode;
import io.boxoffice.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An organizer in a real Chromium: creates a seated event with the form, reads its
 * dashboard as buyers book, checks a ticket in twice at the door, and cancels the event.
 */
class OrganizerPagesTest extends IntegrationTest {

	private static void fill(Browser browser, String css, String value) {
		WebElement field = browser.find(css);
		browser.script("arguments[0].value = arguments[1]", field, value);
	}

	/**
	 * Sold, held, available and capacity as the dashboard's row of the category shows
	 * them, read in one script so that a refresh of the table cannot swap the cells
	 * between two reads.
	 */
	private static String counts(Browser browser, String category) {
		return String.valueOf(browser.script("""
				return Array.from(document.querySelectorAll(
				    '#counts tr[data-category="' + arguments[0] + '"] td:not(.bar)'))
				  .map(cell => cell.textContent.trim()).join(' ')""", category));
	}

	@Test
	void organizerCreatesASeatedEventWatchesItsSalesAndChecksATicketInTwice() {
		try (Browser organizer = Browser.open(port(), "organizer-creates-event")) {
			organizer.signUp("ORGANIZER");
			assertThat(organizer.path()).isEqualTo("/organizer");
			organizer.click("a[href='/organizer/events/new']");
			organizer.type("#name", "Autumn Recital").type("#venue", "Blue Room");
			fill(organizer, "#startsAt", "2035-10-01T19:30");
			organizer.type("#holdTtlSeconds", "300").type("#maxTicketsPerCustomer", "6");
			organizer.type("#code0", "STALLS").type("#cname0", "Stalls").type("#price0", "30.00");
			organizer.click("#reserved0");
			organizer.type("#rows0", "A:1-8, A:5-9");
			organizer.type("#code1", "GA").type("#cname1", "Standing").type("#price1", "15.00");
			organizer.type("#capacity1", "100");
			organizer.screenshot("form");
			organizer.submit("main form button[type=submit]");

			// overlapping rows: the form comes back with a sentence and what was typed
			assertThat(organizer.text("main .problem")).startsWith("Please check the form:");
			assertThat(organizer.find("#name").getDomProperty("value")).isEqualTo("Autumn Recital");
			organizer.screenshot("form-refused");
			organizer.type("#rows0", "A:1-8, B:1-8");
			organizer.submit("main form button[type=submit]");

			organizer.await(30, driver -> organizer.path().matches("/organizer/events/[0-9a-f-]{36}"));
			String eventId = organizer.path().substring("/organizer/events/".length());
			assertThat(organizer.text("h1")).isEqualTo("Autumn Recital");
			assertThat(counts(organizer, "STALLS")).isEqualTo("0 0 16 16");
			assertThat(counts(organizer, "GA")).isEqualTo("0 0 100 100");

			// a buyer books two seats and holds three standing tickets; the chart follows
			// without a reload
			String customer = this.api.customer();
			String code = this.api
				.book(customer, eventId, Map.of("items", List.of(Map.of("seats", List.of("A-1", "A-2")))))
				.expectStatus(201)
				.json()
				.get("tickets")
				.get(0)
				.get("code")
				.asString();
			this.api.hold(customer, eventId, Map.of("items", List.of(Map.of("category", "GA", "quantity", 3))))
				.expectStatus(201);
			organizer.await(30, driver -> counts(organizer, "STALLS").equals("2 0 14 16")
					&& counts(organizer, "GA").equals("0 3 97 100"));
			assertThat(organizer.text("#bookings-title")).isEqualTo("Bookings (1)");
			organizer.awaitText("#checkin-count", "0 of 2 tickets checked in.");
			// held is striped (a pattern), not a colour of its own
			String heldFill = organizer.await(10,
					driver -> String.valueOf(organizer.script("return getComputedStyle(arguments[0]).fill",
							organizer.find("#counts tr[data-category='GA'] rect.held"))));
			assertThat(heldFill).isEqualTo("url(\"#held-stripes\")");
			organizer.screenshot("dashboard");

			// the door: the same ticket twice
			organizer.click("a[href='/organizer/events/" + eventId + "/checkin']");
			organizer.type("#code", code).type("#gate", "North").submit("#scan button[type=submit]");
			assertThat(organizer.text("#result .checkin-result")).isEqualTo("✔ ADMITTED");
			assertThat(organizer.text("#result .notice")).isEqualTo("STALLS · seat A-1");
			assertThat(organizer.text("#checkin-count")).isEqualTo("1 of 2 tickets checked in.");
			organizer.screenshot("admitted");
			organizer.type("#code", code).type("#gate", "South").submit("#scan button[type=submit]");
			assertThat(organizer.text("#result .checkin-result")).isEqualTo("✖ ALREADY CHECKED IN");
			assertThat(organizer.text("#result .problem")).startsWith("This ticket was already checked in at ")
				.endsWith(" at gate North. Do not let it in again.");
			assertThat(organizer.text("#checkin-count")).isEqualTo("1 of 2 tickets checked in.");
			organizer.screenshot("already-checked-in");
			organizer.type("#code", "no-such-code-at-this-event").submit("#scan button[type=submit]");
			assertThat(organizer.text("#result .checkin-result")).isEqualTo("✖ NOT ADMITTED");
			assertThat(organizer.text("#result .problem")).isEqualTo("No ticket of this event has this code.");

			organizer.click("a[href='/organizer']");
			assertThat(organizer.text("main table tbody")).contains("Autumn Recital");
			organizer.go("/organizer/events/" + eventId);
			organizer.click("#cancel-title + form input[name=confirm]");
			organizer.submit("#cancel-title + form button[type=submit]");
			organizer.awaitText("main .notice", "The event is cancelled");
			assertThat(this.api.counts(eventId, "STALLS")).isEqualTo(new Counts(16, 16, 0, 0));
			assertThat(this.api.get("/api/v1/events/" + eventId, null).json().get("status").asString())
				.isEqualTo("CANCELLED");
			organizer.screenshot("cancelled");
			// console errors: only the refusals' own 4xx answers, no blocked script or
			// style
			assertThat(organizer.severeLogs()).hasSize(3)
				.allMatch(log -> log.contains("Failed to load resource: the server responded with a status of 4"))
				.noneMatch(log -> log.contains("Content Security Policy"));
		}
	}

	@Test
	void organizerPutsAnEventBehindAnOnSaleQueue() {
		try (Browser organizer = Browser.open(port(), "organizer-creates-queued-event")) {
			organizer.signUp("ORGANIZER");
			organizer.go("/organizer/events/new");
			organizer.type("#name", "Stadium Night");
			fill(organizer, "#startsAt", "2035-10-01T19:30");
			organizer.type("#code0", "GA").type("#price0", "50.00").type("#capacity0", "1000");
			organizer.type("#passTtlSeconds", "120");
			organizer.submit("main form button[type=submit]");
			assertThat(organizer.text("main .problem"))
				.isEqualTo("Please check the form: maxActiveBuyers is required for a queue.");

			organizer.type("#maxActiveBuyers", "50");
			organizer.submit("main form button[type=submit]");
			assertThat(organizer.path()).matches("/organizer/events/[0-9a-f-]{36}");
			String eventId = organizer.path().substring("/organizer/events/".length());
			JsonNode queue = this.api.get("/api/v1/events/" + eventId, null).expectStatus(200).json().get("queue");
			assertThat(queue.get("maxActiveBuyers").asInt()).isEqualTo(50);
			assertThat(queue.get("passTtlSeconds").asInt()).isEqualTo(120);
		}
	}

}
