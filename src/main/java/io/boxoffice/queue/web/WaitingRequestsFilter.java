package io.boxoffice.queue.web;

import java.io.IOException;
import java.util.concurrent.Semaphore;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The waiting crowd's requests (joining a queue, reading one's place, opening its stream;
 * through the API or the web shop's queue page) are worked on a few at a time, in arrival
 * order, before they are authenticated; the others wait here without a thread. When an
 * on-sale opens, tens of thousands join within seconds, and each of their requests costs
 * the cores about what a booking costs: worked on all at once, they left the admitted
 * buyers' bookings waiting seconds for a core, and the sale stood almost still until
 * every buyer had joined. This way the bookings (and the leaves that end turns) go ahead,
 * and the crowd is served with what is left.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class WaitingRequestsFilter extends OncePerRequestFilter {

	private final Semaphore working;

	/**
	 * @param maxConcurrent the crowd's requests worked on at once; by default four per
	 * core. Each waits for its batch's commit or read while it is worked on, so too few
	 * leave the cores idle and the crowd joins slower, and with it the sale it feeds.
	 * Measured on two cores with 20,000 buyers joining (bench/run.sh --onsale=only), at
	 * 4: bookings' p99 155 and 176 ms, joins over 37 and 53 s, 588 and 415 tickets/s; at
	 * 8: 299 and 178 ms, 33 and 34 s, 670 and 645 tickets/s; at 64: 611 ms, 29 s, 608
	 * tickets/s; without the filter: 1.2 to 1.8 s, 20 to 26 s, 285 to 689 tickets/s.
	 */
	WaitingRequestsFilter(
			@Value("${boxoffice.queue.max-concurrent-requests:#{4 * T(java.lang.Runtime).getRuntime().availableProcessors()}}") int maxConcurrent) {
		this.working = new Semaphore(maxConcurrent, true);
	}

	/**
	 * Limits the crowd's requests of the API and of the web shop's queue page alike;
	 * leaving (which ends a turn), buying and the public counts go ahead.
	 */
	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		boolean api = path.startsWith("/api/v1/events/");
		if (!api && !path.startsWith("/events/")) {
			return true;
		}
		boolean crowd = switch (request.getMethod()) {
			case "POST" -> path.endsWith("/queue");
			case "GET" -> api ? path.endsWith("/queue/me") || path.endsWith("/queue/me/stream")
					: path.endsWith("/queue") || path.endsWith("/queue/stream");
			default -> false;
		};
		return !crowd;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		this.working.acquireUninterruptibly();
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.working.release();
		}
	}

}
