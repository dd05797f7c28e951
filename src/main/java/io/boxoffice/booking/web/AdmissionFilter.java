package io.boxoffice.booking.web;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.web.ProblemResponses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Admission control for the requests that sell (holds and bookings): at most
 * {@code max-concurrent} are worked on at once, in arrival order, and at most
 * {@code max-queued} wait for their turn; past that a request is answered
 * {@code 503 OVERLOADED} at once, before its body is read or it is authenticated. Buyers
 * then get either a sale with a bounded wait or a refusal that costs the service little,
 * instead of all sharing two cores and all waiting seconds. (On saturated cores a refusal
 * still waits, like every request, to be read: docs/bench/history.md.)
 * <p>
 * The line is long (4,096 by default) because a refusal is not free: a client that sends
 * again at once turns each one into a new connection (Tomcat closes one after a 503) and
 * a new request, and refusals cycling through a thousand connections take the cores from
 * the sales. Measured on two cores, 2,048 such clients bought 57 % of the 64-connection
 * rate with a line of 1,024 and 103 % with this one, 4,096 clients 47 % against 87 %
 * (docs/bench/history.md). A waiting buyer costs memory instead, about 100 KB of Tomcat's
 * request buffers: a full line holds some 0.4 GB of heap.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class AdmissionFilter extends OncePerRequestFilter {

	private final Semaphore working;

	private final AtomicInteger waiting = new AtomicInteger();

	private final int maxQueued;

	private final ProblemResponses problems;

	private final Counter refused;

	AdmissionFilter(@Value("${boxoffice.web.admission.max-concurrent:128}") int maxConcurrent,
			@Value("${boxoffice.web.admission.max-queued:4096}") int maxQueued, ProblemResponses problems,
			MeterRegistry meters) {
		this.working = new Semaphore(maxConcurrent, true);
		this.maxQueued = maxQueued;
		this.problems = problems;
		this.refused = Counter.builder("boxoffice.admission.refused")
			.description("Sales refused with 503 OVERLOADED because too many were waiting to be worked on")
			.register(meters);
		Gauge.builder("boxoffice.admission.waiting", this.waiting::get)
			.description("Sales waiting for their turn")
			.register(meters);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return !"POST".equals(request.getMethod()) || !path.startsWith("/api/v1/events/")
				|| !(path.endsWith("/bookings") || path.endsWith("/holds"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!turnFree() && !awaitTurn()) {
			this.refused.increment();
			response.setHeader(HttpHeaders.RETRY_AFTER, "1");
			this.problems.write(request, response, ErrorCode.OVERLOADED,
					"Too many buyers right now; nothing was booked");
			return;
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.working.release();
		}
	}

	/**
	 * Takes a free turn if no one is waiting for one. {@code tryAcquire()} would take a
	 * free permit ahead of the line, even of a fair semaphore: every newcomer arriving as
	 * a turn ends would jump the queue, and the buyers in line would wait many turns
	 * longer.
	 */
	private boolean turnFree() {
		try {
			return this.working.tryAcquire(0, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * @return false, without waiting, when the waiting line is full
	 */
	private boolean awaitTurn() {
		if (this.waiting.incrementAndGet() > this.maxQueued) {
			this.waiting.decrementAndGet();
			return false;
		}
		try {
			this.working.acquireUninterruptibly();
			return true;
		}
		finally {
			this.waiting.decrementAndGet();
		}
	}

}
