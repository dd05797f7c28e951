package io.boxoffice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The same closed-loop flash sale driven by {@code wrk} (Debian: {@code apt-get install wrk}), a
 * load generator in C that takes a fraction of the CPU the Java one takes from the two cores the
 * service runs on. Its clients resend at once, 503 or not, and it measures all answers together:
 * its latency is that of the bookings only while nothing is shed.
 */
final class Wrk {

	/** How long an answer may take before wrk counts it as an error and leaves it out of the latency. */
	private static final String TIMEOUT = "60s";

	private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

	/** wrk pads a value in seconds or minutes with a trailing space. */
	private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s|m)\\s*$",
			Pattern.MULTILINE);

	private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([0-9.]+)(us|ms|s|m),");

	private static final Pattern NOT_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

	private static final Pattern SOCKET_ERRORS = Pattern
		.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

	/** The second line of bash's {@code times}: user and system time of its children. */
	private static final Pattern CHILD_TIMES = Pattern
		.compile("^(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s\\s*\\z", Pattern.MULTILINE);

	/**
	 * @param answers all answers, booked or not
	 * @param seconds how long wrk ran
	 * @param answersPerSecond all answers, booked or not
	 * @param notBooked answers other than 2xx (503 under overload)
	 * @param errors connections that failed or answers that took longer than {@link #TIMEOUT}
	 * @param cpuMicrosPerAnswer wrk's own CPU time per answer
	 */
	record Measured(long answers, double seconds, double answersPerSecond, double p50Millis, double p99Millis, long notBooked, long errors,
			double cpuMicrosPerAnswer) {
	}

	private Wrk() {
	}

	static boolean installed() {
		try {
			return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() >= 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static Measured run(int port, String token, String eventId, int connections, Duration duration)
			throws IOException, InterruptedException {
		Path script = Files.createTempFile("flash-sale", ".lua");
		Files.writeString(script, """
				wrk.method = "POST"
				wrk.body = '%s'
				wrk.headers["Content-Type"] = "application/json"
				wrk.headers["Authorization"] = "Bearer %s"
				""".formatted(Load.ONE_TICKET.get(), token));
		try {
			Process wrk = new ProcessBuilder("bash", "-c", "wrk \"$@\" && times", "wrk", "--threads=2",
					"--connections=" + connections, "--duration=" + duration.toSeconds() + "s", "--timeout=" + TIMEOUT,
					"--latency", "--script=" + script, "http://127.0.0.1:" + port + "/api/v1/events/" + eventId + "/bookings")
				.redirectErrorStream(true)
				.start();
			String output = new String(wrk.getInputStream().readAllBytes());
			if (!wrk.waitFor(1, TimeUnit.MINUTES) || wrk.exitValue() != 0) {
				throw new IllegalStateException("wrk failed:\n" + output);
			}
			return parse(output);
		}
		finally {
			Files.delete(script);
		}
	}

	static Measured parse(String output) {
		double rate = Double.parseDouble(find(RATE, output).group(1));
		double p50 = 0;
		double p99 = 0;
		Matcher percentiles = PERCENTILE.matcher(output);
		while (percentiles.find()) {
			double millis = millis(Double.parseDouble(percentiles.group(2)), percentiles.group(3));
			if (percentiles.group(1).equals("50")) {
				p50 = millis;
			}
			else {
				p99 = millis;
			}
		}
		Matcher notBooked = NOT_2XX.matcher(output);
		Matcher errors = SOCKET_ERRORS.matcher(output);
		long errorCount = 0;
		if (errors.find()) {
			for (int group = 1; group <= 4; group++) {
				errorCount += Long.parseLong(errors.group(group));
			}
		}
		Matcher times = find(CHILD_TIMES, output);
		double cpuSeconds = 60 * Long.parseLong(times.group(1)) + Double.parseDouble(times.group(2))
				+ 60 * Long.parseLong(times.group(3)) + Double.parseDouble(times.group(4));
		Matcher total = find(TOTAL, output);
		long answers = Long.parseLong(total.group(1));
		double seconds = millis(Double.parseDouble(total.group(2)), total.group(3)) / 1e3;
		return new Measured(answers, seconds, rate, p50, p99, notBooked.find() ? Long.parseLong(notBooked.group(1)) : 0, errorCount,
				(answers == 0) ? 0 : cpuSeconds * 1e6 / answers);
	}

	/** A time as wrk prints it, in {@code us}, {@code ms}, {@code s} or {@code m}. */
	private static double millis(double value, String unit) {
		return switch (unit) {
			case "us" -> value / 1e3;
			case "s" -> value * 1e3;
			case "m" -> value * 60e3;
			default -> value;
		};
	}

	private static Matcher find(Pattern pattern, String output) {
		Matcher matcher = pattern.matcher(output);
		if (!matcher.find()) {
			throw new IllegalStateException("wrk printed no " + pattern + ":\n" + output);
		}
		return matcher;
	}

}
