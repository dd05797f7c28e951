package io.boxoffice.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.boxoffice.BoxofficeApplication;

/**
 * The service as a separate operating system process, so that a test can kill it with
 * SIGKILL like a crashed machine would: the packaged jar
 * ({@code java -jar target/boxoffice.jar}), or the classes on the test's own class path.
 */
final class ServiceProcess implements AutoCloseable {

	private static final String DATA_DIR = "boxoffice.embedded-database.data-dir";

	/** What follows {@code java} and precedes the service's arguments. */
	private final List<String> launch;

	private final int port;

	private final List<String> properties;

	private final Path log;

	private Process process;

	ServiceProcess(Path jar, int port, Path log, List<String> properties) {
		this(List.of("-jar", jar.toString()), port, log, properties);
	}

	private ServiceProcess(List<String> launch, int port, Path log, List<String> properties) {
		this.launch = List.copyOf(launch);
		this.port = port;
		this.log = log;
		this.properties = List.copyOf(properties);
	}

	static Path jar() {
		Path jar = Path.of(System.getProperty("boxoffice.jar", "target/boxoffice.jar"));
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: run ./mvnw verify -Pfaults, which packages it first");
		}
		return jar;
	}

	/** The service from the test's class path, without packaging it first. */
	static ServiceProcess fromClassPath(int port, Path log, List<String> properties) {
		return new ServiceProcess(
				List.of("-cp", System.getProperty("java.class.path"), BoxofficeApplication.class.getName()), port, log,
				properties);
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	int port() {
		return this.port;
	}

	/** Starts the process and waits until its health is UP (the bound guards a hang). */
	void start() throws IOException, InterruptedException {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
		command.addAll(this.launch);
		command.add("--server.port=" + this.port);
		if (this.properties.stream().noneMatch(property -> property.startsWith(DATA_DIR + "="))) {
			command.add("--" + DATA_DIR + "=target/unused");
		}
		this.properties.forEach(property -> command.add("--" + property));
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
			.start();
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"The service exited with " + this.process.exitValue() + "; see " + this.log);
			}
			try {
				HttpResponse<String> health = http
					.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health"))
						.timeout(Duration.ofSeconds(5))
						.build(), HttpResponse.BodyHandlers.ofString());
				if (health.statusCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				// still starting
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("The service did not become healthy; see " + this.log);
	}

	/** SIGKILL: no shutdown hook, no graceful drain, no flush. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(60, TimeUnit.SECONDS);
	}

	/**
	 * SIGKILL to every process the service started, then to the service: {@code kill -9}
	 * of its whole process group.
	 */
	void killWithChildren() throws InterruptedException {
		this.process.descendants().forEach(ProcessHandle::destroyForcibly);
		kill();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				kill();
			}
		}
	}

}
