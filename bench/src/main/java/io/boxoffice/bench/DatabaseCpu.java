package io.boxoffice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The CPU time the local PostgreSQL server's processes have used so far, read from Linux's
 * {@code /proc}: the postmaster, its backends and its background workers (the processes
 * named {@code postgres}). A process that ends between two readings takes its time with
 * it; the service's pooled backends live through a run. Unknown (an empty reading) when
 * the server is on another host or there is no {@code /proc}.
 */
final class DatabaseCpu {

	/** The clock ticks of {@code /proc/<pid>/stat} (Linux's USER_HZ): 100 a second on x86 and ARM. */
	private static final double TICKS_PER_SECOND = 100;

	private final boolean local;

	DatabaseCpu(String pgHost) {
		this.local = (pgHost.equals("127.0.0.1") || pgHost.equals("localhost") || pgHost.equals("::1"))
				&& Files.isDirectory(Path.of("/proc/self"));
	}

	/** The server's CPU time so far, or {@code null} when it cannot be read here. */
	Duration used() {
		if (!this.local) {
			return null;
		}
		long ticks = 0;
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			for (Path process : (Iterable<Path>) processes::iterator) {
				if (process.getFileName().toString().chars().allMatch(Character::isDigit)) {
					ticks += postgresTicks(process.resolve("stat"));
				}
			}
		}
		catch (IOException ex) {
			return null;
		}
		return Duration.ofNanos((long) (ticks / TICKS_PER_SECOND * 1e9));
	}

	/** utime + stime of a process named postgres; 0 for any other, or one that has ended. */
	private static long postgresTicks(Path stat) {
		String line;
		try {
			line = Files.readString(stat);
		}
		catch (IOException ex) {
			return 0;
		}
		// pid (comm) state ppid ...: the name may hold spaces, so the fields follow its ')'
		int open = line.indexOf('(');
		int close = line.lastIndexOf(')');
		if (open < 0 || close < open || !line.substring(open + 1, close).equals("postgres")) {
			return 0;
		}
		String[] fields = line.substring(close + 2).split(" ");
		// after the name: state is field 3 of stat(5), utime 14 and stime 15
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

}
