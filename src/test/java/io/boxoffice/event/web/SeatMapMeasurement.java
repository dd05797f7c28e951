package io.boxoffice.event.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.boxoffice.support.Browser;
import io.boxoffice.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test (its name keeps it out of the test run): the measurement behind the README's
 * seat-map figures, run by {@code bench/seatmap.sh}. In headless Chromium, on the 100 x
 * 200 hall (20,000 seats): how long the event page takes until its seat map answers
 * input, and how long a burst of seat changes takes to be painted. It checks only that
 * every seat was drawn and every change applied; the times are written to
 * {@code target/seatmap.md}.
 */
class SeatMapMeasurement extends IntegrationTest {

	private static final int ROWS = 100;

	private static final int SEATS_PER_ROW = 200;

	private static final int LOADS = 5;

	private static final int BURST = 1000;

	@Test
	void measureTheSeatMapOfTheBigHall() throws IOException {
		List<Map<String, Object>> rows = new ArrayList<>();
		for (int row = 1; row <= ROWS; row++) {
			rows.add(Map.of("row", "R" + row, "from", 1, "to", SEATS_PER_ROW));
		}
		String eventId = this.api.event(this.api.organizer(), Map
			.of("name", "Big Hall", "startsAt", "2035-01-01T19:00:00Z", "categories", List
				.of(Map.of("code", "STALLS", "name", "Stalls", "price", "30.00", "currency", "EUR", "seats", rows))));
		List<Double> ready = new ArrayList<>();
		List<Double> module = new ArrayList<>();
		List<Double> bursts = new ArrayList<>();
		try (Browser browser = Browser.open(port(), "seatmap-measurement")) {
			for (int load = 0; load < LOADS; load++) {
				browser.go("/events/" + eventId);
				browser.await(120, driver -> "true".equals(browser.find("#seatmap").getDomAttribute("data-ready")));
				assertThat(((Number) browser.script("return window.seatmap.seats")).intValue())
					.isEqualTo(ROWS * SEATS_PER_ROW);
				assertThat(browser.all("#seatmap rect[data-label]")).hasSize(ROWS * SEATS_PER_ROW);
				ready.add(number(browser.script("return window.seatmap.readyAt")));
				module.add(number(browser.script("return window.seatmap.interactiveMs")));
				// a burst of changes, as the seats stream delivers them after a flash of
				// sales: the
				// time from handing them over to the second animation frame after
				// (painted)
				browser.driver().manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(60));
				double painted = number(((org.openqa.selenium.JavascriptExecutor) browser.driver())
					.executeAsyncScript("""
							const done = arguments[arguments.length - 1];
							const changes = [];
							for (let i = 0; i < %d; i++) {
							  const row = 1 + Math.floor(Math.random() * %d);
							  const seat = 1 + Math.floor(Math.random() * %d);
							  changes.push({ label: 'R' + row + '-' + seat, status: i %% 2 ? 'HELD' : 'SOLD' });
							}
							const start = performance.now();
							window.seatmap.apply(changes);
							requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)));
							""".formatted(BURST, ROWS, SEATS_PER_ROW)));
				bursts.add(painted);
				assertThat(browser.all("#seatmap rect.seat.available")).hasSizeLessThan(ROWS * SEATS_PER_ROW);
			}
			browser.screenshot("big-hall");
		}
		String report = """
				| 100 x 200 seats (20,000), headless Chromium, %d page loads | median | max |
				|---|---|---|
				| page navigation to seat map interactive (ms) | %.0f | %.0f |
				| of which the seat-map module: fetch, draw, wire (ms) | %.0f | %.0f |
				| burst of %d seat changes applied and painted (ms) | %.0f | %.0f |
				""".formatted(LOADS, median(ready), Collections.max(ready), median(module), Collections.max(module),
				BURST, median(bursts), Collections.max(bursts));
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
