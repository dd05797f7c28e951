package io.boxoffice.shared.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of one data directory, started so that a crash of the service
 * does not keep it from starting again.
 * <p>
 * The library starts the server through {@code pg_ctl}, as a daemon: it is not a child of
 * the JVM and keeps running when the JVM is killed ({@code kill -9}, the kernel's
 * out-of-memory killer), holding the data directory, so that the next start would fail.
 * Two things prevent that. A server left running is stopped cleanly before the new one
 * starts; the library's lock on the directory guarantees that no live instance still uses
 * it. And a small guard process, which reads a pipe from the JVM that the kernel closes
 * when the JVM dies however it dies, stops the server right then.
 */
final class EmbeddedServer implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

	private final EmbeddedPostgres postgres;

	private final @Nullable Process guard;

	private EmbeddedServer(EmbeddedPostgres postgres, @Nullable Process guard) {
		this.postgres = postgres;
		this.guard = guard;
	}

	/**
	 * Starts the server with {@code fsync} and {@code synchronous_commit} on, which the
	 * library turns off (fast for tests, but it would answer a booking before its commit
	 * is on disk, and a crash could lose it or corrupt the data).
	 */
	static EmbeddedServer start(Path dataDir, int port) throws IOException {
		Files.createDirectories(dataDir);
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
			.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			// the application context stops it, after the requests in flight are answered
			.setRegisterShutdownHook(false)
			.setServerConfig("fsync", "on")
			.setServerConfig("synchronous_commit", "on")
			// runs once the library holds the directory's lock, just before the server
			// starts
			.setDataDirectoryCustomizer(directory -> stopLeftover(dataDir));
		if (port > 0) {
			builder.setPort(port);
		}
		EmbeddedPostgres postgres = builder.start();
		Process guard = null;
		try {
			guard = guard(dataDir);
		}
		catch (IOException | RuntimeException ex) {
			log.warn("No guard for the embedded PostgreSQL: if the service is killed, its next start stops the server",
					ex);
		}
		log.info("Embedded PostgreSQL on port {} with data in {}", postgres.getPort(), dataDir);
		return new EmbeddedServer(postgres, guard);
	}

	String jdbcUrl() {
		return this.postgres.getJdbcUrl("postgres", "postgres");
	}

	int port() {
		return this.postgres.getPort();
	}

	@Override
	public void close() throws IOException {
		if (this.guard != null) {
			// killed before the pipe closes, so it never stops a server started after
			// this
			this.guard.destroyForcibly();
		}
		this.postgres.close();
	}

	private static void stopLeftover(Path dataDir) {
		Postmaster.running(dataDir).ifPresent(leftover -> {
			log.warn("The embedded PostgreSQL {} of {} is still running from a service that did not stop cleanly;"
					+ " stopping it before starting again", leftover.pid(), dataDir);
			leftover.stop();
		});
	}

	/**
	 * A shell that waits for the end of its input, which is a pipe the JVM holds and the
	 * kernel closes when the JVM exits, and then stops the server with {@code pg_ctl}. It
	 * ignores the signals a terminal or a process manager sends the whole group, so that
	 * a clean shutdown stays the service's.
	 */
	private static @Nullable Process guard(Path dataDir) throws IOException {
		if (System.getProperty("os.name", "").startsWith("Windows")) {
			return null;
		}
		Postmaster postmaster = Postmaster.running(dataDir)
			.orElseThrow(() -> new IllegalStateException("no running server in " + dataDir.resolve("postmaster.pid")));
		List<String> command = new ArrayList<>(
				List.of("/bin/sh", "-c", "trap '' INT TERM HUP; read -r _; exec \"$@\"", "boxoffice-database-guard"));
		command.addAll(postmaster.stopCommand());
		return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
	}

}
