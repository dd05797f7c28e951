package io.boxoffice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WrkTest {

	/** wrk 4.1's output for a sale with refusals, then bash's {@code times}. */
	private static final String OVERLOADED = """
			Running 10s test @ http://127.0.0.1:18080/api/v1/events/5f76ee71/bookings
			  2 threads and 2048 connections
			  Thread Stats   Avg      Stdev     Max   +/- Stdev
			    Latency   280.35ms  401.02ms   4.02s    88.62%
			    Req/Sec     2.51k   612.33     3.90k    70.50%
			  Latency Distribution
			     50%  155.50ms
			     75%  301.41ms
			     90%  712.07ms
			     99%    2.61s\s
			  49842 requests in 10.02s, 41.74MB read
			  Socket errors: connect 0, read 12, write 0, timeout 3
			  Non-2xx or 3xx responses: 43933
			Requests/sec:   4974.25
			Transfer/sec:      4.17MB
			0m0.008s 0m0.004s
			0m1.103s 0m1.588s
			""";

	@Test
	void readsPercentilesInEveryUnitWithTheTrailingSpaceWrkPrintsAfterSeconds() {
		Wrk.Measured measured = Wrk.parse(OVERLOADED);

		assertEquals(49842, measured.answers());
		assertEquals(10.02, measured.seconds(), 1e-9);
		assertEquals(4974.25, measured.answersPerSecond());
		assertEquals(155.5, measured.p50Millis());
		assertEquals(2610.0, measured.p99Millis(), 1e-9);
		assertEquals(43933, measured.notBooked());
		assertEquals(15, measured.errors());
		assertEquals(2.691e6 / 49842, measured.cpuMicrosPerAnswer(), 1e-9);
	}

	@Test
	void readsMicrosecondsAndMinutesAndASaleWithNothingRefused() {
		Wrk.Measured measured = Wrk.parse(OVERLOADED.replace("155.50ms", "812.00us")
			.replace("2.61s ", "1.50m")
			.replace("  Non-2xx or 3xx responses: 43933\n", "")
			.replace("  Socket errors: connect 0, read 12, write 0, timeout 3\n", ""));

		assertEquals(0.812, measured.p50Millis(), 1e-9);
		assertEquals(90_000.0, measured.p99Millis(), 1e-9);
		assertEquals(0, measured.notBooked());
		assertEquals(0, measured.errors());
	}

}
