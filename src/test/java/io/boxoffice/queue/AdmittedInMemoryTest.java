package io.boxoffice.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.boxoffice.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The passes an instance keeps in memory (what its public {@code active} count and its
 * sale gate read) never count more buyers than the cap while turns end with bookings and
 * the next buyers are admitted at once: a turn is forgotten before its end is written, so
 * the admission into the room it frees never finds it still counted.
 */
class AdmittedInMemoryTest extends IntegrationTest {

	private static final int CAP = 4;

	@Autowired
	Lines lines;

	@Test
	void thePassesInMemoryNeverOutnumberTheCapWhileTurnsEndAndBuyersAreAdmitted() throws Exception {
		String eventId = this.api.event(this.api.organizer(),
				QueueTest.eventBody(Map.of("maxActiveBuyers", CAP), 1000, null));
		List<String> buyers = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			String buyer = this.api.customer();
			this.api.post("/api/v1/events/" + eventId + "/queue", buyer, null).expectStatus(201);
			buyers.add(buyer);
		}
		AtomicBoolean selling = new AtomicBoolean(true);
		AtomicInteger most = new AtomicInteger();
		Thread sampler = new Thread(() -> {
			while (selling.get()) {
				Line line = this.lines.line(UUID.fromString(eventId));
				if (line != null) {
					most.accumulateAndGet(line.passes().size(), Math::max);
				}
			}
		});
		sampler.start();
		List<Thread> buying = new ArrayList<>();
		for (String buyer : buyers) {
			Thread thread = new Thread(() -> bookWhenAdmitted(buyer, eventId));
			thread.start();
			buying.add(thread);
		}
		for (Thread thread : buying) {
			thread.join(120_000);
		}
		selling.set(false);
		sampler.join();

		assertThat(this.api.counts(eventId, "GA").sold()).isEqualTo(buyers.size());
		assertThat(most.get()).isEqualTo(CAP);
	}

	private void bookWhenAdmitted(String buyer, String eventId) {
		while (!"ADMITTED"
			.equals(this.api.get("/api/v1/events/" + eventId + "/queue/me", buyer).json().get("status").asString())) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		book(buyer, eventId, 1).expectStatus(201);
	}

}
