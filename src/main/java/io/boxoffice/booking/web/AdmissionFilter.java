package io.boxoffice.booking.web;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.web.ProblemResponses;
import io.micrometer.core.instrument.Counter;
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
 * {@code 503 OVERLOADED} at once, before it costs any parsing, authentication or database
 * work. A thousand buyers at once then get either a sale with a bounded wait or a fast
 * refusal, instead of all sharing two cores and all waiting seconds.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class AdmissionFilter extends OncePerRequestFilter {

	private final Semaphore working;

	private final AtomicInteger waiting = new AtomicInteger();

	private final int maxQueued;

	private final ProblemResponses problems;

	private final Counter refused;

	AdmissionFilter(@Value("${boxoffice.web.admission.max-concurrent:64}") int maxConcurrent,
			@Value("${boxoffice.web.admission.max-queued:256}") int maxQueued, ProblemResponses problems,
			MeterRegistry meters) {
		this.working = new Semaphore(maxConcurrent, true);
		this.maxQueued = maxQueued;
		this.problems = problems;
		this.refused = Counter.builder("boxoffice.admission.refused")
			.description("Sales refused with 503 OVERLOADED because too many were waiting to be worked on")
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
		if (!this.working.tryAcquire() && !awaitTurn()) {
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
