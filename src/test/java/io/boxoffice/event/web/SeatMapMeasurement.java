package io.boxoffice.event.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.boxoffice.support.Api;
import io.boxoffice.support.Browser;
import io.boxoffice.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test (its name keeps it out of the test run): the measurement behind the README's
 * seat-map figures, run by {@code bench/seatmap.sh}. In headless Chromium, on the 100 x
 * 200 hall (20,000 seats), for a few page loads: how long from navigation start until the
 * seat map is drawn and answers input (the first frame with every seat painted), and how
 * a burst of seat changes reaches the map: 2,000 seats held through the API at once (40
 * holds of 50 best seats from 8 threads) until the map shows every one of them held, and
 * the same number of changes handed to the map directly until they are painted. It checks
 * that every seat was drawn and every change shown; the times go to
 * {@code target/seatmap.md}.
 */
class SeatMapMeasurement extends IntegrationTest {

	private static final int ROWS = 100;

	private static final int SEATS_PER_ROW = 200;

	private static final int LOADS = 5;

	private static final int HOLDS = 40;

	private static final int PER_HOLD = 50;

	private static final int BURST = HOLDS * PER_HOLD;

	private static final int THREADS = 8;

	@Test
	void measureTheSeatMapOfTheBigHall() throws Exception {
		List<Map<String, Object>> rows = new ArrayList<>();
		for (int row = 1; row <= ROWS; row++) {
			rows.add(Map.of("row", "R" + row, "from", 1, "to", SEATS_PER_ROW));
		}
		String eventId = this.api.event(this.api.organizer(), Map
			.of("name", "Big Hall", "startsAt", "2035-01-01T19:00:00Z", "categories", List
				.of(Map.of("code", "STALLS", "name", "Stalls", "price", "30.00", "currency", "EUR", "seats", rows))));
		List<String> customers = new ArrayList<>();
		for (int i = 0; i < HOLDS; i++) {
			customers.add(this.api.customer());
		}
		List<Double> drawn = new ArrayList<>();
		List<Double> interactive = new ArrayList<>();
		List<Double> module = new ArrayList<>();
		List<Double> fetch = new ArrayList<>();
		List<Double> draw = new ArrayList<>();
		List<Double> held = new ArrayList<>();
		List<Double> shown = new ArrayList<>();
		List<Double> direct = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(THREADS);
		try (Browser browser = Browser.open(port(), "seatmap-measurement")) {
			browser.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
			JavascriptExecutor js = (JavascriptExecutor) browser.driver();
			for (int load = 0; load < LOADS; load++) {
				browser.go("/events/" + eventId);
				browser.await(120, driver -> browser.script("return window.seatmap?.interactiveAt") != null);
				assertThat(((Number) browser.script("return window.seatmap.seats")).intValue())
					.isEqualTo(ROWS * SEATS_PER_ROW);
				assertThat(browser.all("#seatmap rect[data-label]")).hasSize(ROWS * SEATS_PER_ROW);
				drawn.add(number(browser.script("return window.seatmap.readyAt")));
				interactive.add(number(browser.script("return window.seatmap.interactiveAt")));
				module.add(number(browser.script("return window.seatmap.interactiveMs")));
				fetch.add(number(browser.script("return window.seatmap.fetchMs")));
				draw.add(number(browser.script("return window.seatmap.drawMs")));

				// 2,000 seats held through the API at once, as the seats stream brings
				// them
				browser.script("""
						const svg = document.getElementById('seatmap');
						window.burst = { shownAt: null };
						new MutationObserver((changes, observer) => {
						  if (svg.querySelectorAll('rect.seat.held').length >= arguments[0]) {
						    window.burst.shownAt = Date.now();
						    observer.disconnect();
						  }
						}).observe(svg, { attributes: true, attributeFilter: ['data-applied'] });
						""", BURST);
				long start = System.currentTimeMillis();
				List<Future<String>> holds = new ArrayList<>();
				for (String customer : customers) {
					holds.add(pool.submit(() -> this.api.hold(customer, eventId, Api.items("STALLS", PER_HOLD))
						.expectStatus(201)
						.id()));
				}
				List<String> holdIds = new ArrayList<>();
				for (Future<String> hold : holds) {
					holdIds.add(hold.get());
				}
				held.add((double) (System.currentTimeMillis() - start));
				browser.await(60, driver -> browser.script("return window.burst.shownAt") != null);
				shown.add(number(browser.script("return window.burst.shownAt")) - start);
				assertThat(browser.all("#seatmap rect.seat.held")).hasSize(BURST);
				for (int i = 0; i < HOLDS; i++) {
					this.api.delete("/api/v1/holds/" + holdIds.get(i), customers.get(i)).expectStatus(204);
				}
				browser.await(60, driver -> browser.all("#seatmap rect.seat.held").isEmpty());

				// the same number of changes handed to the map directly: drawing alone
				direct.add(number(js.executeAsyncScript("""
						const done = arguments[arguments.length - 1];
						const changes = [];
						for (let i = 0; i < %d; i++) {
						  const row = 1 + Math.floor(i / %d);
						  const seat = 1 + (i %% %d);
						  changes.push({ label: 'R' + row + '-' + seat, status: 'SOLD' });
						}
						const start = performance.now();
						window.seatmap.apply(changes);
						requestAnimationFrame(() => setTimeout(() => done(performance.now() - start)));
						""".formatted(BURST, SEATS_PER_ROW, SEATS_PER_ROW))));
				assertThat(browser.all("#seatmap rect.seat.sold")).hasSize(BURST);
			}
			browser.screenshot("big-hall");
		}
		finally {
			pool.shutdownNow();
		}
		String report = """
				| 100 x 200 seats (20,000), headless Chromium, %d page loads | median | max |
				|---|---|---|
				| navigation start to seat map drawn and wired (ms) | %.0f | %.0f |
				| navigation start to seat map painted and answering input (ms) | %.0f | %.0f |
				| of which the seat-map module: fetch, draw, wire, paint (ms) | %.0f | %.0f |
				| of which fetching and parsing the 20,000 seats (ms) | %.0f | %.0f |
				| of which drawing the SVG and wiring the seats (ms) | %.0f | %.0f |
				| %,d seats held through the API (%d holds, %d threads): all answered (ms) | %.0f | %.0f |
				| the same: first request to the map showing all %,d held (ms) | %.0f | %.0f |
				| %,d seat changes handed to the map until painted (ms) | %.0f | %.0f |
				""".formatted(LOADS, median(drawn), Collections.max(drawn), median(interactive),
				Collections.max(interactive), median(module), Collections.max(module), median(fetch),
				Collections.max(fetch), median(draw), Collections.max(draw), BURST, HOLDS, THREADS, median(held),
				Collections.max(held), BURST, median(shown), Collections.max(shown), BURST, median(direct),
				Collections.max(direct));
		Files.writeString(Path.of("target", "seatmap.md"), report);
		System.out.println(report);
	}

	private static double number(Object value) {
		return ((Number) value).doubleValue();
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

}
