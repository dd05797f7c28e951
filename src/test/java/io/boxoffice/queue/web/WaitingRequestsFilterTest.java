package io.boxoffice.queue.web;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.boxoffice.support.Race;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class WaitingRequestsFilterTest {

	private static final String QUEUE = "/api/v1/events/0b0e4b0c-64f8-4b8e-9a55-2f1f1d3c1a10/queue";

	@Test
	void onlyTheWaitingCrowdsRequestsWaitTheirTurn() {
		WaitingRequestsFilter filter = new WaitingRequestsFilter(1);

		assertThat(filter.shouldNotFilter(new MockHttpServletRequest("POST", QUEUE))).isFalse();
		assertThat(filter.shouldNotFilter(new MockHttpServletRequest("GET", QUEUE + "/me"))).isFalse();
		assertThat(filter.shouldNotFilter(new MockHttpServletRequest("GET", QUEUE + "/me/stream"))).isFalse();
		// the web shop's queue page: joining, the page, its stream
		String page = "/events/0b0e4b0c-64f8-4b8e-9a55-2f1f1d3c1a10/queue";
		assertThat(filter.shouldNotFilter(new MockHttpServletRequest("POST", page))).isFalse();
		assertThat(filter.shouldNotFilter(new MockHttpServletRequest("GET", page))).isFalse();
		assertThat(filter.shouldNotFilter(new MockHttpServletRequest("GET", page + "/stream"))).isFalse();
		assertThat(filter.shouldNotFilter(new MockHttpServletRequest("POST", page + "/leave"))).isTrue();
		// ending a turn, buying, and the public counts go ahead
		assertThat(filter.shouldNotFilter(new MockHttpServletRequest("DELETE", QUEUE + "/me"))).isTrue();
		assertThat(filter.shouldNotFilter(new MockHttpServletRequest("GET", QUEUE))).isTrue();
		assertThat(filter.shouldNotFilter(
				new MockHttpServletRequest("POST", "/api/v1/events/0b0e4b0c-64f8-4b8e-9a55-2f1f1d3c1a10/bookings")))
			.isTrue();
		assertThat(filter.shouldNotFilter(
				new MockHttpServletRequest("POST", "/api/v1/events/0b0e4b0c-64f8-4b8e-9a55-2f1f1d3c1a10/holds")))
			.isTrue();
	}

	@Test
	void noMoreThanTheLimitAreWorkedOnAtOnceAndEveryOneIsServed() {
		WaitingRequestsFilter filter = new WaitingRequestsFilter(2);
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();

		List<Integer> served = Race.run(16, i -> {
			MockHttpServletResponse answer = new MockHttpServletResponse();
			try {
				filter.doFilter(new MockHttpServletRequest("POST", QUEUE), answer, (request, response) -> {
					most.accumulateAndGet(inside.incrementAndGet(), Math::max);
					pause();
					inside.decrementAndGet();
					((MockHttpServletResponse) response).setStatus(201);
				});
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			return answer.getStatus();
		});

		assertThat(served).hasSize(16).containsOnly(201);
		assertThat(most.get()).isEqualTo(2);
	}

	private static void pause() {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
