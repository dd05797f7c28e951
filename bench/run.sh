#!/usr/bin/env bash
# The flash-sale bench: builds the service and the load generator, then runs one flash sale per
# strategy on 1 and 2 instances beside the pgbench ceiling, against the PostgreSQL server on
# 127.0.0.1:5432 (user postgres, trust auth; it creates and drops the databases boxoffice_bench
# and boxoffice_pgbench). With wrk installed (Debian: apt-get install wrk), the batched sale is also
# driven by wrk, a generator in C that takes far less of the shared cores than the Java one.
# Writes docs/bench/results.md and docs/bench/flash-sale.png (earlier runs: docs/bench/history.md).
# Options are passed on, e.g.: bench/run.sh --seconds=5 --strategies=batched,conditional-update --instances=1
# The cold-start section (a fresh instance's first 10 s against its warm rate, and its time to healthy,
# with and without the JDK's AOT cache) runs last; --cold-start=only runs it alone, --cold-start=false not.
# --aot-trial-options=-XX:+UnlockExperimentalVMOptions,-XX:+AOTCompileEagerly adds a row with JVM options to try
# (options of a row separated by commas, rows by |); --cold-rows=jar,extracted,aot picks the standard rows, and
# --cold-generator-warmup=20 is how long the load generator first sells to a throw-away instance (0: not at all).
# --path-workloads=one-step,hold,named,best (workloads by a word of their names; map: only the seat-map one) and --path-strategies=batched,select-for-update pick the sale-path runs.
# The sale-path section warms every path up in rounds of --warmup seconds until each instance's JIT compiler
# compiled for less than 5 % of a round, for at most --path-warmup-max=900 seconds.
# The check-in section (an arena of 50,000 tickets, 64 scanners at 8 gates, on 1 and 2 instances) runs after
# everything else and writes its part of results.md in place; --checkin=only runs it alone, --checkin=false not.
# The on-sale section (20,000 buyers behind an event's queue, each with its own account and token, beside the same
# sale without a queue) runs last and writes its part of results.md and docs/bench/on-sale.png; --onsale=only runs it
# alone, --onsale=false not; --onsale-buyers=20000 --onsale-active=64 --onsale-connections=1024
# --onsale-opening=at-once,after-joins are its defaults (--onsale-active=64,512: a queued sale for each number of
# buyers admitted at once; after-joins: the buyers arrive early and the sale opens once they have joined, a quarter
# later than the last queued sale's joins took for as many buyers, or --onsale-opens-after=SECONDS after the first
# join: when after-joins runs alone, the last queued sale is the small warm-up one, on a JIT not warm yet).
set -euo pipefail
cd "$(dirname "$0")/.."

java_home=$(ls -d /usr/lib/jvm/*25* /usr/lib/jvm/*21* 2>/dev/null | head -n 1 || true)
java="${java_home:+$java_home/bin/}java"
command -v pgbench >/dev/null || { echo "pgbench is needed (Debian: apt-get install postgresql-client)" >&2; exit 1; }

# thousands of connections: one descriptor each in the generator and in the service
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

./mvnw -B -q -DskipTests package
./mvnw -B -q -f bench/pom.xml package
# the cold-start section compares a start with the JDK's AOT cache, which needs JDK 25 or newer
if [[ " $* " != *" --cold-start=false "* && " $* " != *" --checkin=only "* && " $* " != *" --onsale=only "* && " $* " != *" --paths=only "* ]] && "$java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q AOTCacheOutput; then
  JAVA="$java" bin/aot-cache -Xmx2g
fi
"$java" -cp "bench/target/classes:bench/target/lib/*" io.boxoffice.bench.FlashSaleBench --java="$java" "$@"
