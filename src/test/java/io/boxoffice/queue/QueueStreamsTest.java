package io.boxoffice.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.event.EventService;
import io.boxoffice.event.QueueSettings;
import org.junit.jupiter.api.Test;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The streams of buyers who joined before sales open: the line in memory cannot tell
 * their place until the draw at the opening, and a crowd of them waiting for it must not
 * have their places read from the database at every pass of the streams.
 */
class QueueStreamsTest {

	private static final Instant NOW = Instant.parse("2030-01-01T18:00:00Z");

	private final UUID eventId = UUID.randomUUID();

	private final UUID buyer = UUID.randomUUID();

	private final QueueService service = mock(QueueService.class);

	private final Lines lines = new Lines(mock(EventService.class));

	private final QueueStreams streams = new QueueStreams(this.service, this.lines,
			new QueueProperties(Duration.ofMillis(250), Duration.ofSeconds(15), Duration.ofHours(1), null),
			Clock.fixed(NOW, java.time.ZoneOffset.UTC));

	@Test
	void aBuyerWaitingForTheDrawIsNotReadFromTheDatabaseAtEveryPass() {
		when(this.service.me(this.eventId, this.buyer)).thenReturn(waitingForTheDraw());
		this.lines.update(line(Map.of(), 1));
		this.streams.open(this.eventId, this.buyer);

		for (int pass = 0; pass < 10; pass++) {
			this.streams.push();
		}

		verify(this.service, never()).places(eq(this.eventId), any());
	}

	@Test
	void onceTheLineIsDrawnTheBuyersPositionComesFromTheLineInMemory() {
		when(this.service.me(this.eventId, this.buyer)).thenReturn(waitingForTheDraw());
		this.lines.update(line(Map.of(), 1));
		this.streams.open(this.eventId, this.buyer);
		this.lines.update(line(Map.of(this.buyer, 7), 0));

		this.streams.push();

		verify(this.service, never()).places(eq(this.eventId), any());
	}

	@Test
	void aBuyerTheLineInMemoryCannotTellIsReadFromTheDatabase() {
		when(this.service.me(this.eventId, this.buyer)).thenReturn(waitingForTheDraw());
		this.lines.update(line(Map.of(), 0));
		this.streams.open(this.eventId, this.buyer);

		this.streams.push();
		this.streams.push();

		verify(this.service, times(2)).places(eq(this.eventId), any());
	}

	private PlaceView waitingForTheDraw() {
		return new PlaceView(this.eventId.toString(), QueueStatus.WAITING, null, null, NOW.minusSeconds(60), null,
				null);
	}

	private Line line(Map<UUID, Integer> positions, long unplaced) {
		return new Line(this.eventId, new QueueSettings(64, 600), new HashMap<>(positions), 0, unplaced,
				new HashMap<>(), 0, 0, NOW);
	}

}
