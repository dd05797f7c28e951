package io.boxoffice.live;

import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventInventory;
import io.boxoffice.event.EventInventory.Counts;
import io.boxoffice.event.EventService;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.RetryLaterException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The streams of one instance. Every {@code pollInterval} one thread reads, for the
 * events that have subscribers here, the availability of all of them (one read for all)
 * and the seat map of each, through the event module's read API (so an expired hold
 * counts as available, as everywhere), and tells the subscribers what changed. A change
 * committed through any instance is therefore seen within one interval, and the cost is
 * one read per event and tick whatever the number of subscribers.
 * <p>
 * Metrics: {@code boxoffice.live.subscribers{stream}} (open streams),
 * {@code boxoffice.live.documents.sent{stream}} (documents written, heartbeats not
 * counted), {@code boxoffice.live.polls{stream}} (time to read and compare the state of
 * one tick).
 */
@Service
public class LiveUpdates implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(LiveUpdates.class);

	private static final String AVAILABILITY = "availability";

	private static final String SEATS = "seats";

	private final EventService events;

	private final EventInventory inventory;

	private final LiveProperties properties;

	private final ConcurrentMap<UUID, AvailabilityFeed> availabilityFeeds = new ConcurrentHashMap<>();

	private final ConcurrentMap<UUID, SeatFeed> seatFeeds = new ConcurrentHashMap<>();

	private final AtomicInteger subscribers = new AtomicInteger();

	/**
	 * Writes documents: a thread (a virtual one on Java 21 and later) per subscriber that
	 * is owed one, ended once it wrote, so no thread waits for a quiet stream.
	 */
	private final SimpleAsyncTaskExecutor sender = new SimpleAsyncTaskExecutor("live-send-");

	private final ScheduledExecutorService poller;

	private final Counter availabilitySent;

	private final Counter seatsSent;

	private final Timer availabilityPolls;

	private final Timer seatPolls;

	private volatile boolean running;

	LiveUpdates(EventService events, EventInventory inventory, LiveProperties properties, MeterRegistry registry) {
		this.events = events;
		this.inventory = inventory;
		this.properties = properties;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("live-poll-");
		threads.setDaemon(true);
		this.poller = Executors.newSingleThreadScheduledExecutor(threads);
		this.sender.setVirtualThreads(true);
		this.sender.setDaemon(true);
		Gauge.builder("boxoffice.live.subscribers", this.availabilityFeeds, LiveUpdates::subscriberCount)
			.description("Open live streams")
			.tag("stream", AVAILABILITY)
			.register(registry);
		Gauge.builder("boxoffice.live.subscribers", this.seatFeeds, LiveUpdates::subscriberCount)
			.description("Open live streams")
			.tag("stream", SEATS)
			.register(registry);
		this.availabilitySent = sent(registry, AVAILABILITY);
		this.seatsSent = sent(registry, SEATS);
		this.availabilityPolls = polls(registry, AVAILABILITY);
		this.seatPolls = polls(registry, SEATS);
	}

	private static Counter sent(MeterRegistry registry, String stream) {
		return Counter.builder("boxoffice.live.documents.sent")
			.description("Documents written to live streams")
			.tag("stream", stream)
			.register(registry);
	}

	private static Timer polls(MeterRegistry registry, String stream) {
		return Timer.builder("boxoffice.live.polls")
			.description("Time to read and compare the state of the events with subscribers, per tick")
			.tag("stream", stream)
			.register(registry);
	}

	private static double subscriberCount(Map<UUID, ? extends Feed> feeds) {
		return feeds.values().stream().mapToInt((feed) -> feed.subscribers().size()).sum();
	}

	/**
	 * A stream of the event's availability; its first document is sent at once.
	 * @throws BoxofficeException {@code NOT_FOUND} for an unknown event, before any
	 * streaming; {@code OVERLOADED} when this instance has its most streams open
	 */
	public SseEmitter availability(UUID eventId) {
		Event event = this.events.get(eventId);
		Subscriber subscriber = subscribe(this.availabilityFeeds, event, AvailabilityFeed::new, null,
				this.availabilitySent);
		AvailabilityFeed feed = (AvailabilityFeed) subscriber.feed();
		if (!feed.ready()) {
			startOrRelease(subscriber, () -> feed.update(this.inventory.counts(List.of(event))));
		}
		subscriber.start();
		return subscriber.emitter();
	}

	/**
	 * A stream of the event's seats (of one category when given); its first document,
	 * every seat, is sent at once, the later ones name the seats whose status changed.
	 * @throws BoxofficeException {@code NOT_FOUND} for an unknown event,
	 * {@code VALIDATION_FAILED} for a category the event does not have, before any
	 * streaming; {@code OVERLOADED} when this instance has its most streams open
	 */
	public SseEmitter seats(UUID eventId, @Nullable String categoryCode) {
		Event event = this.events.get(eventId);
		if (categoryCode != null) {
			Category category = event.category(categoryCode)
				.orElseThrow(() -> BoxofficeException.invalid("category", "is not a category of this event"));
			categoryCode = category.code();
		}
		Subscriber subscriber = subscribe(this.seatFeeds, event, SeatFeed::new, categoryCode, this.seatsSent);
		SeatFeed feed = (SeatFeed) subscriber.feed();
		if (!feed.ready()) {
			startOrRelease(subscriber, () -> feed.update(this.inventory.seats(event, null)));
		}
		subscriber.start();
		return subscriber.emitter();
	}

	/** Reads a new feed's first state; a failure (the database away) ends the stream. */
	private static void startOrRelease(Subscriber subscriber, Runnable firstPoll) {
		try {
			firstPoll.run();
		}
		catch (RuntimeException ex) {
			subscriber.close();
			throw ex;
		}
	}

	private <F extends Feed> Subscriber subscribe(ConcurrentMap<UUID, F> feeds, Event event, Function<Event, F> newFeed,
			@Nullable String category, Counter sent) {
		if (this.subscribers.incrementAndGet() > this.properties.maxSubscribers()) {
			this.subscribers.decrementAndGet();
			throw new RetryLaterException(ErrorCode.OVERLOADED, "This server has as many live streams open as it may",
					Duration.ofSeconds(5));
		}
		SseEmitter emitter = new SseEmitter(this.properties.maxDuration().toMillis());
		while (true) {
			F feed = feeds.computeIfAbsent(event.id(), (id) -> newFeed.apply(event));
			Subscriber subscriber = new Subscriber(emitter, feed, category, this.sender, sent,
					(gone) -> leave(feeds, feed, gone));
			if (feed.add(subscriber)) {
				emitter.onCompletion(subscriber::close);
				emitter.onError((ex) -> subscriber.close());
				emitter.onTimeout(emitter::complete);
				return subscriber;
			}
			// retired by its last subscriber meanwhile: it is gone from the map, take a
			// new one
		}
	}

	private <F extends Feed> void leave(ConcurrentMap<UUID, F> feeds, F feed, Subscriber subscriber) {
		this.subscribers.decrementAndGet();
		if (feed.remove(subscriber)) {
			feeds.remove(feed.event().id(), feed);
		}
	}

	/** One tick: read what changed, tell the subscribers, and owe heartbeats. */
	void tick() {
		try {
			pollAvailability();
			pollSeats();
			long now = System.nanoTime();
			long quiet = this.properties.heartbeat().toNanos();
			this.availabilityFeeds.values()
				.forEach((feed) -> feed.subscribers().forEach((s) -> s.heartbeatIfQuiet(quiet, now)));
			this.seatFeeds.values()
				.forEach((feed) -> feed.subscribers().forEach((s) -> s.heartbeatIfQuiet(quiet, now)));
		}
		catch (RuntimeException ex) {
			// the database away for a moment: subscribers keep what they have, the next
			// tick tries again
			logger.warn("Live updates could not read the state of events: {}", ex.toString());
		}
	}

	private void pollAvailability() {
		List<AvailabilityFeed> feeds = List.copyOf(this.availabilityFeeds.values());
		if (feeds.isEmpty()) {
			return;
		}
		long start = System.nanoTime();
		Map<UUID, Counts> counts = this.inventory.counts(feeds.stream().map(Feed::event).toList());
		for (AvailabilityFeed feed : feeds) {
			if (feed.update(counts)) {
				feed.changed(AvailabilityFeed.DOCUMENT);
			}
		}
		this.availabilityPolls.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
	}

	private void pollSeats() {
		for (SeatFeed feed : List.copyOf(this.seatFeeds.values())) {
			long start = System.nanoTime();
			BitSet changed = feed.update(this.inventory.seats(feed.event(), null));
			if (!changed.isEmpty()) {
				feed.changed(changed);
			}
			this.seatPolls.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public void start() {
		long interval = this.properties.pollInterval().toNanos();
		this.poller.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.NANOSECONDS);
		this.running = true;
	}

	/**
	 * Ends every stream before the web server waits for open requests to finish, so a
	 * graceful shutdown is not held up by browsers that would listen forever.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.poller.shutdownNow();
		this.availabilityFeeds.values().forEach((feed) -> feed.subscribers().forEach((s) -> s.emitter().complete()));
		this.seatFeeds.values().forEach((feed) -> feed.subscribers().forEach((s) -> s.emitter().complete()));
		this.sender.close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
