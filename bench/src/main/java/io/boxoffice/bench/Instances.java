package io.boxoffice.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Service instances as separate processes: {@code java -jar target/boxoffice.jar}, as an operator runs them. */
final class Instances implements AutoCloseable {

	/** How often a starting instance's health is asked for: the resolution of its time to healthy. */
	private static final Duration HEALTH_POLL = Duration.ofMillis(50);

	private final List<Process> processes = new ArrayList<>();

	private final List<Integer> ports = new ArrayList<>();

	/** From starting the first process to the last instance healthy. */
	private final Duration startup;

	Instances(Settings settings, String strategy, int count, String database, Path logDir) throws Exception {
		this(settings, strategy, count, database, logDir, List.of("-jar", settings.serviceJar().toString()), "");
	}

	/**
	 * @param launch what follows {@code java -Xmx2g}: {@code -jar} and the jar, with any JVM options before
	 * @param label part of the log files' names
	 */
	Instances(Settings settings, String strategy, int count, String database, Path logDir, List<String> launch,
			String label) throws Exception {
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			int port = settings.firstPort() + i;
			List<String> command = new ArrayList<>(List.of(settings.java(), "-Xmx2g"));
			command.addAll(launch);
			command.addAll(List.of("--server.port=" + port,
					"--spring.datasource.url=" + settings.jdbcUrl(database),
					"--spring.datasource.username=" + settings.dbUser(),
					"--boxoffice.booking.strategy=" + strategy, "--boxoffice.booking.allow-unsafe=true",
					"--logging.level.root=WARN",
					// a configured key, so the bench can sign its buyers' tokens (Tokens)
					"--boxoffice.auth.signing-key=" + Tokens.signingKey()));
			File log = logDir.resolve(label + strategy + "-" + count + "-" + i + ".log").toFile();
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log))
				.start();
			this.processes.add(process);
			this.ports.add(port);
		}
		for (int port : this.ports) {
			awaitHealthy(port);
		}
		this.startup = Duration.ofNanos(System.nanoTime() - start);
	}

	List<Integer> ports() {
		return this.ports;
	}

	/** The CPU time the instances' processes have used so far, all threads (the JIT's too). */
	Duration cpu() {
		return this.processes.stream()
			.map(process -> process.info().totalCpuDuration().orElse(Duration.ZERO))
			.reduce(Duration.ZERO, Duration::plus);
	}

	Duration startup() {
		return this.startup;
	}

	private static void awaitHealthy(int port) throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
		while (System.nanoTime() < deadline) {
			try {
				HttpResponse<String> response = http.send(
						HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
							.timeout(Duration.ofSeconds(2))
							.build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(HEALTH_POLL.toMillis());
		}
		throw new IllegalStateException("Instance on port " + port + " did not become healthy");
	}

	@Override
	public void close() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroy();
		}
		for (Process process : this.processes) {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		}
	}

}
