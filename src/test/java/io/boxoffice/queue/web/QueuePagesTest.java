package io.boxoffice.queue.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.Browser;
import io.boxoffice.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A buyer in a real Chromium joins a queued event's queue on its page, watches the place
 * on the queue page, and is taken to the event's page by itself when let in, to buy.
 */
class QueuePagesTest extends IntegrationTest {

	private String queuedEvent() {
		return this.api.event(this.api.organizer(),
				Map.of("name", "Queued Gala", "startsAt", "2035-01-01T19:00:00Z", "queue", Map.of("maxActiveBuyers", 1),
						"categories", List.of(Map.of("code", "GA", "name", "Standing", "price", "25.00", "currency",
								"EUR", "capacity", 10))));
	}

	private String queueStatus(String customer, String eventId) {
		return this.api.get("/api/v1/events/" + eventId + "/queue/me", customer)
			.expectStatus(200)
			.json()
			.get("status")
			.asString();
	}

	@Test
	void aWaitingBuyerWatchesThePlaceChangeAndIsTakenToTheEventPageWhenTheBuyerAheadBooks() {
		String eventId = queuedEvent();
		String first = this.api.customer();
		this.api.post("/api/v1/events/" + eventId + "/queue", first, null).expectStatus(201);
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(queueStatus(first, eventId)));
		String second = this.api.customer();
		this.api.post("/api/v1/events/" + eventId + "/queue", second, null).expectStatus(201);
		try (Browser buyer = Browser.open(port(), "queue-turn")) {
			buyer.signUp("CUSTOMER");
			buyer.go("/events/" + eventId);
			assertThat(buyer.all("form.buy")).isEmpty();
			assertThat(buyer.text("#queue-turn"))
				.isEqualTo("Tickets for this event are sold through a queue: join it, and buy when it lets you in.");
			buyer.screenshot("queued-event");
			buyer.submit("#join-queue");
			assertThat(buyer.path()).isEqualTo("/events/" + eventId + "/queue");
			assertThat(buyer.text("#queue-status")).isEqualTo("You are number 2 in the queue.");
			assertThat(buyer.text("#queue-ahead")).isEqualTo("1 person is ahead of you.");
			buyer.screenshot("second-in-the-queue");

			// the one ahead leaves: the page follows the stream (on the page's session)
			this.api.delete("/api/v1/events/" + eventId + "/queue/me", second).expectStatus(204);
			buyer.awaitText("#queue-status", "You are number 1 in the queue.");
			assertThat(buyer.text("#queue-ahead")).isEqualTo("Nobody is ahead of you.");
			assertThat(buyer.path()).isEqualTo("/events/" + eventId + "/queue");
			buyer.screenshot("first-in-the-queue");

			// the admitted buyer books: the turn ends and the page moves on by itself
			book(first, eventId, 1).expectStatus(201);
			buyer.await(30, driver -> buyer.path().equals("/events/" + eventId));
			assertThat(buyer.text("#queue-turn"))
				.matches("It's your turn: you may buy until \\d\\d:\\d\\d:\\d\\d UTC\\.");
			buyer.screenshot("admitted");
			buyer.type("#qty-GA", "2").submit("form.buy button[type=submit]");
			assertThat(buyer.path()).startsWith("/cart/");
			assertThat(buyer.text("main table tbody")).isEqualTo("GA 2 General admission");
			buyer.screenshot("holding");
			assertThat(this.api.counts(eventId, "GA")).isEqualTo(new Counts(10, 7, 2, 1));
			assertThat(buyer.severeLogs()).isEmpty();
		}
	}

	@Test
	void aWaitingBuyerLeavesTheQueue() {
		String eventId = queuedEvent();
		String first = this.api.customer();
		this.api.post("/api/v1/events/" + eventId + "/queue", first, null).expectStatus(201);
		await().atMost(30, TimeUnit.SECONDS).until(() -> "ADMITTED".equals(queueStatus(first, eventId)));
		try (Browser buyer = Browser.open(port(), "queue-leave")) {
			buyer.signUp("CUSTOMER");
			buyer.go("/events/" + eventId).submit("#join-queue");
			buyer.submit("#leave-queue button[type=submit]");
			assertThat(buyer.path()).isEqualTo("/events/" + eventId);
			assertThat(buyer.text("main .notice")).isEqualTo("You left the queue.");
			assertThat(buyer.text("#queue-turn")).isEqualTo("You left the queue for this event.");
			assertThat(buyer.all("form.buy")).isEmpty();
		}
	}

}
