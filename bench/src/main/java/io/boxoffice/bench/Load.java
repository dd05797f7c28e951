package io.boxoffice.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP load generator: {@code connections} clients, each on its own virtual thread,
 * each sending its next one-ticket booking as soon as the last is answered, round-robin over the
 * instances. Latency is measured per answer, split by outcome.
 */
final class Load {

	/** One general-admission ticket: the flash-sale request. */
	static final Supplier<String> ONE_TICKET = () -> "{\"items\":[{\"category\":\"GA\",\"quantity\":1}]}";

	private Load() {
	}

	/**
	 * @param lastBookedSeconds when, after the start, the last request was booked: a sale that
	 * sells out early is measured up to then
	 */
	record Measured(Histogram booked, Histogram refused, Histogram shed, long errors, double seconds,
			double lastBookedSeconds) {

		long bookedCount() {
			return this.booked.getTotalCount();
		}

	}

	static Measured run(List<Integer> ports, String token, String eventId, int connections, Duration duration)
			throws InterruptedException {
		return run(ports, token, eventId, connections, duration, ONE_TICKET);
	}

	/** Like {@link #run(List, String, String, int, Duration)}, each request with a body of its own. */
	static Measured run(List<Integer> ports, String token, String eventId, int connections, Duration duration,
			Supplier<String> bodies) throws InterruptedException {
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
		Histogram booked = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
		Histogram refused = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
		Histogram shed = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
		LongAdder errors = new LongAdder();
		AtomicLong lastBooked = new AtomicLong();
		List<URI> targets = ports.stream()
			.map(port -> URI.create("http://127.0.0.1:" + port + "/api/v1/events/" + eventId + "/bookings"))
			.toList();
		long start = System.nanoTime();
		long deadline = start + duration.toNanos();
		List<Thread> clients = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			URI target = targets.get(i % targets.size());
			clients.add(Thread.ofVirtual().start(() -> {
				while (System.nanoTime() < deadline) {
					HttpRequest request = HttpRequest.newBuilder(target)
						.header("Authorization", "Bearer " + token)
						.header("Content-Type", "application/json")
						.timeout(Duration.ofSeconds(60))
						.POST(HttpRequest.BodyPublishers.ofString(bodies.get()))
						.build();
					long sent = System.nanoTime();
					try {
						int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
						long took = System.nanoTime() - sent;
						switch (status) {
							case 201 -> {
								booked.recordValue(took);
								lastBooked.accumulateAndGet(System.nanoTime(), Math::max);
							}
							case 409 -> refused.recordValue(took);
							case 503 -> shed.recordValue(took);
							default -> errors.increment();
						}
					}
					catch (Exception ex) {
						errors.increment();
					}
				}
			}));
		}
		for (Thread client : clients) {
			client.join();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		http.close();
		double lastBookedSeconds = (lastBooked.get() == 0) ? seconds : (lastBooked.get() - start) / 1e9;
		return new Measured(booked, refused, shed, errors.sum(), seconds, lastBookedSeconds);
	}

}
