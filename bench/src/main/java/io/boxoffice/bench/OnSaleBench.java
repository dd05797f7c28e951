package io.boxoffice.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.nio.CharBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.hc.client5.http.async.methods.AbstractCharResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.io.CloseMode;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An on-sale behind the queue: thousands of buyers, each with an account and a token of their
 * own, join an event's queue within 2 seconds, wait by polling their place, and when admitted
 * book 1 or 2 tickets in one step (a confirmed booking ends the turn; a refused one leaves the
 * line). Beside it, on the same instances, the same sale without a queue at 64 connections.
 * Join and booking latency, tickets per second, the line's order as admitted, the most buyers
 * admitted at once, tickets sold against capacity, and the distribution of waiting times.
 */
final class OnSaleBench {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String START = "<!-- on-sale -->";

	private static final String END = "<!-- /on-sale -->";

	/** Every buyer joins within this time of the first. */
	private static final Duration JOIN_WINDOW = Duration.ofSeconds(2);

	/**
	 * Longer than a waiting buyer's longest pause between two polls, so no admitted buyer loses
	 * the turn by polling late; short enough that a buyer who walked away frees the room within
	 * a minute.
	 */
	private static final int PASS_TTL_SECONDS = 60;

	/**
	 * The service's heap (in place of the other sections' 2 GB): an open place stream keeps
	 * about 90 KB of the web server's buffers (request, response and socket), 1.8 GB for
	 * 20,000.
	 */
	private static final String HEAP = "-Xmx4g";

	/** The connections of the reference sale without a queue, as in the flash-sale table. */
	private static final int REFERENCE_CONNECTIONS = 64;

	/** The queued warm-up sale's buyers (fewer when the run has fewer). */
	private static final int WARMUP_BUYERS = 2_000;

	/** How often the line's public counts and the admitted rows are sampled. */
	private static final Duration SAMPLE = Duration.ofMillis(100);

	/** A poll's wait for the next, when the service says nothing better. */
	private static final long FIRST_POLL_MILLIS = 1_000;

	private static final long SHORTEST_POLL_MILLIS = 1_000;

	/** As a waiting room's page refreshes: a buyer far back asks twice a minute. */
	private static final long LONGEST_POLL_MILLIS = 30_000;

	/**
	 * Place streams open at once at most: each is a connection (a descriptor) in the generator
	 * and in the service, whose open-files limit here is 20,000 a process. A buyer listens on
	 * its place's stream, as the waiting-room page does, while the generator has one to spare,
	 * and polls otherwise: a buyer admitted between two polls holds its room until it polls
	 * again.
	 */
	private static final int MAX_STREAMS = 14_000;

	/** Long enough for any wait in the line; a longer one is recorded as this. */
	private static final long LONGEST_NANOS = TimeUnit.MINUTES.toNanos(30);

	private static final Duration SALE_TIMEOUT = Duration.ofMinutes(30);

	/** One or two general-admission tickets, at random: the buyers' cart, queued or not. */
	static final Supplier<String> ONE_OR_TWO = () -> "{\"items\":[{\"category\":\"GA\",\"quantity\":"
			+ (1 + ThreadLocalRandom.current().nextInt(2)) + "}]}";

	private final Settings settings;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	OnSaleBench(Settings settings) {
		this.settings = settings;
	}

	/**
	 * One queued sale and its reference.
	 * @param opensAfterSeconds from the event's creation (the first join follows at once) to its
	 * {@code salesOpenAt}; 0 when on sale at once
	 * @param joinSeconds from the first join sent to the last join answered
	 * @param saleSeconds from the first admission to the last booking
	 * @param inversions pairs of admitted buyers admitted in the opposite order of their places
	 * @param maxActiveSeen the most {@code active} any instance's public counts showed
	 * @param maxAdmittedRows the most rows {@code ADMITTED} in the database at one sample
	 * @param waits waiting times, joining (or the opening, for a buyer who joined before) to
	 * admission, in milliseconds
	 * @param generatorShare the generator's CPU time over the sale as a share of all cores
	 * @param turns turns that ended (a booking, leaving), admission to end, in milliseconds
	 * @param slowTurns turns of {@link #SLOW_TURN_MILLIS} or longer
	 * @param slowTurnsShare their share of the time all turns held a room
	 */
	record Row(int instances, double opensAfterSeconds, int buyers, int capacity, int maxActive, Histogram join, Histogram joinWithConnectionWait,
			long joinRefused, double joinSeconds, Histogram booking, Histogram bookingAfterJoins, long booked, long soldOut, long closed,
			long expired, long shed, long errors, long unfinished, long polls, long streams, Histogram poll,
			Histogram pollWithConnectionWait, Histogram noticed, long sold,
			double saleSeconds, double ticketsPerSecond, double referenceTicketsPerSecond, double referenceP99,
			long admitted, long inversions, long maxActiveSeen, long maxAdmittedRows, Histogram waits,
			double generatorShare, double generatorMicros, double ticketsPerSecondAfterJoins, Histogram turns,
			long slowTurns, double slowTurnsShare) {

		long oversold() {
			return Math.max(0, this.sold - this.capacity);
		}

	}

	List<Row> run(Path logs) throws Exception {
		List<Row> rows = new ArrayList<>();
		int buyers = this.settings.onSaleBuyers();
		for (int instances : this.settings.instanceCounts()) {
			resetDatabase();
			try (Instances running = new Instances(this.settings, "batched", instances, this.settings.database(),
					logs, List.of(HEAP, "-jar", this.settings.serviceJar().toString()), "onsale-")) {
				List<Integer> ports = running.ports();
				String organizer = organizer(ports.get(0));
				List<String> tokens = seedBuyers(buyers);
				// the JIT's warm-up: the usual sale, then a small queued one
				Load.run(ports, tokens.get(0), event(ports.get(0), organizer, 10_000_000, null, null),
						REFERENCE_CONNECTIONS, Duration.ofSeconds(this.settings.warmupSeconds()), ONE_OR_TWO);
				int warmup = Math.min(buyers, WARMUP_BUYERS);
				Sale last = queuedSale(ports, organizer, tokens.subList(0, warmup), warmup,
						this.settings.onSaleActive().get(0), 0);

				String reference = event(ports.get(0), organizer, buyers, null, null);
				Load.Measured unqueued = Load.run(ports, tokens.get(0), reference, REFERENCE_CONNECTIONS,
						Duration.ofSeconds(this.settings.seconds()), ONE_OR_TWO);
				double referenceSeconds = Math.min(unqueued.lastBookedSeconds(), unqueued.seconds());
				double referenceRate = sold(reference) / referenceSeconds;

				for (String opening : this.settings.onSaleOpenings()) {
					for (int maxActive : this.settings.onSaleActive()) {
						double opensAfter = switch (opening) {
							case "at-once" -> 0;
							case "after-joins" -> (this.settings.onSaleOpensAfterSeconds() > 0)
									? this.settings.onSaleOpensAfterSeconds()
									: opensAfterJoins(last.joinSeconds, last.tokens.size(), buyers);
							default -> throw new IllegalArgumentException("--onsale-opening: at-once or after-joins");
						};
						Sale sale = queuedSale(ports, organizer, tokens, buyers, maxActive, opensAfter);
						last = sale;
						Row row = row(instances, opensAfter, buyers, sale, referenceRate,
								unqueued.booked().getValueAtPercentile(99) / 1e6);
						rows.add(row);
						print(row);
					}
				}
			}
		}
		return rows;
	}

	/**
	 * When a sale whose buyers arrive early opens, in seconds after they begin to join: a
	 * quarter longer than the joins of the last queued sale on the same instances took, counted
	 * for this many buyers, and 10 s at least. Whether the last buyer had joined by then is in
	 * the row ({@code joins took}).
	 */
	private static double opensAfterJoins(double lastJoinSeconds, int lastBuyers, int buyers) {
		return Math.max(10, Math.ceil(1.25 * lastJoinSeconds * buyers / lastBuyers));
	}

	/**
	 * A queued event of {@code capacity} tickets, {@code maxActive} buyers admitted at once, and
	 * the sale of it to every buyer given, who begin to join at once; the event opens
	 * {@code opensAfterSeconds} later (0: on sale at once).
	 */
	private Sale queuedSale(List<Integer> ports, String organizer, List<String> tokens, int capacity, int maxActive,
			double opensAfterSeconds) throws Exception {
		Instant opens = (opensAfterSeconds > 0) ? Instant.now().plusMillis((long) (opensAfterSeconds * 1000)) : null;
		String eventId = event(ports.get(0), organizer, capacity, maxActive, opens);
		Sale sale = new Sale(ports, eventId, tokens, capacity, maxActive,
				this.settings.onSaleConnections(), opens);
		try (Sampler sampler = new Sampler(ports, eventId)) {
			sale.run();
			sale.maxActiveSeen = sampler.maxActive.get();
			sale.maxAdmittedRows = sampler.maxAdmitted.get();
		}
		return sale;
	}

	private Row row(int instances, double opensAfterSeconds, int buyers, Sale sale, double referenceRate,
			double referenceP99)
			throws Exception {
		long sold = sold(sale.eventId);
		Line line = line(sale.eventId, sale.opens);
		double saleSeconds = (line.firstAdmission() == null || sale.lastBooked.get() == 0) ? Double.NaN
				: (sale.lastBooked.get() - line.firstAdmission().toEpochMilli()) / 1e3;
		double rate = sold / saleSeconds;
		return new Row(instances, opensAfterSeconds, buyers, sale.capacity, sale.maxActive, sale.join, sale.joinWithConnectionWait,
				sale.joinRefused.sum(), sale.joinSeconds, sale.booking, sale.bookingAfterJoins, sale.booked.sum(), sale.soldOut.sum(),
				sale.closed.sum(), sale.expired.sum(), sale.shed.sum(), sale.errors.sum(), sale.unfinished,
				sale.polls.sum(), sale.streams.sum(), sale.poll, sale.pollWithConnectionWait, sale.noticed, sold, saleSeconds, rate, referenceRate, referenceP99,
				line.waits().getTotalCount(), line.inversions(), sale.maxActiveSeen, sale.maxAdmittedRows,
				line.waits(), sale.generatorShare, sale.generatorMicros, afterJoins(sale, line.firstAdmission()), line.turns(),
				line.slowTurns(), line.slowTurnsShare());
	}

	/**
	 * Tickets per second from the moment the last buyer had joined (or the first admission, if
	 * later) to the last booking: the sale beside a line of thousands that only wait.
	 */
	private double afterJoins(Sale sale, Instant firstAdmission) throws Exception {
		long from = Math.max(sale.lastJoinedAt.get(), (firstAdmission != null) ? firstAdmission.toEpochMilli() : 0);
		long to = sale.lastBooked.get();
		if (from == 0 || to <= from) {
			return Double.NaN;
		}
		try (Connection db = database(); PreparedStatement query = db.prepareStatement("""
				SELECT coalesce(sum(i.quantity), 0) FROM booking b JOIN booking_item i ON i.booking_id = b.id
				 WHERE b.event_id = ? AND b.status = 'CONFIRMED' AND b.created_at >= ?
				""")) {
			query.setObject(1, UUID.fromString(sale.eventId));
			query.setTimestamp(2, new Timestamp(from));
			try (ResultSet rs = query.executeQuery()) {
				rs.next();
				return rs.getLong(1) / ((to - from) / 1e3);
			}
		}
	}

	private static double ms(Histogram histogram, double percentile) {
		return (histogram.getTotalCount() == 0) ? 0 : histogram.getValueAtPercentile(percentile) / 1e6;
	}

	private static double seconds(Histogram histogram, double percentile) {
		return (histogram.getTotalCount() == 0) ? 0 : histogram.getValueAtPercentile(percentile) / 1e3;
	}

	private static void print(Row row) {
		System.out.printf(
				"on-sale %d instance(s), opens %s, %d buyers: join p50 %.1f ms p99 %.1f ms (with the wait for a connection %.1f ms) over %.1f s, refused %d;"
						+ " booking p50 %.1f ms p99 %.1f ms (after the joins %.1f ms); %.0f tickets/s vs %.0f without a queue (%.2fx);"
						+ " admitted %d, inversions %d, max active seen %d (rows %d of %d); sold %d of %d, oversold %d;"
						+ " booked %d, sold out %d, closed %d, expired %d, 503 %d, errors %d, unfinished %d;"
						+ " wait p50 %.1f s p99 %.1f s max %.1f s; turns p50 %d ms p99 %d ms, %d of 1 s or more (%.0f%% of the turns' time); noticed p50 %.0f ms p99 %.0f ms after admission;"
						+ " %d polls, p99 %.1f ms (with the wait for a connection %.1f ms), %d streams;"
						+ " generator %.0f%% of the cores, %.0f µs/request%n",
				row.instances(), opens(row), row.buyers(), ms(row.join(), 50), ms(row.join(), 99),
				ms(row.joinWithConnectionWait(), 99), row.joinSeconds(), row.joinRefused(), ms(row.booking(), 50),
				ms(row.booking(), 99), ms(row.bookingAfterJoins(), 99), row.ticketsPerSecond(), row.referenceTicketsPerSecond(),
				row.ticketsPerSecond() / row.referenceTicketsPerSecond(), row.admitted(), row.inversions(),
				row.maxActiveSeen(), row.maxAdmittedRows(), row.maxActive(), row.sold(), row.capacity(),
				row.oversold(), row.booked(), row.soldOut(), row.closed(), row.expired(), row.shed(), row.errors(),
				row.unfinished(), seconds(row.waits(), 50), seconds(row.waits(), 99),
				row.waits().getMaxValue() / 1e3, row.turns().getValueAtPercentile(50), row.turns().getValueAtPercentile(99),
				row.slowTurns(), row.slowTurnsShare() * 100, ms(row.noticed(), 50), ms(row.noticed(), 99), row.polls(),
				ms(row.poll(), 99), ms(row.pollWithConnectionWait(), 99), row.streams(), row.generatorShare() * 100,
				row.generatorMicros());
	}

	/** When the row's sale opened: at once, or how many seconds after the first join. */
	private static String opens(Row row) {
		return (row.opensAfterSeconds() == 0) ? "at once" : "after %.0f s".formatted(row.opensAfterSeconds());
	}

	String report(List<Row> rows) {
		if (rows.isEmpty()) {
			return "";
		}
		Row first = rows.get(0);
		StringBuilder out = new StringBuilder(START).append("\n\n");
		out.append("""
				On-sale behind the queue: %,d buyers, each with an account and a token of their own, join \
				the queue of an event of %,d general-admission tickets within %d s (`POST \
				/api/v1/events/{id}/queue`, at an even pace), with `queue: \
				{maxActiveBuyers: %d, passTtlSeconds: %d}` (unless the row says otherwise): as many buyers \
				admitted at once as the reference sale has connections. *opens*: *at once*, the event is \
				on sale when the first buyer joins, and the joins' burst runs beside the sale; *after N \
				s*, its `salesOpenAt` is N seconds after the first join (a quarter longer than the last \
				queued sale's joins took, counted for this many buyers): the buyers arrive early, wait \
				for the opening without a place, are drawn in a random order at the opening, and the sale \
				runs beside a line of thousands that only wait. The accounts are written into the database with one \
				shared bcrypt hash, and the tokens signed by the bench with the signing key it configures \
				for its instances (`boxoffice.auth.signing-key`): registering that many through the API \
				is throttled per address and costs a bcrypt hash each. Buyers ask for 1 or 2 tickets at \
				random, about 1.5 on average, so the event sells out about two thirds down the line and \
				the rest of the line is closed: the sale ends at the oversell boundary, where *oversold* \
				means something.

				Each buyer waits as the waiting-room page does, listening on its place's stream \
				(`…/queue/me/stream`), while the generator has one of its %,d streams to spare: a stream \
				per buyer for all 20,000 would need more open files than one process may have here \
				(20,000), in the generator and in the service. The others poll `GET …/queue/me` at half \
				the wait the service expects (`estimatedWaitSeconds`), between 1 s and 30 s, ± 25 %% at \
				random, and listen from the first poll that finds a stream to spare; a buyer who joined \
				early polls again within 2 s after the opening. \
				Once `ADMITTED` it books in one step (`POST …/bookings`; the confirmed booking ends the \
				turn); a booking refused with 409 (sold out) gives the turn back with `DELETE …/queue/me`. \
				The generator multiplexes the waiting buyers' requests over %,d connections, and the \
				admitted buyers' over twice as many connections as buyers may be admitted (as each \
				buyer has its own, a booking does not wait behind other buyers' joins): *join p99* counts from \
				writing the request, *with the wait for a connection* from the moment the buyer's join \
				was due. The service runs with a 4 GB heap (the other sections': 2 GB): an open place \
				stream keeps about 90 KB of the web server's buffers.

				*booking p99 after the joins*: of the bookings sent once every buyer had joined. \
				*tickets/s*: tickets sold (counted in the database) from the first admission to the last \
				booking; *after the joins*: those booked from the moment the last buyer had joined to the \
				last booking (the sale beside a line that only waits, the joins' burst over; – when the \
				event sold out before the last buyer had joined). A turn that ends through an instance has that instance admit the next buyers at \
				once (otherwise the admission step, every 250 ms, does) and push the admission to their \
				streams; the other instances hear of it by a signal (PostgreSQL `NOTIFY`) and push it to \
				theirs. \
				*no queue*: the same sale (same capacity, 1 or 2 tickets a booking) at %d \
				connections without a queue on the same instances (one customer, as in the flash-sale \
				table), over %d s or until sold out. \
				*inversions*: pairs of buyers admitted in the opposite order of their places in the line \
				(`queue_place`, ordered by the line's key; buyers admitted by one step share a time, \
				which is no inversion). *max active*: the most `active` in `GET …/queue` on any \
				instance, sampled every 100 ms (an instance's view, up to one admission step old: a turn \
				ended through the other instance may still be counted there), and the most rows \
				`ADMITTED` in the database at one sample. *noticed*: from the service's `admittedAt` to the buyer reading it. *turn*: from \
				admission to the turn's end (the booking confirmed, or the buyer leaving after a refusal), \
				from the rows; *turns of 1 s or more* are those of buyers who learned of their turn late \
				(a poll), and *their share* is of the time all turns held a room. *streams*: place \
				streams opened. *generator*: the load generator's CPU time as a share of all cores during \
				the queued sale, and per request it sent. Each run follows a warm-up of %d s of the \
				sale without a queue and a queued sale of %,d buyers.

				""".formatted(first.buyers(), first.capacity(), JOIN_WINDOW.toSeconds(), first.maxActive(),
				PASS_TTL_SECONDS, MAX_STREAMS, this.settings.onSaleConnections(), REFERENCE_CONNECTIONS, this.settings.seconds(), this.settings.warmupSeconds(),
				Math.min(first.buyers(), WARMUP_BUYERS)));
		out.append("| instances | opens | admitted at once | join p50 ms | join p99 ms | with the wait for a connection, p99 ms | joins took s | booking p50 ms | booking p99 ms | booking p99 ms after the joins | tickets/s | no queue, tickets/s | × no queue | tickets/s after the joins | × no queue | no queue p99 ms |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (Row row : rows) {
			boolean soldAfterJoins = !Double.isNaN(row.ticketsPerSecondAfterJoins());
			out.append("| %d | %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %.0f | %.0f | %.2f | %s | %s | %.1f |\n".formatted(
					row.instances(), opens(row), row.maxActive(), ms(row.join(), 50), ms(row.join(), 99), ms(row.joinWithConnectionWait(), 99),
					row.joinSeconds(), ms(row.booking(), 50), ms(row.booking(), 99),
					(row.bookingAfterJoins().getTotalCount() == 0) ? "–"
							: "%.1f".formatted(ms(row.bookingAfterJoins(), 99)),
					row.ticketsPerSecond(), row.referenceTicketsPerSecond(),
					row.ticketsPerSecond() / row.referenceTicketsPerSecond(),
					soldAfterJoins ? "%.0f".formatted(row.ticketsPerSecondAfterJoins()) : "–",
					soldAfterJoins ? "%.2f".formatted(row.ticketsPerSecondAfterJoins() / row.referenceTicketsPerSecond())
							: "–",
					row.referenceP99()));
		}
		out.append("\n| instances | opens | admitted | inversions | max active (API / rows) | sold / capacity | oversold | booked | 409 sold out | closed | expired | 503 | errors | unfinished | wait p50 s | wait p99 s | wait max s | turn p50 ms | turn p99 ms | turns of 1 s or more | their share of the turns' time | noticed p50 ms | noticed p99 ms | polls | poll p99 ms | with the wait for a connection, p99 ms | streams | generator % of cores | generator µs/request |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (Row row : rows) {
			out.append(
					"| %d | %s | %d | %d | %d / %d (cap %d) | %d / %d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f | %.1f | %.1f | %d | %d | %d | %.0f %% | %.0f | %.0f | %d | %.1f | %.1f | %d | %.0f | %.0f |\n"
						.formatted(row.instances(), opens(row), row.admitted(), row.inversions(), row.maxActiveSeen(),
								row.maxAdmittedRows(), row.maxActive(), row.sold(), row.capacity(), row.oversold(),
								row.booked(), row.soldOut(), row.closed(), row.expired(), row.shed(), row.errors(),
								row.unfinished(), seconds(row.waits(), 50), seconds(row.waits(), 99),
								row.waits().getMaxValue() / 1e3, row.turns().getValueAtPercentile(50),
								row.turns().getValueAtPercentile(99), row.slowTurns(), row.slowTurnsShare() * 100,
								ms(row.noticed(), 50), ms(row.noticed(), 99),
								row.polls(), ms(row.poll(), 99), ms(row.pollWithConnectionWait(), 99), row.streams(),
								row.generatorShare() * 100, row.generatorMicros()));
		}
		out.append("\nWaiting times, joining (or the opening, for a buyer who joined before) to admission: ![waiting times](on-sale.png)\n");
		return out.append("\n").append(END).append("\n").toString();
	}

	/**
	 * Buyers by waiting time (joining, or the opening for those who joined before, to admission),
	 * one series per row.
	 */
	static void chart(List<Row> rows, Path file) throws java.io.IOException {
		int bins = 20;
		long longest = rows.stream().mapToLong(row -> row.waits().getMaxValue()).max().orElse(0);
		long width = Math.max(100, (longest + bins) / bins);
		CategoryChart chart = new CategoryChartBuilder().width(1000)
			.height(500)
			.title("On-sale: buyers by waiting time, joining (or the opening) to admission (%,d buyers)"
				.formatted(rows.get(0).buyers()))
			.xAxisTitle("waiting time, s (bins up to)")
			.yAxisTitle("buyers")
			.build();
		List<String> labels = new ArrayList<>();
		for (int bin = 0; bin < bins; bin++) {
			labels.add("%.1f".formatted((bin + 1) * width / 1e3));
		}
		for (Row row : rows) {
			List<Long> counts = new ArrayList<>();
			for (int bin = 0; bin < bins; bin++) {
				long from = bin * width;
				long to = (bin == bins - 1) ? Long.MAX_VALUE : (bin + 1) * width - 1;
				counts.add(row.waits().getCountBetweenValues(from, Math.min(to, row.waits().getHighestTrackableValue())));
			}
			chart.addSeries("%d instance(s), opens %s, %d at once".formatted(row.instances(), opens(row),
					row.maxActive()), labels, counts);
		}
		chart.getStyler().setXAxisLabelRotation(45);
		BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
	}

	/** Puts the section in place of the one {@code results} has, or after it. */
	static String replaceSection(String results, String section) {
		return Sections.replace(results, START, END, section);
	}

	/**
	 * Runs the section and writes it into the results that are there, in place of its earlier
	 * figures (after a full run, or alone: {@code --onsale=only}), and its chart.
	 */
	static void runInto(Settings settings, String how) throws Exception {
		Path logs = Files.createTempDirectory("boxoffice-onsale-logs");
		System.out.printf("On-sale bench; service logs in %s%n", logs);
		OnSaleBench bench = new OnSaleBench(settings);
		List<Row> rows = bench.run(logs);
		if (rows.isEmpty()) {
			return;
		}
		String section = bench.report(rows);
		String note = "Measured %s with `%s` on %d cores; service, PostgreSQL and buyers on the same machine."
			.formatted(Instant.now().truncatedTo(ChronoUnit.MINUTES), how, Runtime.getRuntime().availableProcessors());
		section = section.replace(START + "\n\n", START + "\n\n" + note + "\n\n");
		Path results = settings.output().resolve("results.md");
		String existing = Files.exists(results) ? Files.readString(results) : "";
		Files.writeString(results, replaceSection(existing, section));
		chart(rows, settings.output().resolve("on-sale.png"));
		System.out.println();
		System.out.println(section);
	}

	/**
	 * One queued sale: every buyer joins at an even pace within {@link #JOIN_WINDOW}, then each
	 * is a chain of callbacks on one shared asynchronous client (join, polls, booking, maybe
	 * leaving), not a thread.
	 */
	private static final class Sale {

		final List<Integer> ports;

		final String eventId;

		final List<String> tokens;

		final int capacity;

		final int maxActive;

		final int connections;

		/** When the sale opens; null when on sale at once. */
		final Instant opens;

		final Histogram join = new ConcurrentHistogram(LONGEST_NANOS, 3);

		final Histogram joinWithConnectionWait = new ConcurrentHistogram(LONGEST_NANOS, 3);

		final Histogram booking = new ConcurrentHistogram(LONGEST_NANOS, 3);

		/** The bookings sent once every join was answered: apart from the burst of joins. */
		final Histogram bookingAfterJoins = new ConcurrentHistogram(LONGEST_NANOS, 3);

		final LongAdder joined = new LongAdder();

		/** From admission (the service's {@code admittedAt}) to the buyer's reading it, ms. */
		final Histogram noticed = new ConcurrentHistogram(LONGEST_NANOS, 3);

		/** Polls, from writing the request. */
		final Histogram poll = new ConcurrentHistogram(LONGEST_NANOS, 3);

		/** Polls, from the moment the poll was due: with the wait for a connection. */
		final Histogram pollWithConnectionWait = new ConcurrentHistogram(LONGEST_NANOS, 3);

		final LongAdder joinRefused = new LongAdder();

		final LongAdder booked = new LongAdder();

		final LongAdder soldOut = new LongAdder();

		final LongAdder closed = new LongAdder();

		final LongAdder expired = new LongAdder();

		final LongAdder shed = new LongAdder();

		final LongAdder errors = new LongAdder();

		final LongAdder polls = new LongAdder();

		final LongAdder requests = new LongAdder();

		/** When the last booking was answered 201, epoch milliseconds. */
		final AtomicLong lastBooked = new AtomicLong();

		final AtomicLong lastJoined = new AtomicLong();

		/** When the last join was answered, in epoch milliseconds. */
		final AtomicLong lastJoinedAt = new AtomicLong();

		double joinSeconds;

		long unfinished;

		long maxActiveSeen;

		long maxAdmittedRows;

		double generatorShare;

		double generatorMicros;

		private CountDownLatch finished;

		private CloseableHttpAsyncClient client;

		/** The place streams' own connections, apart from the requests'. */
		private CloseableHttpAsyncClient streamClient;

		/**
		 * The admitted buyers' own connections (bookings, leaving the line after a refusal), as
		 * each buyer has its own: a booking does not wait behind other buyers' joins and polls
		 * for one of the shared connections.
		 */
		private CloseableHttpAsyncClient turnClient;

		final LongAdder streams = new LongAdder();

		final java.util.concurrent.atomic.AtomicInteger openStreams = new java.util.concurrent.atomic.AtomicInteger();

		private ScheduledExecutorService later;

		Sale(List<Integer> ports, String eventId, List<String> tokens, int capacity, int maxActive,
				int connections, Instant opens) {
			this.opens = opens;
			this.ports = ports;
			this.eventId = eventId;
			this.tokens = tokens;
			this.capacity = capacity;
			this.maxActive = maxActive;
			this.connections = connections;
		}

		void run() throws InterruptedException {
			int buyers = this.tokens.size();
			this.finished = new CountDownLatch(buyers);
			this.client = Load.http(this.connections);
			this.streamClient = Load.http(MAX_STREAMS);
			this.turnClient = Load.http(2 * this.maxActive);
			this.later = Executors.newSingleThreadScheduledExecutor();
			try {
				this.client.start();
				this.streamClient.start();
				this.turnClient.start();
				long cpu = Load.cpuNanos();
				long start = System.nanoTime();
				for (int i = 0; i < buyers; i++) {
					Buyer buyer = new Buyer(this, i);
					long at = JOIN_WINDOW.toNanos() * i / buyers;
					this.later.schedule(buyer::join, at, TimeUnit.NANOSECONDS);
				}
				if (!this.finished.await(SALE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
					System.out.printf("  note: %d buyers had not finished after %s%n", this.finished.getCount(),
							SALE_TIMEOUT);
				}
				this.unfinished = this.finished.getCount();
				long wall = System.nanoTime() - start;
				long cpuNanos = Load.cpuNanos() - cpu;
				this.joinSeconds = (this.lastJoined.get() - start) / 1e9;
				this.generatorShare = cpuNanos / (double) wall / Runtime.getRuntime().availableProcessors();
				this.generatorMicros = cpuNanos / 1e3 / Math.max(1, this.requests.sum());
			}
			finally {
				this.client.close(CloseMode.IMMEDIATE);
				this.streamClient.close(CloseMode.IMMEDIATE);
				this.turnClient.close(CloseMode.IMMEDIATE);
				this.later.shutdownNow();
			}
		}

		/**
		 * Sends a waiting buyer's request; the answer and its latency (from writing it) go to
		 * {@code then}.
		 */
		void send(SimpleHttpRequest request, Answered then, Runnable onFailure) {
			send(this.client, request, then, onFailure);
		}

		/** Sends an admitted buyer's request, on the admitted buyers' connections. */
		void sendInTurn(SimpleHttpRequest request, Answered then, Runnable onFailure) {
			send(this.turnClient, request, then, onFailure);
		}

		private void send(CloseableHttpAsyncClient through, SimpleHttpRequest request, Answered then,
				Runnable onFailure) {
			this.requests.increment();
			HttpClientContext context = HttpClientContext.create();
			through.execute(SimpleRequestProducer.create(request), SimpleResponseConsumer.create(), null, context,
					new FutureCallback<>() {

						@Override
						public void completed(SimpleHttpResponse response) {
							then.answered(response, System.nanoTime() - Load.sentAt(context));
						}

						@Override
						public void failed(Exception ex) {
							Sale.this.errors.increment();
							onFailure.run();
						}

						@Override
						public void cancelled() {
							Sale.this.errors.increment();
							onFailure.run();
						}

					});
		}

		void after(long millis, Runnable action) {
			this.later.schedule(action, millis, TimeUnit.MILLISECONDS);
		}

		static void record(Histogram histogram, long nanos) {
			histogram.recordValue(Math.min(Math.max(0, nanos), LONGEST_NANOS));
		}

	}

	@FunctionalInterface
	private interface Answered {

		void answered(SimpleHttpResponse response, long latencyNanos);

	}

	/**
	 * One buyer: joins, polls its place ({@link #nextPoll}), books when admitted, leaves when the
	 * booking is refused.
	 */
	private static final class Buyer {

		private final Sale sale;

		private final String authorization;

		private final String api;

		private final String queue;

		private long intent;


		Buyer(Sale sale, int index) {
			this.sale = sale;
			this.authorization = "Bearer " + sale.tokens.get(index);
			this.api = "http://127.0.0.1:" + sale.ports.get(index % sale.ports.size()) + "/api/v1/";
			this.queue = this.api + "events/" + sale.eventId + "/queue";
		}

		void join() {
			this.intent = System.nanoTime();
			this.sale.send(request("POST", this.queue, null), (response, latency) -> {
				Sale.record(this.sale.join, latency);
				Sale.record(this.sale.joinWithConnectionWait, System.nanoTime() - this.intent);
				this.sale.lastJoined.accumulateAndGet(System.nanoTime(), Math::max);
				this.sale.lastJoinedAt.accumulateAndGet(System.currentTimeMillis(), Math::max);
				int status = response.getCode();
				if (status == 503) {
					this.sale.shed.increment();
					this.sale.after(retryAfterMillis(response), this::join);
					return;
				}
				this.sale.joined.increment();
				if (status == 200 || status == 201) {
					place(response, true);
				}
				else {
					this.sale.joinRefused.increment();
					done();
				}
			}, () -> {
				this.sale.joined.increment();
				done();
			});
		}

		private void poll() {
			this.sale.polls.increment();
			long due = System.nanoTime();
			this.sale.send(request("GET", this.queue + "/me", null), (response, latency) -> {
				Sale.record(this.sale.poll, latency);
				Sale.record(this.sale.pollWithConnectionWait, System.nanoTime() - due);
				if (response.getCode() == 200) {
					place(response, false);
				}
				else {
					if (response.getCode() == 503) {
						this.sale.shed.increment();
					}
					else {
						this.sale.errors.increment();
					}
					this.sale.after(retryAfterMillis(response), this::poll);
				}
			}, () -> this.sale.after(FIRST_POLL_MILLIS, this::poll));
		}

		private void place(SimpleHttpResponse response, boolean joined) {
			place(JSON.readTree(response.getBodyText()), joined);
		}

		private void place(JsonNode place, boolean joined) {
			switch (place.path("status").asString()) {
				case "WAITING" -> {
					if (mayListen()) {
						listen();
						return;
					}
					this.sale.after(nextPoll(place), this::poll);
				}
				case "ADMITTED" -> {
					Instant admitted = Instant.parse(place.path("admittedAt").asString());
					Sale.record(this.sale.noticed, ChronoUnit.NANOS.between(admitted, Instant.now()));
					book();
				}
				case "CLOSED" -> {
					this.sale.closed.increment();
					done();
				}
				case "EXPIRED" -> {
					this.sale.expired.increment();
					done();
				}
				default -> {
					this.sale.errors.increment();
					done();
				}
			}
		}

		/** While the generator has streams to spare ({@link #MAX_STREAMS}). */
		private boolean mayListen() {
			return this.sale.openStreams.get() < MAX_STREAMS;
		}

		/**
		 * Listens on the place's stream until it says ADMITTED (or anything but WAITING), then
		 * closes it and goes on as a poll's answer would; if the stream ends or fails first, polls.
		 */
		private void listen() {
			this.sale.streams.increment();
			this.sale.openStreams.incrementAndGet();
			SimpleHttpRequest request = request("GET", this.queue + "/me/stream", null);
			request.setHeader(HttpHeaders.ACCEPT, "text/event-stream");
			PlaceStream stream = new PlaceStream(this);
			stream.future = this.sale.streamClient.execute(SimpleRequestProducer.create(request), stream, null);
		}

		/**
		 * Half the wait the service expects ({@code estimatedWaitSeconds}), between
		 * {@link #SHORTEST_POLL_MILLIS} and {@link #LONGEST_POLL_MILLIS}: a buyer far back asks
		 * seldom, and more often as the turn comes near. Before the opening of a sale the
		 * buyer joined early, when its place is not drawn yet: at the opening.
		 */
		private long nextPoll(JsonNode place) {
			JsonNode estimate = place.path("estimatedWaitSeconds");
			if (!estimate.isNumber() && this.sale.opens != null && Instant.now().isBefore(this.sale.opens)) {
				// no place before the draw: a page that shows the opening asks again as it
				// passes, within 2 s of it
				return Duration.between(Instant.now(), this.sale.opens).toMillis()
						+ ThreadLocalRandom.current().nextLong(2_000);
			}
			long half = estimate.isNumber() ? estimate.asLong() * 1000 / 2 : LONGEST_POLL_MILLIS;
			// ± 25 %, as clients do, so that buyers who joined together do not poll together
			double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() / 2;
			return (long) (Math.clamp(half, SHORTEST_POLL_MILLIS, LONGEST_POLL_MILLIS) * jitter);
		}

		private void book() {
			String body = ONE_OR_TWO.get();
			boolean afterJoins = this.sale.joined.sum() >= this.sale.tokens.size();
			this.sale.sendInTurn(request("POST", this.api + "events/" + this.sale.eventId + "/bookings", body),
					(response, latency) -> {
						Sale.record(this.sale.booking, latency);
						if (afterJoins) {
							Sale.record(this.sale.bookingAfterJoins, latency);
						}
						switch (response.getCode()) {
							case 201 -> {
								this.sale.booked.increment();
								this.sale.lastBooked.accumulateAndGet(System.currentTimeMillis(), Math::max);
								done();
							}
							case 409 -> {
								// sold out, or fewer left than asked: the turn is given back
								this.sale.soldOut.increment();
								leave();
							}
							case 503 -> {
								this.sale.shed.increment();
								this.sale.after(retryAfterMillis(response), this::book);
							}
							default -> {
								this.sale.errors.increment();
								leave();
							}
						}
					}, this::leave);
		}

		private void leave() {
			this.sale.sendInTurn(request("DELETE", this.queue + "/me", null), (response, latency) -> {
				if (response.getCode() != 204) {
					this.sale.errors.increment();
				}
				done();
			}, this::done);
		}

		private void done() {
			this.sale.finished.countDown();
		}

		private SimpleHttpRequest request(String method, String uri, String body) {
			SimpleRequestBuilder builder = SimpleRequestBuilder.create(method)
				.setUri(URI.create(uri))
				.setHeader(HttpHeaders.AUTHORIZATION, this.authorization);
			if (body != null) {
				builder.setBody(body, ContentType.APPLICATION_JSON);
			}
			return builder.build();
		}

		private static long retryAfterMillis(SimpleHttpResponse response) {
			Header header = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
			try {
				return (header == null) ? FIRST_POLL_MILLIS : Long.parseLong(header.getValue().trim()) * 1000;
			}
			catch (NumberFormatException ex) {
				return FIRST_POLL_MILLIS;
			}
		}

	}

	/**
	 * A buyer's place stream ({@code …/queue/me/stream}): Server-Sent Events read as they come,
	 * the first place that is not WAITING handed to the buyer once, and the stream closed then.
	 */
	private static final class PlaceStream extends AbstractCharResponseConsumer<Boolean> {

		private final Buyer buyer;

		private final StringBuilder pending = new StringBuilder();

		private final AtomicBoolean settled = new AtomicBoolean();

		volatile java.util.concurrent.Future<Boolean> future;

		PlaceStream(Buyer buyer) {
			this.buyer = buyer;
		}

		@Override
		protected void start(org.apache.hc.core5.http.HttpResponse response, ContentType contentType) {
			if (response.getCode() != 200) {
				settle(null);
			}
		}

		@Override
		protected int capacityIncrement() {
			return 4096;
		}

		@Override
		protected void data(CharBuffer data, boolean endOfStream) {
			this.pending.append(data);
			int end;
			while ((end = this.pending.indexOf("\n")) >= 0) {
				String line = this.pending.substring(0, end);
				this.pending.delete(0, end + 1);
				if (line.startsWith("data:")) {
					JsonNode place = JSON.readTree(line.substring("data:".length()));
					if (!"WAITING".equals(place.path("status").asString())) {
						settle(place);
					}
				}
			}
			if (endOfStream) {
				settle(null);
			}
		}

		@Override
		protected Boolean buildResult() {
			settle(null);
			return Boolean.TRUE;
		}

		@Override
		public void failed(Exception cause) {
			settle(null);
		}

		@Override
		public void releaseResources() {
		}

		/** The buyer goes on once: with the place, or polling when the stream said nothing. */
		private void settle(JsonNode place) {
			if (!this.settled.compareAndSet(false, true)) {
				return;
			}
			Sale sale = this.buyer.sale;
			sale.openStreams.decrementAndGet();
			sale.later.execute(() -> {
				java.util.concurrent.Future<Boolean> running = this.future;
				if (running != null) {
					running.cancel(true);
				}
			});
			if (place != null) {
				sale.later.execute(() -> this.buyer.place(place, false));
			}
			else {
				sale.after(FIRST_POLL_MILLIS, this.buyer::poll);
			}
		}

	}

	/**
	 * Every 100 ms: the line's public counts on every instance ({@code active}), and the rows
	 * {@code ADMITTED} in the database; the most of each.
	 */
	private final class Sampler implements AutoCloseable {

		final AtomicLong maxActive = new AtomicLong();

		final AtomicLong maxAdmitted = new AtomicLong();

		private final ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor();

		private final Connection db;

		private final PreparedStatement admitted;

		Sampler(List<Integer> ports, String eventId) throws Exception {
			this.db = database();
			this.admitted = this.db
				.prepareStatement("SELECT count(*) FROM queue_place WHERE event_id = ? AND status = 'ADMITTED'");
			this.admitted.setObject(1, UUID.fromString(eventId));
			this.every.scheduleAtFixedRate(() -> sample(ports, eventId), 0, SAMPLE.toMillis(), TimeUnit.MILLISECONDS);
		}

		private void sample(List<Integer> ports, String eventId) {
			try {
				for (int port : ports) {
					HttpResponse<String> counts = OnSaleBench.this.http.send(HttpRequest
						.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events/" + eventId + "/queue"))
						.timeout(Duration.ofSeconds(5))
						.build(), HttpResponse.BodyHandlers.ofString());
					if (counts.statusCode() == 200) {
						this.maxActive.accumulateAndGet(JSON.readTree(counts.body()).path("active").asLong(),
								Math::max);
					}
				}
				try (ResultSet rs = this.admitted.executeQuery()) {
					rs.next();
					this.maxAdmitted.accumulateAndGet(rs.getLong(1), Math::max);
				}
			}
			catch (Exception ex) {
				// a missed sample; the next one comes 100 ms later
			}
		}

		@Override
		public void close() throws Exception {
			this.every.shutdown();
			this.every.awaitTermination(10, TimeUnit.SECONDS);
			this.db.close();
		}

	}

	/**
	 * The line as the database kept it: each admitted buyer's wait (joining to admission) and the
	 * pairs admitted out of the line's order {@code (late, place)}.
	 */
	private record Line(Histogram waits, long inversions, Instant firstAdmission, Histogram turns,
			long slowTurns, double slowTurnsShare) {
	}

	/** A turn this long or longer is slow: its buyer took seconds to notice the admission. */
	private static final long SLOW_TURN_MILLIS = 1_000;

	private Line line(String eventId, Instant opens) throws Exception {
		List<Long> admittedAt = new ArrayList<>();
		Histogram waits = new Histogram(LONGEST_NANOS / 1_000_000, 3);
		Histogram turns = new Histogram(LONGEST_NANOS / 1_000_000, 3);
		long slowTurns = 0;
		long slowMillis = 0;
		long allMillis = 0;
		Instant first = null;
		try (Connection db = database(); PreparedStatement query = db.prepareStatement("""
				SELECT joined_at, admitted_at, turn_ended_at FROM queue_place
				 WHERE event_id = ? AND admitted_at IS NOT NULL ORDER BY late, place
				""")) {
			query.setObject(1, UUID.fromString(eventId));
			try (ResultSet rs = query.executeQuery()) {
				while (rs.next()) {
					Instant joined = rs.getTimestamp(1).toInstant();
					Timestamp at = rs.getTimestamp(2);
					Instant admitted = at.toInstant();
					// microseconds: every buyer admitted by one step shares its time
					admittedAt.add(ChronoUnit.MICROS.between(Instant.EPOCH, admitted));
					Instant from = (opens != null && opens.isAfter(joined)) ? opens : joined;
					waits.recordValue(
							Math.min(Math.max(0, Duration.between(from, admitted).toMillis()), LONGEST_NANOS / 1_000_000));
					first = (first == null || admitted.isBefore(first)) ? admitted : first;
					Timestamp ended = rs.getTimestamp(3);
					if (ended != null) {
						long turn = Math.max(0, Duration.between(admitted, ended.toInstant()).toMillis());
						turns.recordValue(Math.min(turn, LONGEST_NANOS / 1_000_000));
						allMillis += turn;
						if (turn >= SLOW_TURN_MILLIS) {
							slowTurns++;
							slowMillis += turn;
						}
					}
				}
			}
		}
		return new Line(waits, inversions(admittedAt.stream().mapToLong(Long::longValue).toArray()), first, turns,
				slowTurns, (allMillis == 0) ? 0 : (double) slowMillis / allMillis);
	}

	/** Pairs i < j with {@code times[i] > times[j]}: a merge sort that counts. */
	static long inversions(long[] times) {
		return sortCounting(times.clone(), new long[times.length], 0, times.length);
	}

	private static long sortCounting(long[] a, long[] buffer, int from, int to) {
		if (to - from < 2) {
			return 0;
		}
		int middle = (from + to) >>> 1;
		long count = sortCounting(a, buffer, from, middle) + sortCounting(a, buffer, middle, to);
		int i = from;
		int j = middle;
		int k = from;
		while (i < middle && j < to) {
			if (a[i] <= a[j]) {
				buffer[k++] = a[i++];
			}
			else {
				count += middle - i;
				buffer[k++] = a[j++];
			}
		}
		while (i < middle) {
			buffer[k++] = a[i++];
		}
		while (j < to) {
			buffer[k++] = a[j++];
		}
		System.arraycopy(buffer, from, a, from, to - from);
		return count;
	}

	/**
	 * The buyers' accounts, written straight into the database (registering 20,000 through the
	 * API is throttled per address and takes a bcrypt hash each), all with the organizer's
	 * password hash; and a token each, signed with the key the instances were given.
	 */
	private List<String> seedBuyers(int buyers) throws Exception {
		List<String> tokens = new ArrayList<>(buyers);
		String run = UUID.randomUUID().toString().substring(0, 8);
		try (Connection db = database(); PreparedStatement insert = db.prepareStatement("""
				INSERT INTO account (id, email, password_hash, role, created_at)
				SELECT gen_random_uuid(), 'buyer-' || g || '-' || ? || '@bench.example',
				       (SELECT password_hash FROM account WHERE role = 'ORGANIZER' LIMIT 1), 'CUSTOMER', now()
				  FROM generate_series(1, ?) g
				RETURNING id
				""")) {
			insert.setString(1, run);
			insert.setInt(2, buyers);
			try (ResultSet rs = insert.executeQuery()) {
				while (rs.next()) {
					tokens.add(Tokens.mint(rs.getObject(1, UUID.class), "CUSTOMER", Duration.ofHours(2)));
				}
			}
		}
		return tokens;
	}

	private long sold(String eventId) throws Exception {
		try (Connection db = database()) {
			return FlashSaleBench.soldInRows(db, eventId);
		}
	}

	private Connection database() throws Exception {
		return DriverManager.getConnection(this.settings.jdbcUrl(this.settings.database()), this.settings.dbUser(),
				"");
	}

	private void resetDatabase() throws Exception {
		try (Connection admin = DriverManager.getConnection(this.settings.jdbcUrl("postgres"), this.settings.dbUser(),
				""); Statement statement = admin.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + this.settings.database() + " WITH (FORCE)");
			statement.execute("CREATE DATABASE " + this.settings.database());
		}
	}

	/** An organizer registered and logged in through the API. */
	private String organizer(int port) throws Exception {
		String email = "organizer-" + UUID.randomUUID() + "@bench.example";
		expect(send(port, "/api/v1/accounts", null,
				"{\"email\":\"" + email + "\",\"password\":\"bench-password\",\"role\":\"ORGANIZER\"}"));
		String body = expect(send(port, "/api/v1/auth/token", null,
				"{\"email\":\"" + email + "\",\"password\":\"bench-password\"}"));
		return JSON.readTree(body).get("accessToken").asString();
	}

	/**
	 * A general-admission event on sale from {@code opens} (now when null), behind a queue when
	 * {@code maxActive} is given.
	 */
	private String event(int port, String organizer, int capacity, Integer maxActive, Instant opens)
			throws Exception {
		String queue = (maxActive == null) ? ""
				: "\"queue\": {\"maxActiveBuyers\": %d, \"passTtlSeconds\": %d},".formatted(maxActive,
						PASS_TTL_SECONDS);
		if (opens != null) {
			queue += "\"salesOpenAt\": \"%s\",".formatted(opens.truncatedTo(ChronoUnit.MILLIS));
		}
		String body = expect(send(port, "/api/v1/events", organizer, """
				{"name": "On-sale", "startsAt": "2030-01-01T19:00:00Z", %s
				 "categories": [{"code": "GA", "name": "Standing", "price": "25.00", "currency": "EUR", "capacity": %d}]}
				""".formatted(queue, capacity)));
		return JSON.readTree(body).get("id").asString();
	}

	private HttpResponse<String> send(int port, String path, String token, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String expect(HttpResponse<String> response) {
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(
					response.uri() + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

}
