package io.boxoffice.live;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Queue;
import java.util.UUID;

import io.boxoffice.event.Category;
import io.boxoffice.event.CategoryKind;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventInventory.SeatState;
import io.boxoffice.event.EventStatus;
import io.boxoffice.live.SeatFeed.SeatChange;
import io.boxoffice.live.SeatFeed.SeatsDocument;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscriber that is owed documents while one is being written gets one document with
 * the newest state when the writer comes back, however many changes came meanwhile; what
 * it owes is a bit per seat, not a queue of documents.
 */
class CoalescingTest {

	final Event event = new Event(UUID.randomUUID(), UUID.randomUUID(), "Gala", null, Instant.EPOCH, Instant.EPOCH,
			Instant.EPOCH, EventStatus.ON_SALE, 600, null, List.of(category("STALLS", 2), category("BALCONY", 1)),
			Instant.EPOCH);

	/** Runs the sender's tasks only when the test says so: a writer that is busy. */
	final Queue<Runnable> sender = new ArrayDeque<>();

	final Counter sent = Counter.builder("sent").register(new SimpleMeterRegistry());

	final RecordingEmitter emitter = new RecordingEmitter();

	final SeatFeed feed = new SeatFeed(this.event);

	@Test
	void manyChangesWhileAWriteIsPendingBecomeOneDocumentWithTheNewestState() {
		this.feed.update(states("AVAILABLE", "AVAILABLE", "AVAILABLE"));
		Subscriber subscriber = subscriber(null);
		subscriber.start();
		runSender();
		assertThat(this.emitter.documents)
			.containsExactly(document("A-1", "AVAILABLE", "A-2", "AVAILABLE", "B-1", "AVAILABLE"));

		String[] statuses = { "HELD", "SOLD", "AVAILABLE" };
		for (int change = 0; change < 100; change++) {
			BitSet changed = this.feed.update(states(statuses[change % 3], "AVAILABLE", statuses[(change + 1) % 3]));
			subscriber.changed(changed);
		}
		assertThat(this.sender).hasSize(1);
		runSender();
		// change 99: A-1 HELD (99 % 3 = 0), B-1 SOLD; A-2 never changed
		assertThat(this.emitter.documents).hasSize(2).last().isEqualTo(document("A-1", "HELD", "B-1", "SOLD"));
		assertThat(this.sent.count()).isEqualTo(2);
	}

	@Test
	void aSubscriberOfOneCategoryIsToldNothingOfAnother() {
		this.feed.update(states("AVAILABLE", "AVAILABLE", "AVAILABLE"));
		Subscriber subscriber = subscriber("BALCONY");
		subscriber.start();
		runSender();
		subscriber.changed(this.feed.update(states("HELD", "SOLD", "AVAILABLE")));
		runSender();
		subscriber.changed(this.feed.update(states("HELD", "SOLD", "HELD")));
		runSender();
		assertThat(this.emitter.documents).containsExactly(document("B-1", "AVAILABLE"), document("B-1", "HELD"));
	}

	private Subscriber subscriber(String category) {
		Subscriber subscriber = new Subscriber(this.emitter, this.feed, category, this.sender::add, this.sent,
				(gone) -> {
				});
		this.feed.add(subscriber);
		return subscriber;
	}

	private void runSender() {
		while (!this.sender.isEmpty()) {
			this.sender.poll().run();
		}
	}

	private static List<SeatState> states(String a1, String a2, String b1) {
		return List.of(new SeatState("A-1", "STALLS", a1), new SeatState("A-2", "STALLS", a2),
				new SeatState("B-1", "BALCONY", b1));
	}

	private static SeatsDocument document(String... labelsAndStatuses) {
		List<SeatChange> seats = new ArrayList<>();
		for (int i = 0; i < labelsAndStatuses.length; i += 2) {
			seats.add(new SeatChange(labelsAndStatuses[i], labelsAndStatuses[i + 1]));
		}
		return new SeatsDocument(seats);
	}

	private static Category category(String code, int capacity) {
		return new Category(UUID.randomUUID(), code, code, CategoryKind.RESERVED, BigDecimal.TEN, "EUR", capacity);
	}

	/** Keeps the documents it is asked to send, as a stream would carry them. */
	static final class RecordingEmitter extends SseEmitter {

		final List<Object> documents = new ArrayList<>();

		@Override
		public void send(SseEventBuilder builder) throws IOException {
			for (DataWithMediaType part : builder.build()) {
				if (!(part.getData() instanceof String)) {
					this.documents.add(part.getData());
				}
			}
		}

	}

}
