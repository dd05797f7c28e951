package io.boxoffice.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Command-line settings of the bench, with the defaults used for docs/bench/results.md. */
record Settings(Path serviceJar, String java, String pgHost, int pgPort, String dbUser, String database, int firstPort,
		int seconds, int warmupSeconds, int connections, List<Integer> overloadConnections, List<String> strategies,
		List<Integer> instanceCounts, boolean seats, String paths, String coldStart, int coldSeconds, Path aotDir, List<List<String>> aotTrialOptions, List<String> coldRows,
		int coldGeneratorWarmupSeconds, Path output, String onSale, int onSaleBuyers, List<Integer> onSaleActive, int onSaleConnections,
		List<String> pathWorkloads, List<String> pathStrategies, List<String> onSaleOpenings,
		int onSaleOpensAfterSeconds, int pathWarmupMaxSeconds) {

	static Settings parse(String[] args) {
		Map<String, String> options = Arrays.stream(args)
			.filter(arg -> arg.startsWith("--") && arg.contains("="))
			.collect(Collectors.toMap(arg -> arg.substring(2, arg.indexOf('=')), arg -> arg.substring(arg.indexOf('=') + 1)));
		return new Settings(Path.of(options.getOrDefault("jar", "target/boxoffice.jar")),
				options.getOrDefault("java", ProcessHandle.current().info().command().orElse("java")),
				options.getOrDefault("pg-host", "127.0.0.1"), Integer.parseInt(options.getOrDefault("pg-port", "5432")),
				options.getOrDefault("pg-user", "postgres"), options.getOrDefault("database", "boxoffice_bench"),
				Integer.parseInt(options.getOrDefault("port", "18080")),
				Integer.parseInt(options.getOrDefault("seconds", "10")),
				Integer.parseInt(options.getOrDefault("warmup", "60")),
				Integer.parseInt(options.getOrDefault("connections", "64")),
				Arrays.stream(options.getOrDefault("overload-connections", "1024,4096,6144").split(","))
					.map(Integer::valueOf)
					.toList(),
				List.of(options
					.getOrDefault("strategies",
							"select-for-update,conditional-update,optimistic,serializable,batched,read-check-write,jvm-lock")
					.split(",")),
				Arrays.stream(options.getOrDefault("instances", "1,2").split(",")).map(Integer::valueOf).toList(),
				Boolean.parseBoolean(options.getOrDefault("seats", "true")), options.getOrDefault("paths", "true"),
				options.getOrDefault("cold-start", "true"), Integer.parseInt(options.getOrDefault("cold-seconds", "10")),
				Path.of(options.getOrDefault("aot-dir", "target/aot")),
				// rows separated by |, options within a row by ,
				Arrays.stream(options.getOrDefault("aot-trial-options", "").split("\\|"))
					.map(row -> Arrays.stream(row.split(",")).filter(o -> !o.isBlank()).toList())
					.filter(row -> !row.isEmpty())
					.toList(),
				// which of the standard cold-start rows run: jar, extracted, aot
				List.of(options.getOrDefault("cold-rows", "jar,extracted,aot").split(",")),
				Integer.parseInt(options.getOrDefault("cold-generator-warmup", "20")),
				Path.of(options.getOrDefault("out", "docs/bench")), options.getOrDefault("onsale", "true"),
				Integer.parseInt(options.getOrDefault("onsale-buyers", "20000")),
				// buyers admitted at once: a queued sale per number (the first also for the warm-up)
				Arrays.stream(options.getOrDefault("onsale-active", "64").split(",")).map(Integer::valueOf).toList(),
				Integer.parseInt(options.getOrDefault("onsale-connections", "1024")),
				// the sale-path workloads by a word of their names: one-step, hold, named, map, best
				List.of(options.getOrDefault("path-workloads", "one-step,hold,named,best").split(",")),
				List.of(options.getOrDefault("path-strategies", "batched,select-for-update").split(",")),
				// when the queued sale opens: at once (the buyers join a sale on), or after the
				// joins (they arrive early and are shuffled at the opening)
				List.of(options.getOrDefault("onsale-opening", "at-once,after-joins").split(",")),
				// seconds from the first join to the opening after the joins; 0: from the last
				// queued sale's joins
				Integer.parseInt(options.getOrDefault("onsale-opens-after", "0")),
				// the sale-path section warms up in rounds of --warmup seconds until the JIT
				// compilers have settled, for at most this long
				Integer.parseInt(options.getOrDefault("path-warmup-max", "900")));
	}

	/** Whether the cold-start section runs: {@code true}, {@code false}, or {@code only} (nothing else). */
	boolean runsColdStart() {
		return !this.coldStart.equals("false");
	}

	/**
	 * Whether the section of every sale path runs: {@code true}, {@code false}, or {@code only}
	 * (nothing else).
	 */
	boolean runsPaths() {
		return !this.paths.equals("false");
	}

	boolean onlyPaths() {
		return this.paths.equals("only");
	}

	boolean onlyColdStart() {
		return this.coldStart.equals("only");
	}

	/**
	 * Whether the on-sale section runs: {@code true}, {@code false}, or {@code only} (nothing
	 * else).
	 */
	boolean runsOnSale() {
		return !this.onSale.equals("false");
	}

	boolean onlyOnSale() {
		return this.onSale.equals("only");
	}

	String jdbcUrl(String database) {
		return "jdbc:postgresql://" + this.pgHost + ":" + this.pgPort + "/" + database;
	}

}
