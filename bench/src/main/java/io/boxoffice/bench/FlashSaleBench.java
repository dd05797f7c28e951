package io.boxoffice.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One flash sale against each strategy, on 1 and 2 instances, beside the pgbench ceiling of the
 * same database: tickets sold per second (counted in the database), latency percentiles, oversold
 * tickets and errors. Prints a table and writes {@code results.md} and {@code flash-sale.png}.
 */
public final class FlashSaleBench {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int PROBE_CAPACITY = 200;

	private final Settings settings;

	private final HttpClient http = HttpClient.newHttpClient();

	private FlashSaleBench(Settings settings) {
		this.settings = settings;
	}

	/**
	 * @param generator {@code java} ({@link Load}) or {@code wrk} ({@link Wrk})
	 * @param clients how the clients answered a 503 with Retry-After
	 * @param generatorMicros the load generator's CPU time per answer
	 */
	record Row(String strategy, int instances, int connections, String generator, String clients,
			double ticketsPerSecond, double p50, double p99, double shedP99, long shed, long oversold, long errors,
			double generatorMicros) {
	}

	/**
	 * One workload of the sale-path section.
	 * @param rate tickets or seats sold per second (counted in the database)
	 * @param soldTwice seats sold more than once, or tickets sold past capacity
	 * @param countersOff the event's counters that the service's own audit
	 * ({@code /actuator/consistency/{eventId}}) found not to match its rows after the run
	 * @param serviceCpu the service's CPU time (every instance, every thread, the JIT's
	 * too) per ticket or seat sold, in milliseconds
	 * @param databaseCpu the same for the local PostgreSQL server's processes; NaN when it
	 * cannot be read here ({@link DatabaseCpu})
	 * @param requests requests answered (sold, refused, shed, failed): holds and confirmations
	 * each count
	 * @param seconds the time {@code rate} is measured over
	 */
	record PathRow(String workload, String strategy, int instances, long sold, double rate, double p50, double p99,
			long refused, long shed, long soldTwice, long countersOff, long errors, double serviceCpu,
			double databaseCpu, long requests, double seconds) {
	}

	record SeatRow(String workload, String strategy, long sold, double seatsPerSecond, double p50, double p99,
			long duplicates, long errors) {
	}

	/**
	 * @param healthySeconds from starting the process to the first healthy answer
	 * @param firstTicketsPerSecond the rate of the first seconds of a sale that starts as soon as the
	 * instance is healthy
	 * @param warmTicketsPerSecond the same instance's rate after the usual warm-up
	 * @param perSecond tickets booked in each second of those first seconds
	 * @param firstCpuMillisPerTicket the service's CPU time (all its threads, the JIT's too) per
	 * ticket of those first seconds: unlike the rate, hardly moved by other work on the host
	 * @param warmCpuMillisPerTicket the same, warm
	 */
	record ColdRow(String start, double healthySeconds, double firstTicketsPerSecond, double warmTicketsPerSecond,
			long[] perSecond, double firstCpuMillisPerTicket, double warmCpuMillisPerTicket) {
	}

	private static final int SEAT_ROWS = 50;

	private static final int SEATS_PER_ROW = 100;

	public static void main(String[] args) throws Exception {
		Settings settings = Settings.parse(args);
		Files.createDirectories(settings.output());
		// --checkin=only runs the check-in section alone, --checkin=false not at all
		String checkIn = java.util.Arrays.stream(args)
			.filter(arg -> arg.startsWith("--checkin="))
			.map(arg -> arg.substring("--checkin=".length()))
			.reduce((first, last) -> last)
			.orElse("true");
		String how = "bench/run.sh " + String.join(" ", args);
		// --onsale=only runs the on-sale section alone, --onsale=false not at all; it comes last;
		// --paths=only and --cold-start=only run their section alone too
		boolean flashOnly = settings.onlyPaths() || settings.onlyColdStart();
		if (!checkIn.equals("only") && !settings.onlyOnSale()) {
			new FlashSaleBench(settings).run();
		}
		if (!checkIn.equals("false") && !settings.onlyOnSale() && !flashOnly) {
			CheckInBench.runInto(settings, how);
		}
		if (settings.runsOnSale() && !checkIn.equals("only") && !flashOnly) {
			OnSaleBench.runInto(settings, how);
		}
	}

	private void run() throws Exception {
		Path logs = Files.createTempDirectory("boxoffice-bench-logs");
		System.out.printf("Service logs in %s%n", logs);
		if (this.settings.onlyColdStart()) {
			// only this section of results.md is replaced; the others keep their last full run
			String report = coldStartReport(coldStarts(logs));
			Path results = this.settings.output().resolve("results.md");
			String before = Files.isRegularFile(results) ? Files.readString(results) : "";
			Files.writeString(results, Sections.replace(before, COLD_START, COLD_END, report));
			System.out.println();
			System.out.println(report);
			return;
		}
		double ceiling = pgbenchCeiling();
		System.out.printf("pgbench ceiling (one ticket per transaction, 8 clients): %.0f tx/s%n", ceiling);
		if (this.settings.onlyPaths()) {
			// only this section of results.md is replaced; the others keep their last full run
			String report = pathsReport(ceiling, paths(logs));
			Path results = this.settings.output().resolve("results.md");
			String before = Files.isRegularFile(results) ? Files.readString(results) : "";
			Files.writeString(results, Sections.replace(before, PATHS_START, PATHS_END, report));
			System.out.println();
			System.out.println(report);
			return;
		}
		List<PathRow> pathRows = this.settings.runsPaths() ? paths(logs) : List.of();
		List<Row> rows = new ArrayList<>();
		for (String strategy : this.settings.strategies()) {
			for (int instances : this.settings.instanceCounts()) {
				Row row = sale(strategy, instances, this.settings.connections(), "java", Load.Clients.RESEND_AT_ONCE,
						logs);
				rows.add(row);
				print(row);
			}
		}
		if (this.settings.strategies().contains("batched")) {
			// Overload: clients resending each 503 at once, then clients waiting its Retry-After; by
			// default at 1,024 connections (a thousand buyers at once), 4,096 (the admission line nearly
			// full) and 6,144 (past it: refusals).
			for (int connections : this.settings.overloadConnections()) {
				for (Load.Clients clients : Load.Clients.values()) {
					Row overload = sale("batched", 1, connections, "java", clients, logs);
					rows.add(overload);
					print(overload);
				}
			}
			wrkSales(rows, logs);
		}
		List<SeatRow> seatRows = new ArrayList<>();
		if (this.settings.seats()) {
			for (String workload : List.of("1-4 named seats", "best available 2")) {
				for (String strategy : List.of("batched", "select-for-update")) {
					SeatRow row = seatSale(workload, strategy, logs);
					seatRows.add(row);
					System.out.printf("seats %-16s %-18s %5d sold  %7.0f seats/s  p50 %6.1f ms  p99 %6.1f ms  duplicates %d  errors %d%n",
							row.workload(), row.strategy(), row.sold(), row.seatsPerSecond(), row.p50(), row.p99(),
							row.duplicates(), row.errors());
				}
			}
		}
		List<ColdRow> coldRows = this.settings.runsColdStart() ? coldStarts(logs) : List.of();
		String report = report(ceiling, rows) + pathsReport(ceiling, pathRows) + seatReport(seatRows)
				+ coldStartReport(coldRows);
		Files.writeString(this.settings.output().resolve("results.md"), report);
		chart(ceiling, rows, this.settings.output().resolve("flash-sale.png"));
		System.out.println();
		System.out.println(report);
	}

	/** What one run of a load generator measured, as the table needs it. */
	private record Outcome(long booked, double seconds, double p50, double p99, double shedP99, long shed,
			long errors, double cpuMicrosPerAnswer) {
	}

	/** Runs a closed-loop sale of one-ticket bookings against the instances. */
	@FunctionalInterface
	private interface Generator {

		Outcome run(List<Integer> ports, String token, String eventId, int connections, Duration duration)
				throws Exception;

	}

	/** The bench's own generator, with clients of the given kind. */
	private static Generator java(Load.Clients clients) {
		return (ports, token, eventId, connections, duration) -> {
			Load.Measured measured = Load.run(ports, token, eventId, connections, duration, Load.ONE_TICKET, clients);
			return new Outcome(measured.bookedCount(), measured.seconds(), millis(measured.booked(), 50),
					millis(measured.booked(), 99), millis(measured.shed(), 99), measured.shed().getTotalCount(),
					measured.errors(), measured.cpuMicrosPerAnswer());
		};
	}

	/** wrk against the first instance; it cannot tell the 503s' latency apart. */
	private static final Generator WRK = (ports, token, eventId, connections, duration) -> {
		Wrk.Measured measured = Wrk.run(ports.get(0), token, eventId, connections, duration);
		return new Outcome(measured.answers() - measured.notBooked(), measured.seconds(), measured.p50Millis(),
				measured.p99Millis(), Double.NaN, measured.notBooked(), measured.errors(),
				measured.cpuMicrosPerAnswer());
	};

	private Row sale(String strategy, int instances, int connections, String generator, Load.Clients clients,
			Path logs) throws Exception {
		Generator load = generator.equals("wrk") ? WRK : java(clients);
		resetDatabase();
		try (Instances running = new Instances(this.settings, strategy, instances, this.settings.database(), logs)) {
			int port = running.ports().get(0);
			String organizer = token(port, "ORGANIZER");
			String customer = token(port, "CUSTOMER");
			String warmup = event(port, organizer, 10_000_000);
			load.run(running.ports(), customer, warmup, connections, Duration.ofSeconds(this.settings.warmupSeconds()));

			String sale = event(port, organizer, 10_000_000);
			Outcome measured = load.run(running.ports(), customer, sale, connections,
					Duration.ofSeconds(this.settings.seconds()));
			long sold = soldInRows(sale);
			if (sold != measured.booked()) {
				System.out.printf("  note: %d bookings answered 2xx, %d in the database%n", measured.booked(), sold);
			}

			// Oversell probe: a small event sold out by the same load (5 s is enough for the slowest
			// strategy); rows beyond capacity are oversold.
			String probe = event(port, organizer, PROBE_CAPACITY);
			Outcome probed = load.run(running.ports(), customer, probe, Math.min(connections, 64),
					Duration.ofSeconds(5));
			long oversold = Math.max(0, soldInRows(probe) - PROBE_CAPACITY);

			// wrk leaves without waiting for the answers in flight, which may still sell: count what
			// was both sold and answered within the measured time
			double rate = Math.min(sold, measured.booked()) / measured.seconds();
			return new Row(strategy, instances, connections, generator, clients.label(), rate,
					measured.p50(), measured.p99(), measured.shedP99(), measured.shed(), oversold,
					measured.errors() + probed.errors(), measured.cpuMicrosPerAnswer());
		}
	}

	/**
	 * The batched sale at 64 connections and at each overload again, driven by wrk, when it is
	 * installed: how much of the Java generator's figures is the generator's own share of the cores.
	 */
	private void wrkSales(List<Row> rows, Path logs) throws Exception {
		if (!Wrk.installed()) {
			System.out.println("wrk is not installed (Debian: apt-get install wrk): no wrk rows");
			return;
		}
		List<Integer> counts = new ArrayList<>(List.of(this.settings.connections()));
		counts.addAll(this.settings.overloadConnections());
		for (int connections : counts) {
			Row row = sale("batched", 1, connections, "wrk", Load.Clients.RESEND_AT_ONCE, logs);
			rows.add(row);
			print(row);
		}
	}

	private static double millis(Histogram histogram, double percentile) {
		return (histogram.getTotalCount() == 0) ? 0 : histogram.getValueAtPercentile(percentile) / 1e6;
	}

	/**
	 * A seat flash sale: 5,000 seats (50 rows of 100), 64 buyers asking for 1 to 4 random named
	 * seats, or for the best 2, until sold out or the time is up.
	 */
	private SeatRow seatSale(String workload, String strategy, Path logs) throws Exception {
		resetDatabase();
		try (Instances running = new Instances(this.settings, strategy, 1, this.settings.database(), logs)) {
			int port = running.ports().get(0);
			String organizer = token(port, "ORGANIZER");
			String customer = token(port, "CUSTOMER");
			String warmup = event(port, organizer, 10_000_000);
			Load.run(running.ports(), customer, warmup, this.settings.connections(),
					Duration.ofSeconds(this.settings.warmupSeconds()));
			String eventId = seatedEvent(port, organizer);
			java.util.function.Supplier<String> bodies = workload.startsWith("best") ? () -> """
					{"items":[{"category":"SEATS","quantity":2}]}""" : FlashSaleBench::randomSeats;
			Load.Measured measured = Load.run(running.ports(), customer, eventId, this.settings.connections(),
					Duration.ofSeconds(this.settings.seconds()), bodies);
			long[] sold = seatsSold(eventId);
			return new SeatRow(workload, strategy, sold[0], sold[0] / measured.lastBookedSeconds(),
					millis(measured.booked(), 50), millis(measured.booked(), 99), sold[0] - sold[1], measured.errors());
		}
	}

	/** The hall of the sale-path section: 100 rows of 200 seats. */
	private static final int HALL_ROWS = 100;

	private static final int HALL_SEATS_PER_ROW = 200;

	private static final String BLIND_NAMED = "1-4 adjacent named seats";

	private static final List<String> PATHS = List.of("one-step GA, 1 ticket", "hold + confirm, 1 GA ticket",
			BLIND_NAMED, "1-4 adjacent named seats, from the seat map", "best available 2");

	/**
	 * Every sale path, for the sale engine and for select-for-update, on 1 and 2 instances: the
	 * one-step general-admission sale as the reference, hold then confirm (one GA ticket), 1 to 4
	 * adjacent named seats at random places (blind, and among the seats a {@link SeatMap} shows
	 * free), and the best 2 seats, all in a 20,000-seat hall (100 rows of 200). Each group of
	 * runs shares its instances and one warm-up of every path.
	 */
	private List<PathRow> paths(Path logs) throws Exception {
		List<PathRow> rows = new ArrayList<>();
		for (int instances : this.settings.instanceCounts()) {
			for (String strategy : this.settings.pathStrategies()) {
				resetDatabase();
				try (Instances running = new Instances(this.settings, strategy, instances, this.settings.database(),
						logs)) {
					int port = running.ports().get(0);
					String organizer = token(port, "ORGANIZER");
					String customer = token(port, "CUSTOMER");
					List<String> workloads = PATHS.stream()
						.filter(path -> this.settings.pathWorkloads().stream().anyMatch(path::contains))
						.toList();
					warmUp(workloads, running.ports(), organizer, customer);
					for (String workload : workloads) {
						PathRow row = pathRow(workload, strategy, instances, running, organizer, customer);
						rows.add(row);
						System.out.printf(
								"path %-28s %-18s %d instance(s): %7.0f /s  p50 %6.1f ms  p99 %6.1f ms  sold %d  refused %d  shed %d  sold twice %d  counters off %d  errors %d  CPU ms/sale service %.2f db %.2f%n",
								row.workload(), row.strategy(), row.instances(), row.rate(), row.p50(), row.p99(),
								row.sold(), row.refused(), row.shed(), row.soldTwice(), row.countersOff(), row.errors(),
								row.serviceCpu(),
								row.databaseCpu());
					}
				}
			}
		}
		return rows;
	}

	/** The share of a warm-up round's time the busiest instance's JIT may still compile in. */
	private static final double JIT_SETTLED = 0.05;

	/**
	 * Warms every path up in rounds of {@code --warmup} seconds (shared among the workloads)
	 * until the JIT compilers of every instance have settled: compiling for less than
	 * {@link #JIT_SETTLED} of the last round's time, or {@code --path-warmup-max} seconds in
	 * all. Two instances on two shared cores each compile the same code at half the speed, and
	 * a fixed warm-up long enough for one instance measured the second's compiler, not its
	 * sales.
	 */
	private void warmUp(List<String> workloads, List<Integer> ports, String organizer, String customer)
			throws Exception {
		Duration share = Duration.ofSeconds(Math.max(1, this.settings.warmupSeconds() / workloads.size()));
		long started = System.nanoTime();
		for (int round = 1;; round++) {
			List<Double> compiledBefore = compilationMillis(ports);
			long roundStarted = System.nanoTime();
			for (String workload : workloads) {
				pathRun(workload, ports, organizer, customer, share);
			}
			double roundMillis = (System.nanoTime() - roundStarted) / 1e6;
			List<Double> compiledAfter = compilationMillis(ports);
			double busiest = 0;
			for (int i = 0; i < ports.size(); i++) {
				busiest = Math.max(busiest, (compiledAfter.get(i) - compiledBefore.get(i)) / roundMillis);
			}
			long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
			System.out.printf("warm-up round %d (%d s in all): the busiest JIT compiled for %.2f of the round%n", round,
					seconds, busiest);
			if (busiest < JIT_SETTLED || seconds >= this.settings.pathWarmupMaxSeconds()) {
				return;
			}
		}
	}

	/** Each instance's JIT compilation time so far, from its Prometheus endpoint. */
	private List<Double> compilationMillis(List<Integer> ports) throws IOException, InterruptedException {
		List<Double> millis = new ArrayList<>();
		for (int port : ports) {
			String metrics = get(port, "/actuator/prometheus");
			List<String> lines = metrics.lines().filter(line -> line.startsWith("jvm_compilation_time_ms_total")).toList();
			if (lines.isEmpty()) {
				throw new IllegalStateException("Instance on port " + port + " reports no jvm_compilation_time_ms_total");
			}
			millis.add(lines.stream()
				.mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
				.sum());
		}
		return millis;
	}

	/** One event of the workload, and its load for the given time. */
	private record PathRun(String eventId, Load.Measured measured) {
	}

	private PathRun pathRun(String workload, List<Integer> ports, String organizer, String customer,
			Duration duration) throws Exception {
		int port = ports.get(0);
		int connections = this.settings.connections();
		return switch (workload) {
			case "one-step GA, 1 ticket" -> {
				String eventId = event(port, organizer, 10_000_000);
				yield new PathRun(eventId, Load.run(ports, customer, eventId, connections, duration));
			}
			case "hold + confirm, 1 GA ticket" -> {
				String eventId = event(port, organizer, 10_000_000);
				yield new PathRun(eventId,
						Load.holdThenConfirm(ports, customer, eventId, connections, duration, Load.ONE_TICKET));
			}
			case BLIND_NAMED -> {
				String eventId = hall(port, organizer);
				yield new PathRun(eventId, Load.run(ports, customer, eventId, connections, duration,
						FlashSaleBench::adjacentNamedSeats));
			}
			case "1-4 adjacent named seats, from the seat map" -> {
				String eventId = hall(port, organizer);
				yield new PathRun(eventId, Load.run(ports, customer, eventId, connections, duration,
						new SeatMap(HALL_ROWS, HALL_SEATS_PER_ROW)));
			}
			default -> {
				String eventId = hall(port, organizer);
				yield new PathRun(eventId, Load.run(ports, customer, eventId, connections, duration,
						() -> "{\"items\":[{\"category\":\"SEATS\",\"quantity\":2}]}"));
			}
		};
	}

	private PathRow pathRow(String workload, String strategy, int instances, Instances running, String organizer,
			String customer) throws Exception {
		DatabaseCpu database = new DatabaseCpu(this.settings.pgHost());
		Duration serviceBefore = running.cpu();
		Duration databaseBefore = database.used();
		PathRun run = pathRun(workload, running.ports(), organizer, customer,
				Duration.ofSeconds(this.settings.seconds()));
		Duration serviceUsed = running.cpu().minus(serviceBefore);
		Duration databaseAfter = database.used();
		Load.Measured measured = run.measured();
		long sold;
		long soldTwice;
		double seconds;
		if (workload.contains("seats") || workload.startsWith("best")) {
			long[] seats = seatsSold(run.eventId());
			sold = seats[0];
			soldTwice = seats[0] - seats[1];
			// a hall sold out before the end is measured up to its last sale
			seconds = measured.lastBookedSeconds();
		}
		else {
			sold = soldInRows(run.eventId());
			soldTwice = Math.max(0, sold - 10_000_000);
			seconds = measured.seconds();
		}
		double databaseUsed = (databaseBefore == null || databaseAfter == null) ? Double.NaN
				: databaseAfter.minus(databaseBefore).toNanos() / 1e6;
		return new PathRow(workload, strategy, instances, sold, sold / seconds, millis(measured.booked(), 50),
				millis(measured.booked(), 99), measured.refused().getTotalCount(), measured.shed().getTotalCount(),
				soldTwice, countersOff(running.ports().get(0), run.eventId()), measured.errors(), serviceUsed.toNanos() / 1e6 / Math.max(1, sold),
				databaseUsed / Math.max(1, sold), measured.booked().getTotalCount() + measured.refused().getTotalCount()
						+ measured.shed().getTotalCount() + measured.errors(),
				seconds);
	}

	/**
	 * Asks the service's own audit how many of the event's counters (pools, seats, tickets,
	 * customers' tallies) disagree with its rows, once the load has stopped.
	 */
	private long countersOff(int port, String eventId) throws IOException, InterruptedException {
		JsonNode report = JSON.readTree(get(port, "/actuator/consistency/" + eventId));
		if (report.get("checked").asInt() == 0) {
			throw new IllegalStateException("The consistency check compared nothing for event " + eventId);
		}
		long off = 0;
		for (JsonNode finding : report.get("findings")) {
			if (!finding.get("consistent").asBoolean()) {
				off++;
			}
		}
		return off;
	}

	/** 1 to 4 adjacent seats at a random place of the hall, whether free or not. */
	private static String adjacentNamedSeats() {
		HallFill.Pick pick = HallFill.pick(java.util.concurrent.ThreadLocalRandom.current(), HALL_ROWS,
				HALL_SEATS_PER_ROW);
		List<String> seats = new ArrayList<>();
		for (int seat = pick.first(); seat < pick.first() + pick.count(); seat++) {
			seats.add("\"R" + (pick.row() + 1) + "-" + (seat + 1) + "\"");
		}
		return "{\"items\":[{\"seats\":[" + String.join(",", seats) + "]}]}";
	}

	private String hall(int port, String organizer) throws Exception {
		StringBuilder rows = new StringBuilder();
		for (int row = 1; row <= HALL_ROWS; row++) {
			rows.append(row > 1 ? "," : "")
				.append("{\"row\":\"R")
				.append(row)
				.append("\",\"from\":1,\"to\":")
				.append(HALL_SEATS_PER_ROW)
				.append('}');
		}
		String body = post(port, "/api/v1/events", organizer, """
				{"name": "Arena on-sale", "startsAt": "2030-01-01T19:00:00Z",
				 "categories": [{"code": "SEATS", "name": "Arena", "price": "60.00", "currency": "EUR", "seats": [%s]}]}
				""".formatted(rows));
		return JSON.readTree(body).get("id").asString();
	}

	/** The markers around the sale-path section of results.md, which {@code --paths=only} replaces. */
	private static final String PATHS_START = "<!-- sale paths -->";

	private static final String PATHS_END = "<!-- /sale paths -->";

	private String pathsReport(double ceiling, List<PathRow> rows) {
		if (rows.isEmpty()) {
			return "";
		}
		StringBuilder out = new StringBuilder("\n" + PATHS_START + "\n");
		out.append("\nEvery sale path: measured ")
			.append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
			.append(" on ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores, service, PostgreSQL and load generator on the same machine; %d connections, %d s per workload after warming every path up until each instance's JIT compiler had settled; pgbench ceiling %.0f tx/s. "
				.formatted(this.settings.connections(), this.settings.seconds(), ceiling))
			.append("*rate*: tickets (or seats) sold per second, counted in the database (a hall sold out early is measured up to its last sale). ")
			.append("*× GA*: the rate over the one-step GA rate of the same strategy and instances. ")
			.append("Latency is per request (hold and confirm each count); *sold twice*: seats claimed twice or tickets past capacity; *counters off*: the event's counters (pools, seats, tickets, customers' tallies) that the service's own audit, `GET /actuator/consistency/{eventId}`, found not to match its rows once the load had stopped. ")
			.append("*Named seats* are asked for at random places whether free or not, so most requests are refused once the hall fills and it does not sell out in the run: the rate is bounded by the hall as much as by the service (*the hall*, below the table: how many of the same picks it takes to sell that many seats, and to sell half the GA rate). ")
			.append("*From the seat map*: buyers pick random places among the seats a live seat map shows free (one map for all buyers, told of every seat sold to them and every seat a 409 names as taken); the hall sells out within the run, and the requests after that are refused. ")
			.append("*CPU ms per sale*: the CPU time the service (every instance and thread, the JIT compiler's too) and the PostgreSQL server used during the run, per ticket or seat sold (refused requests included); other work on the host moves it much less than the rates.\n\n");
		out.append("| workload | strategy | instances | rate /s | × GA | × 1 instance | p50 ms | p99 ms | refused (409) | shed (503) | sold twice | counters off | errors | service CPU ms per sale | PostgreSQL CPU ms per sale |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (PathRow row : rows) {
			double ga = rows.stream()
				.filter(r -> r.workload().equals(PATHS.get(0)) && r.strategy().equals(row.strategy())
						&& r.instances() == row.instances())
				.mapToDouble(PathRow::rate)
				.findFirst()
				.orElse(Double.NaN);
			double single = rows.stream()
				.filter(r -> r.workload().equals(row.workload()) && r.strategy().equals(row.strategy())
						&& r.instances() == 1)
				.mapToDouble(PathRow::rate)
				.findFirst()
				.orElse(Double.NaN);
			out.append("| %s | %s | %d | %.0f | %.2f | %.2f | %.1f | %.1f | %d | %d | %d | %d | %d | %.2f | %s |\n".formatted(
					row.workload(), strategyName(row.strategy()),
					row.instances(), row.rate(), row.rate() / ga, row.rate() / single, row.p50(), row.p99(),
					row.refused(), row.shed(), row.soldTwice(), row.countersOff(), row.errors(), row.serviceCpu(),
					Double.isNaN(row.databaseCpu()) ? "–" : "%.2f".formatted(row.databaseCpu())));
		}
		rows.stream().filter(row -> row.workload().equals(BLIND_NAMED)).forEach(row -> out.append(hallBound(row, rows)));
		return out.append(PATHS_END).append('\n').toString();
	}

	/** Simulations of the blind picks, each from its own seed, whose median is told. */
	private static final int SIMULATIONS = 5;

	/**
	 * What the hall makes of the blind named-seat row: how many of the workload's random picks,
	 * decided one after another on an empty hall, sell the seats the run sold (against the
	 * requests it answered), and how many would sell at half the GA rate of the same run.
	 */
	private String hallBound(PathRow row, List<PathRow> rows) {
		PathRow ga = rows.stream()
			.filter(r -> r.workload().equals(PATHS.get(0)) && r.strategy().equals(row.strategy())
					&& r.instances() == row.instances())
			.findFirst()
			.orElse(null);
		if (ga == null || row.sold() == 0) {
			return "";
		}
		long capacity = (long) HALL_ROWS * HALL_SEATS_PER_ROW;
		long half = Math.round(0.5 * ga.rate() * row.seconds());
		StringBuilder out = new StringBuilder("\n*The hall, %s, %d instance(s)*: the blind run answered %,d requests and sold %,d seats; the same random picks, decided one after another on an empty hall, take %,d to sell that many (median of %d simulations, `HallFill`). "
			.formatted(strategyName(row.strategy()), row.instances(),
					row.requests(), row.sold(), simulatedPicks(row.sold()), SIMULATIONS));
		if (half > capacity) {
			out.append("Half the GA rate for %.0f s is %,d seats, more than the hall's %,d.\n"
				.formatted(row.seconds(), half, capacity));
		}
		else {
			long picks = simulatedPicks(half);
			double perSecond = picks / row.seconds();
			out.append("Half the GA rate for %.0f s, %,d seats, takes %,d: %,.0f requests/s, %.1f× the GA row's %,.0f requests/s.\n"
				.formatted(row.seconds(), half, picks, perSecond, perSecond / (ga.requests() / ga.seconds()),
						ga.requests() / ga.seconds()));
		}
		return out.toString();
	}

	/** A strategy as the tables name it: the batched one is the sale engine. */
	private static String strategyName(String strategy) {
		return strategy.equals("batched") ? "sale engine" : strategy;
	}

	private static long simulatedPicks(long seats) {
		long[] picks = new long[SIMULATIONS];
		for (int seed = 0; seed < SIMULATIONS; seed++) {
			java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
			picks[seed] = HallFill.picksToSell(HALL_ROWS, HALL_SEATS_PER_ROW, seats,
					() -> HallFill.pick(random, HALL_ROWS, HALL_SEATS_PER_ROW));
		}
		java.util.Arrays.sort(picks);
		return picks[SIMULATIONS / 2];
	}

	/**
	 * Cold start: a fresh instance against an empty database, and the one-step sale (batched, one
	 * instance) as soon as it is healthy: its first seconds, then the same instance after the usual
	 * warm-up. Started from the packaged jar, from its extracted form, and from the extracted form
	 * with the JDK's AOT cache ({@code bin/aot-cache}) when that has been made. The load generator
	 * is a JVM too: it sells to a throw-away instance first, so that no row measures its warm-up.
	 */
	private List<ColdRow> coldStarts(Path logs) throws Exception {
		Path aotDir = this.settings.aotDir();
		Path extracted = aotDir.resolve("boxoffice.jar");
		Path cache = aotDir.resolve("boxoffice.aot");
		List<String> names = new ArrayList<>();
		List<List<String>> launches = new ArrayList<>();
		List<String> wanted = this.settings.coldRows();
		if (wanted.contains("jar")) {
			names.add("java -jar (packaged jar)");
			launches.add(List.of("-jar", this.settings.serviceJar().toString()));
		}
		if (Files.isRegularFile(extracted) && wanted.contains("extracted")) {
			names.add("extracted jar");
			launches.add(List.of("-jar", extracted.toString()));
		}
		if (Files.isRegularFile(cache)) {
			if (wanted.contains("aot")) {
				names.add("extracted jar + AOT cache");
				// on: fail rather than start without the cache unnoticed
				launches.add(List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on", "-jar", extracted.toString()));
			}
			// --aot-trial-options: a row more with JVM options to try, e.g.
			// -XX:+UnlockExperimentalVMOptions,-XX:+AOTCompileEagerly; rows separated by |
			for (List<String> options : this.settings.aotTrialOptions()) {
				names.add("AOT cache + " + String.join(" ", options));
				List<String> trial = new ArrayList<>(options);
				trial.addAll(List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on", "-jar", extracted.toString()));
				launches.add(trial);
			}
		}
		else {
			System.out.printf("No AOT cache in %s (bin/aot-cache -Xmx2g makes it, with JDK 25 or newer): no row for it%n",
					aotDir);
		}
		warmGenerator(logs, Files.isRegularFile(extracted) ? List.of("-jar", extracted.toString())
				: List.of("-jar", this.settings.serviceJar().toString()));
		List<ColdRow> rows = new ArrayList<>();
		for (int i = 0; i < names.size(); i++) {
			resetDatabase();
			try (Instances running = new Instances(this.settings, "batched", 1, this.settings.database(), logs, launches.get(i),
					"cold-" + i + "-")) {
				List<Integer> ports = running.ports();
				int port = ports.get(0);
				String organizer = token(port, "ORGANIZER");
				String customer = token(port, "CUSTOMER");
				Duration first = Duration.ofSeconds(this.settings.coldSeconds());
				String cold = event(port, organizer, 10_000_000);
				Duration cpu = running.cpu();
				Load.Measured coldSale = Load.run(ports, customer, cold, this.settings.connections(), first);
				double coldRate = rate(cold, coldSale);
				double coldCpu = (running.cpu().minus(cpu).toNanos() / 1e6) / (coldRate * coldSale.seconds());
				Load.run(ports, customer, event(port, organizer, 10_000_000), this.settings.connections(),
						Duration.ofSeconds(this.settings.warmupSeconds()));
				String warm = event(port, organizer, 10_000_000);
				cpu = running.cpu();
				Load.Measured warmSale = Load.run(ports, customer, warm, this.settings.connections(), first);
				double warmRate = rate(warm, warmSale);
				double warmCpu = (running.cpu().minus(cpu).toNanos() / 1e6) / (warmRate * warmSale.seconds());
				ColdRow row = new ColdRow(names.get(i), running.startup().toMillis() / 1e3, coldRate, warmRate,
						coldSale.bookedPerSecond(), coldCpu, warmCpu);
				rows.add(row);
				System.out.printf("cold start %-28s healthy after %5.1f s  first %d s %6.0f tickets/s  warm %6.0f tickets/s (%.2f)  CPU ms/ticket %.2f first, %.2f warm  per second: %s%n",
						row.start(), row.healthySeconds(), this.settings.coldSeconds(), row.firstTicketsPerSecond(),
						row.warmTicketsPerSecond(), row.firstTicketsPerSecond() / row.warmTicketsPerSecond(),
						row.firstCpuMillisPerTicket(), row.warmCpuMillisPerTicket(), timeline(row.perSecond()));
			}
		}
		return rows;
	}

	/**
	 * Sells to a throw-away instance for {@code --cold-generator-warmup} seconds (20), so that the
	 * load generator's own code is compiled before the first row is measured.
	 */
	private void warmGenerator(Path logs, List<String> launch) throws Exception {
		int seconds = this.settings.coldGeneratorWarmupSeconds();
		if (seconds <= 0) {
			return;
		}
		resetDatabase();
		try (Instances running = new Instances(this.settings, "batched", 1, this.settings.database(), logs, launch,
				"cold-generator-")) {
			int port = running.ports().get(0);
			String organizer = token(port, "ORGANIZER");
			String customer = token(port, "CUSTOMER");
			Load.run(running.ports(), customer, event(port, organizer, 10_000_000), this.settings.connections(),
					Duration.ofSeconds(seconds));
			System.out.printf("load generator warmed by a %d s sale to a throw-away instance%n", seconds);
		}
	}

	private static String timeline(long[] perSecond) {
		return java.util.Arrays.stream(perSecond)
			.mapToObj(Long::toString)
			.collect(java.util.stream.Collectors.joining(" "));
	}

	/** Tickets per second both sold in the rows and answered within the run. */
	private double rate(String eventId, Load.Measured measured) throws Exception {
		return Math.min(soldInRows(eventId), measured.bookedCount()) / measured.seconds();
	}

	/** The markers around the cold-start section of results.md, which {@code --cold-start=only} replaces. */
	private static final String COLD_START = "<!-- cold start -->";

	private static final String COLD_END = "<!-- /cold start -->";

	private String coldStartReport(List<ColdRow> rows) {
		if (rows.isEmpty()) {
			return "";
		}
		StringBuilder out = new StringBuilder("\n" + COLD_START + "\n");
		out.append("""

				Cold start: a fresh instance against an empty database (batched, %d connections); the sale \
				starts as soon as it is healthy. *healthy*: from starting the process to the first 200 of \
				`/actuator/health`. *first %d s*: tickets/s of the sale's first %d seconds; *warm*: the same \
				instance after a %d s warm-up; *per second*: the tickets booked in each of those first \
				seconds; *CPU ms/ticket*: the service's CPU time (every thread, the JIT compiler's too) per ticket sold \
				in those first seconds and warm, which other work on the host hardly moves. The load generator, a JVM too, first sells for %d s to a throw-away instance, so that \
				no row measures its own warm-up. The AOT cache comes from `bin/aot-cache -Xmx2g` (JDK 25), \
				trained by a sale of every kind (see `bin/AotTraining.java`) against a throw-away embedded database.

				""".formatted(this.settings.connections(), this.settings.coldSeconds(), this.settings.coldSeconds(),
				this.settings.warmupSeconds(), this.settings.coldGeneratorWarmupSeconds()));
		out.append(
				"| start | healthy s | first %d s tickets/s | warm tickets/s | first ÷ warm | CPU ms/ticket first, warm | per second |\n"
					.formatted(this.settings.coldSeconds()));
		out.append("|---|---|---|---|---|---|---|\n");
		for (ColdRow row : rows) {
			out.append("| %s | %.1f | %.0f | %.0f | %.2f | %.2f, %.2f | %s |\n".formatted(row.start(), row.healthySeconds(),
					row.firstTicketsPerSecond(), row.warmTicketsPerSecond(),
					row.firstTicketsPerSecond() / row.warmTicketsPerSecond(), row.firstCpuMillisPerTicket(),
					row.warmCpuMillisPerTicket(), timeline(row.perSecond())));
		}
		return out.append(COLD_END).append('\n').toString();
	}

	private static String randomSeats() {
		java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
		java.util.Set<String> seats = new java.util.LinkedHashSet<>();
		int wanted = 1 + random.nextInt(4);
		while (seats.size() < wanted) {
			seats.add("\"R" + (1 + random.nextInt(SEAT_ROWS)) + "-" + (1 + random.nextInt(SEATS_PER_ROW)) + "\"");
		}
		return "{\"items\":[{\"seats\":[" + String.join(",", seats) + "]}]}";
	}

	private String seatedEvent(int port, String organizer) throws Exception {
		StringBuilder rows = new StringBuilder();
		for (int row = 1; row <= SEAT_ROWS; row++) {
			rows.append(row > 1 ? "," : "").append("{\"row\":\"R").append(row).append("\",\"from\":1,\"to\":").append(SEATS_PER_ROW).append('}');
		}
		String body = post(port, "/api/v1/events", organizer, """
				{"name": "Seat flash sale", "startsAt": "2030-01-01T19:00:00Z",
				 "categories": [{"code": "SEATS", "name": "Stalls", "price": "60.00", "currency": "EUR", "seats": [%s]}]}
				""".formatted(rows));
		return JSON.readTree(body).get("id").asString();
	}

	/** Seats sold, and distinct seats sold (equal unless a seat was sold twice). */
	private long[] seatsSold(String eventId) throws Exception {
		try (Connection db = DriverManager.getConnection(this.settings.jdbcUrl(this.settings.database()), this.settings.dbUser(), "");
				PreparedStatement query = db.prepareStatement("""
						SELECT count(*), count(DISTINCT c.seat_id) FROM seat_claim c JOIN booking b ON b.id = c.booking_id
						 WHERE c.event_id = ? AND c.active AND b.status = 'CONFIRMED'
						""")) {
			query.setObject(1, UUID.fromString(eventId));
			try (ResultSet rs = query.executeQuery()) {
				rs.next();
				return new long[] { rs.getLong(1), rs.getLong(2) };
			}
		}
	}

	private static String seatReport(List<SeatRow> rows) {
		if (rows.isEmpty()) {
			return "";
		}
		StringBuilder out = new StringBuilder("\nSeat flash sale: %d seats, %s connections, one instance; seats/s up to the last sale.\n\n"
			.formatted(SEAT_ROWS * SEATS_PER_ROW, "64"));
		out.append("| workload | strategy | seats sold | seats/s | p50 ms | p99 ms | sold twice | errors |\n");
		out.append("|---|---|---|---|---|---|---|---|\n");
		for (SeatRow row : rows) {
			out.append("| %s | %s | %d | %.0f | %.1f | %.1f | %d | %d |\n".formatted(row.workload(),
					row.strategy().equals("batched") ? "boxoffice (conditional claim, SKIP LOCKED)" : "select-for-update",
					row.sold(), row.seatsPerSecond(), row.p50(), row.p99(), row.duplicates(), row.errors()));
		}
		return out.toString();
	}

	private double pgbenchCeiling() throws Exception {
		try (Connection admin = admin(); Statement statement = admin.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS boxoffice_pgbench WITH (FORCE)");
			statement.execute("CREATE DATABASE boxoffice_pgbench");
		}
		try (Connection db = DriverManager.getConnection(this.settings.jdbcUrl("boxoffice_pgbench"), this.settings.dbUser(), "");
				Statement statement = db.createStatement()) {
			statement.execute("CREATE TABLE pool (id int PRIMARY KEY, available int NOT NULL CHECK (available >= 0))");
			statement.execute("CREATE TABLE booking (id bigserial PRIMARY KEY, pool_id int NOT NULL, qty int NOT NULL)");
			statement.execute("INSERT INTO pool VALUES (1, 100000000)");
		}
		Path script = Files.createTempFile("ceiling", ".sql");
		Files.writeString(script, """
				BEGIN;
				UPDATE pool SET available = available - 1 WHERE id = 1 AND available >= 1;
				INSERT INTO booking(pool_id, qty) VALUES (1, 1);
				COMMIT;
				""");
		Process pgbench = new ProcessBuilder("pgbench", "-h", this.settings.pgHost(), "-p",
				String.valueOf(this.settings.pgPort()), "-U", this.settings.dbUser(), "-n", "-c", "8", "-j", "2", "-T",
				String.valueOf(this.settings.seconds()), "-f", script.toString(), "boxoffice_pgbench")
			.redirectErrorStream(true)
			.start();
		String output = new String(pgbench.getInputStream().readAllBytes());
		pgbench.waitFor(5, TimeUnit.MINUTES);
		Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
		if (!tps.find()) {
			throw new IllegalStateException("pgbench printed no tps:\n" + output);
		}
		return Double.parseDouble(tps.group(1));
	}

	private void resetDatabase() throws Exception {
		try (Connection admin = admin(); Statement statement = admin.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + this.settings.database() + " WITH (FORCE)");
			statement.execute("CREATE DATABASE " + this.settings.database());
		}
	}

	private Connection admin() throws Exception {
		return DriverManager.getConnection(this.settings.jdbcUrl("postgres"), this.settings.dbUser(), "");
	}

	private long soldInRows(String eventId) throws Exception {
		try (Connection db = DriverManager.getConnection(this.settings.jdbcUrl(this.settings.database()), this.settings.dbUser(), "")) {
			return soldInRows(db, eventId);
		}
	}

	/** The tickets of the event's confirmed bookings, counted in the database. */
	static long soldInRows(Connection db, String eventId) throws Exception {
		try (PreparedStatement query = db.prepareStatement("""
				SELECT coalesce(sum(i.quantity), 0) FROM booking b JOIN booking_item i ON i.booking_id = b.id
				 WHERE b.event_id = ? AND b.status = 'CONFIRMED'
				""")) {
			query.setObject(1, UUID.fromString(eventId));
			try (ResultSet rs = query.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	private String token(int port, String role) throws Exception {
		String email = role.toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID() + "@bench.example";
		post(port, "/api/v1/accounts", null,
				"{\"email\":\"" + email + "\",\"password\":\"bench-password\",\"role\":\"" + role + "\"}");
		String body = post(port, "/api/v1/auth/token", null,
				"{\"email\":\"" + email + "\",\"password\":\"bench-password\"}");
		return JSON.readTree(body).get("accessToken").asString();
	}

	private String event(int port, String organizer, int capacity) throws Exception {
		String body = post(port, "/api/v1/events", organizer, """
				{"name": "Flash sale", "startsAt": "2030-01-01T19:00:00Z",
				 "categories": [{"code": "GA", "name": "Standing", "price": "25.00", "currency": "EUR", "capacity": %d}]}
				""".formatted(capacity));
		return JSON.readTree(body).get("id").asString();
	}

	/** An operator's GET from loopback; throws unless it answers 2xx. */
	private String get(int port, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	private String post(int port, String path, String token, String body) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	private static void print(Row row) {
		System.out.printf("%-20s %d instance(s) %5d conns (%s, clients: %-8s): %8.0f tickets/s  p50 %7.1f ms  p99 %7.1f ms  shed %d  shed p99 %s ms  oversold %d  errors %d  generator %.0f µs/answer%n",
				row.strategy(), row.instances(), row.connections(), row.generator(), row.clients(),
				row.ticketsPerSecond(), row.p50(), row.p99(), row.shed(), shedP99(row), row.oversold(), row.errors(),
				row.generatorMicros());
	}

	/** The p99 of the 503s, which wrk does not measure apart. */
	private static String shedP99(Row row) {
		return Double.isNaN(row.shedP99()) ? "–" : "%.1f".formatted(row.shedP99());
	}

	private static String report(double ceiling, List<Row> rows) {
		StringBuilder out = new StringBuilder();
		out.append("Measured ").append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
			.append(" on ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores; service, PostgreSQL and load generator on the same machine.\n\n");
		// this file is rewritten by every run; earlier runs are kept by hand in history.md
		out.append("Earlier runs, and the experiments behind the defaults: [history.md](history.md).\n\n");
		out.append("pgbench ceiling (one ticket per transaction, 8 clients): **%.0f tx/s**\n\n".formatted(ceiling));
		out.append("| strategy | instances | connections | generator | clients | tickets/s | × pgbench | p50 ms | p99 ms | shed (503) | shed p99 ms | oversold | errors | generator µs/answer |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (Row row : rows) {
			out.append("| %s | %d | %d | %s | %s | %.0f | %.2f | %.1f | %.1f | %d | %s | %d | %d | %.0f |\n".formatted(
					row.strategy(), row.instances(), row.connections(), row.generator(), row.clients(),
					row.ticketsPerSecond(), row.ticketsPerSecond() / ceiling, row.p50(), row.p99(), row.shed(),
					shedP99(row), row.oversold(), row.errors(), row.generatorMicros()));
		}
		out.append("\nclients: *resend* sends its next request as soon as it is answered, 503 or not; *back off* waits ")
			.append("a 503's Retry-After first (that wait is in no latency). Latency runs from writing a request to ")
			.append("reading its whole response. *generator µs/answer*: the load generator's own CPU time per answer, ")
			.append("taken from the same two cores. Generator *java* is the bench's own (Apache HttpClient 5, ")
			.append("asynchronous): latency split by outcome, oversold probed. *wrk* (in C) drives the same sale with ")
			.append("a fraction of the CPU; its latency is of all answers, bookings and 503s together.\n");
		return out.toString();
	}

	private static void chart(double ceiling, List<Row> rows, Path file) throws IOException {
		List<Row> main = rows.stream()
			.filter(row -> row.connections() <= 64 && row.generator().equals("java"))
			.toList();
		List<String> strategies = main.stream().map(Row::strategy).distinct().toList();
		CategoryChart throughput = new CategoryChartBuilder().width(900)
			.height(500)
			.title("Tickets sold per second (pgbench ceiling %.0f tx/s)".formatted(ceiling))
			.yAxisTitle("tickets/s")
			.build();
		CategoryChart latency = new CategoryChartBuilder().width(900)
			.height(500)
			.title("p99 latency of booked requests")
			.yAxisTitle("ms")
			.build();
		for (int instances : main.stream().map(Row::instances).distinct().toList()) {
			List<Double> tps = new ArrayList<>();
			List<Double> p99 = new ArrayList<>();
			for (String strategy : strategies) {
				Row row = main.stream()
					.filter(r -> r.strategy().equals(strategy) && r.instances() == instances)
					.findFirst()
					.orElse(null);
				tps.add((row != null) ? row.ticketsPerSecond() : 0);
				p99.add((row != null) ? row.p99() : 0);
			}
			throughput.addSeries(instances + " instance(s)", strategies, tps);
			latency.addSeries(instances + " instance(s)", strategies, p99);
		}
		throughput.getStyler().setXAxisLabelRotation(30);
		latency.getStyler().setXAxisLabelRotation(30);
		BufferedImage left = BitmapEncoder.getBufferedImage(throughput);
		BufferedImage right = BitmapEncoder.getBufferedImage(latency);
		BufferedImage both = new BufferedImage(left.getWidth() + right.getWidth(), left.getHeight(),
				BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = both.createGraphics();
		graphics.setColor(Color.WHITE);
		graphics.fillRect(0, 0, both.getWidth(), both.getHeight());
		graphics.drawImage(left, 0, 0, null);
		graphics.drawImage(right, left.getWidth(), 0, null);
		graphics.dispose();
		ImageIO.write(both, "png", file.toFile());
	}

}
