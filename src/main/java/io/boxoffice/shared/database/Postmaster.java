package io.boxoffice.shared.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.util.LinuxUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running PostgreSQL server of a data directory, found through the
 * {@code postmaster.pid} file PostgreSQL keeps there, and stopped with its own
 * {@code pg_ctl}, the way the embedded server's library runs it.
 *
 * @param process the postmaster
 * @param dataDir its data directory
 * @param binaries the directory of its {@code postgres} binary, where {@code pg_ctl} is
 */
record Postmaster(ProcessHandle process, Path dataDir, Path binaries) {

	private static final Logger log = LoggerFactory.getLogger(Postmaster.class);

	/**
	 * A process started this far from the start time the pid file records is not the
	 * postmaster that wrote it: its process id has been reused.
	 */
	private static final Duration START_TIME_TOLERANCE = Duration.ofSeconds(30);

	/** How long {@code pg_ctl} waits for each shutdown mode. */
	private static final Duration STOP_WAIT = Duration.ofSeconds(60);

	private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

	/**
	 * The server the data directory's {@code postmaster.pid} names, if that process is
	 * alive and is PostgreSQL started for this directory; empty for no file, a process
	 * that is gone, or one that only reuses its id (PostgreSQL itself then decides).
	 */
	static Optional<Postmaster> running(Path dataDir) {
		List<String> lines;
		try {
			lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException none) {
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		// lines: process id, data directory, start time (epoch seconds), port, ...
		if (lines.size() < 3) {
			log.warn("{} is incomplete ({} lines); leaving it to PostgreSQL", dataDir.resolve("postmaster.pid"),
					lines.size());
			return Optional.empty();
		}
		long pid;
		Instant startedAt;
		try {
			pid = Long.parseLong(lines.get(0).trim());
			startedAt = Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim()));
		}
		catch (NumberFormatException ex) {
			log.warn("{} is not readable ({}); leaving it to PostgreSQL", dataDir.resolve("postmaster.pid"),
					ex.getMessage());
			return Optional.empty();
		}
		Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
		if (process.isEmpty()) {
			log.info("{} names process {}, which is gone: PostgreSQL recovers from its log on start",
					dataDir.resolve("postmaster.pid"), pid);
			return Optional.empty();
		}
		ProcessHandle.Info info = process.get().info();
		Optional<Path> binary = info.command().map(Path::of);
		boolean postgres = binary.map(Path::getFileName)
			.map(Path::toString)
			.filter(name -> name.equals("postgres") || name.equals("postgres.exe"))
			.isPresent();
		boolean sameStart = info.startInstant()
			.filter(start -> Duration.between(start, startedAt).abs().compareTo(START_TIME_TOLERANCE) <= 0)
			.isPresent();
		Optional<Path> binaries = binary.map(Path::getParent);
		if (!postgres || binaries.isEmpty() || !sameStart || !sameFile(Path.of(lines.get(1).trim()), dataDir)) {
			log.warn("{} names process {} ({}), which is not this directory's PostgreSQL; leaving it alone",
					dataDir.resolve("postmaster.pid"), pid, info.command().orElse("command unknown"));
			return Optional.empty();
		}
		return Optional.of(new Postmaster(process.get(), dataDir, binaries.get()));
	}

	long pid() {
		return this.process.pid();
	}

	/**
	 * Stops the server cleanly: a fast shutdown (sessions ended, everything written to
	 * disk), and if it does not finish in time an immediate one, after which the next
	 * start recovers from the write-ahead log as after a crash. PostgreSQL removes its
	 * own files; nothing is deleted here.
	 */
	void stop() {
		for (String mode : List.of("fast", "immediate")) {
			int exit = pgCtl("stop", "-m", mode, "-w", "-t", Long.toString(STOP_WAIT.toSeconds()));
			// a server that stopped by itself meanwhile makes pg_ctl fail, and is stopped
			if (awaitExit(Duration.ofSeconds(10))) {
				log.info("Stopped the PostgreSQL server {} of {} ({} shutdown)", pid(), this.dataDir, mode);
				return;
			}
			log.warn("A {} shutdown of the PostgreSQL server {} did not finish (pg_ctl exit code {})", mode, pid(),
					exit);
		}
		throw new IllegalStateException("The PostgreSQL server " + pid() + " of " + this.dataDir
				+ " does not stop; stop it by hand (kill -INT " + pid() + ") and start again");
	}

	/**
	 * The command that stops this server with a fast shutdown, for a process that
	 * outlives the service.
	 */
	List<String> stopCommand() {
		return command("stop", "-m", "fast", "-w", "-t", Long.toString(STOP_WAIT.toSeconds()));
	}

	private int pgCtl(String... arguments) {
		List<String> command = command(arguments);
		try {
			Process pgCtl = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(pgCtl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!pgCtl.waitFor(STOP_WAIT.toSeconds() + 30, TimeUnit.SECONDS)) {
				pgCtl.destroyForcibly();
				return -1;
			}
			log.info("pg_ctl {}: {}", String.join(" ", arguments), output.replace('\n', ' '));
			return pgCtl.exitValue();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while stopping PostgreSQL", ex);
		}
	}

	private List<String> command(String... arguments) {
		List<String> command = new ArrayList<>();
		// as the library does: PostgreSQL refuses to run as root, so it runs in a user
		// namespace where it is not
		if (LinuxUtils.isUnshareAvailable()) {
			command.addAll(List.of("unshare", "-U"));
		}
		command.add(this.binaries.resolve(WINDOWS ? "pg_ctl.exe" : "pg_ctl").toString());
		command.add("-D");
		command.add(this.dataDir.toString());
		command.addAll(List.of(arguments));
		return command;
	}

	private boolean awaitExit(Duration bound) {
		try {
			this.process.onExit().get(bound.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (java.util.concurrent.TimeoutException ex) {
			return false;
		}
		catch (java.util.concurrent.ExecutionException ex) {
			return !this.process.isAlive();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static boolean sameFile(Path a, Path b) {
		try {
			return Files.isSameFile(a, b);
		}
		catch (IOException ex) {
			return false;
		}
	}

}
