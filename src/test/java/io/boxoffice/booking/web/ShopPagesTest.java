package io.boxoffice.booking.web;

import java.util.List;
import java.util.Map;

import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Browser;
import io.boxoffice.support.IntegrationTest;
import io.boxoffice.support.Race;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A buyer in a real Chromium: picks seats on the map (pointer and keyboard), holds,
 * confirms and sees the tickets, while other browsers watch the seats change or race for
 * the same seat; and a hold that runs out on screen.
 */
class ShopPagesTest extends IntegrationTest {

	private String seatedEvent(int holdTtlSeconds, Object... rows) {
		String organizer = this.api.organizer();
		return this.api.event(organizer,
				Map.of("name", "Chamber Concert", "venue", "Small Hall", "startsAt", "2035-06-01T19:00:00Z",
						"holdTtlSeconds", holdTtlSeconds, "categories", List.of(Map.of("code", "STALLS", "name",
								"Stalls", "price", "40.00", "currency", "EUR", "seats", List.of(rows)))));
	}

	private static Map<String, Object> row(String row, int from, int to) {
		return Map.of("row", row, "from", from, "to", to);
	}

	private static WebElement seat(Browser browser, String label) {
		return browser.find("#seatmap rect[data-label='" + label + "']");
	}

	private static Browser onEventPage(Browser browser, String eventId) {
		browser.go("/events/" + eventId);
		browser.await(30, driver -> "true".equals(browser.find("#seatmap").getDomAttribute("data-ready")));
		return browser;
	}

	@Test
	void buyerPicksTwoSeatsHoldsConfirmsAndSeesTicketsWhileAnotherBrowserSeesThemTaken() {
		String eventId = seatedEvent(600, row("A", 1, 10), row("B", 1, 10));
		try (Browser buyer = Browser.open(port(), "buyer-books-two-seats");
				Browser watcher = Browser.open(port(), "watcher-sees-seats-taken")) {
			buyer.signUp("CUSTOMER");
			onEventPage(watcher, eventId).screenshot("seat-map-before");
			assertThat(seat(watcher, "A-3").getDomAttribute("class")).isEqualTo("seat available");

			onEventPage(buyer, eventId).screenshot("event-page");
			// one seat by keyboard: the map's one focusable seat is A-1; two steps right,
			// Space
			WebElement first = buyer.find("#seatmap rect[tabindex='0']");
			assertThat(first.getDomAttribute("data-label")).isEqualTo("A-1");
			first.sendKeys(Keys.ARROW_RIGHT);
			buyer.driver().switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
			buyer.driver().switchTo().activeElement().sendKeys(Keys.SPACE);
			// and one by pointer
			seat(buyer, "A-4").click();
			assertThat(seat(buyer, "A-3").getDomAttribute("aria-checked")).isEqualTo("true");
			assertThat(seat(buyer, "A-4").getDomAttribute("aria-label")).isEqualTo("Seat A-4, picked by you");
			assertThat(buyer.text("#picked")).isEqualTo("Picked 2 seats: A-3, A-4.");
			buyer.screenshot("two-seats-picked");

			buyer.click("#hold-seats");
			buyer.await(30, driver -> buyer.path().startsWith("/cart/"));
			assertThat(buyer.text("main table tbody")).contains("A-3, A-4");
			assertThat(buyer.text("main")).contains("Total: 80.00 EUR");
			buyer.awaitText("#countdown", "These tickets are yours for 9:");
			buyer.screenshot("cart-with-countdown");
			// the watcher's map shows the hold without a reload
			watcher.await(30, driver -> "seat held".equals(seat(watcher, "A-3").getDomAttribute("class")));
			assertThat(seat(watcher, "A-4").getDomAttribute("aria-label")).isEqualTo("Seat A-4, held by someone");

			buyer.click("#confirm");
			buyer.await(30, driver -> buyer.path().startsWith("/bookings/"));
			assertThat(buyer.text("#booking-status")).isEqualTo("Confirmed");
			assertThat(buyer.all("#tickets .ticket .ticket-what")).extracting(WebElement::getText)
				.containsExactly("STALLS · seat A-3", "STALLS · seat A-4");
			assertThat(buyer.all("#tickets .ticket-status")).extracting(WebElement::getText)
				.containsExactly("Valid", "Valid");
			assertThat(buyer.all("#tickets .ticket-code")).extracting(WebElement::getText)
				.allMatch(code -> code.length() >= 22);
			assertThat(buyer.all("#tickets img.qr")).hasSize(2)
				.allMatch(image -> ((Number) buyer.script("return arguments[0].naturalWidth", image)).intValue() > 0);
			buyer.screenshot("booking-with-tickets");

			watcher.await(30, driver -> "seat sold".equals(seat(watcher, "A-3").getDomAttribute("class"))
					&& "seat sold".equals(seat(watcher, "A-4").getDomAttribute("class")));
			assertThat(seat(watcher, "A-5").getDomAttribute("class")).isEqualTo("seat available");
			watcher.screenshot("seat-map-after");
			assertThat(this.api.counts(eventId, "STALLS")).isEqualTo(new Counts(20, 18, 0, 2));
			assertThat(buyer.severeLogs()).isEmpty();
			assertThat(watcher.severeLogs()).noneMatch(log -> log.contains("Content Security Policy"));
		}
	}

	@Test
	void twoBrowsersRaceForTheLastSeatAndExactlyOneGetsIt() {
		String eventId = seatedEvent(600, row("A", 1, 1));
		try (Browser ana = Browser.open(port(), "race-ana"); Browser ben = Browser.open(port(), "race-ben")) {
			List<Browser> both = List.of(ana, ben);
			for (Browser browser : both) {
				browser.signUp("CUSTOMER");
				onEventPage(browser, eventId);
				seat(browser, "A-1").click();
				assertThat(browser.text("#picked")).isEqualTo("Picked 1 seat: A-1.");
			}
			// both click "Hold" at one barrier
			Race.run(2, index -> both.get(index).click("#hold-seats"));
			for (Browser browser : both) {
				browser.await(30,
						driver -> browser.path().startsWith("/cart/") || !browser.all("main .problem").isEmpty());
			}
			List<Browser> winners = both.stream().filter(browser -> browser.path().startsWith("/cart/")).toList();
			List<Browser> losers = both.stream().filter(browser -> !browser.path().startsWith("/cart/")).toList();
			assertThat(winners).hasSize(1);
			assertThat(losers).hasSize(1);
			Browser loser = losers.get(0);
			assertThat(loser.path()).isEqualTo("/events/" + eventId);
			assertThat(loser.text("main .problem"))
				.isEqualTo("Seat A-1 was just taken by someone else. Please pick another seat.");
			loser.screenshot("lost-the-race");
			winners.get(0).screenshot("won-the-race");
			assertThat(this.api.counts(eventId, "STALLS")).isEqualTo(new Counts(1, 0, 1, 0));
		}
	}

	@Test
	void aHoldExpiresOnScreenAndCannotBeConfirmed() {
		String organizer = this.api.organizer();
		String eventId = this.api.gaEvent(organizer, 100, 10, null);
		try (Browser buyer = Browser.open(port(), "hold-expires")) {
			buyer.signUp("CUSTOMER");
			buyer.go("/events/" + eventId);
			buyer.type("#qty-GA", "2").click("form.buy button[type=submit]");
			buyer.await(30, driver -> buyer.path().startsWith("/cart/"));
			assertThat(buyer.find("#expired").isDisplayed()).isFalse();
			buyer.screenshot("counting-down");
			buyer.await(30, driver -> buyer.find("#expired").isDisplayed());
			assertThat(buyer.text("#expired"))
				.isEqualTo("Your hold has expired and its tickets were released. Please choose again.");
			assertThat(buyer.find("#confirm").isEnabled()).isFalse();
			assertThat(buyer.find("#countdown").isDisplayed()).isFalse();
			buyer.screenshot("expired");
			assertThat(this.api.counts(eventId, "GA")).isEqualTo(new Counts(100, 100, 0, 0));
			buyer.go(buyer.path());
			assertThat(buyer.text("main .problem"))
				.isEqualTo("Your hold has expired and its tickets were released. Please choose again.");
			assertThat(buyer.all("#confirm")).isEmpty();
		}
	}

}
