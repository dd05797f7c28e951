package io.boxoffice.booking.web;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.boxoffice.shared.web.ProblemResponses;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.RepeatedTest;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

/**
 * Turns are given in arrival order: a buyer arriving just as a turn ends waits behind the
 * buyers already in line. (A fair semaphore's {@code tryAcquire()} hands a free permit to
 * whoever asks first, so such a newcomer used to take the turn of the buyer at the head
 * of the line; with a thousand buyers in line, turns went out of order and the slowest
 * waited many times the mean.)
 */
class AdmissionFilterTest {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final AdmissionFilter filter = new AdmissionFilter(1, 10, mock(ProblemResponses.class), this.meters);

	private final Queue<String> served = new ConcurrentLinkedQueue<>();

	private final CountDownLatch firstMayFinish = new CountDownLatch(1);

	@RepeatedTest(50)
	void aNewcomerArrivingAsATurnEndsWaitsBehindTheLine() throws Exception {
		Thread first = started(() -> {
			sell("first");
			// the turn has just ended and the buyer in line is being woken: arrive now
			sell("newcomer");
		});
		await().pollInterval(1, TimeUnit.MILLISECONDS)
			.atMost(10, TimeUnit.SECONDS)
			.until(() -> this.served.contains("first"));
		Thread waiting = started(() -> sell("waiting"));
		await().pollInterval(1, TimeUnit.MILLISECONDS)
			.atMost(10, TimeUnit.SECONDS)
			.until(() -> waiting.getState() == Thread.State.WAITING);

		this.firstMayFinish.countDown();
		first.join(10_000);
		waiting.join(10_000);

		assertThat(this.served).containsExactly("first", "waiting", "newcomer");
	}

	private void sell(String buyer) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/events/e/bookings");
		FilterChain chain = (req, res) -> {
			this.served.add(buyer);
			if (buyer.equals("first")) {
				awaitQuietly(this.firstMayFinish);
			}
		};
		try {
			this.filter.doFilter(request, new MockHttpServletResponse(), chain);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Thread started(Runnable buyer) {
		Thread thread = new Thread(buyer);
		thread.start();
		return thread;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
