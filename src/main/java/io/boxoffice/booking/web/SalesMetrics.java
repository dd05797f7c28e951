package io.boxoffice.booking.web;

import io.boxoffice.booking.Views.BookingView;
import io.boxoffice.booking.Views.HoldView;
import io.boxoffice.booking.Views.ItemView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Counts what was sold, where the answer leaves: a {@code 201} with a new hold or booking
 * is sent only after its transaction committed, whichever booking strategy made it.
 * Idempotent replays are written as stored text and not counted again.
 * <ul>
 * <li>{@code boxoffice.holds.placed}</li>
 * <li>{@code boxoffice.bookings.confirmed{via=book|hold}}: direct, or from a hold</li>
 * <li>{@code boxoffice.tickets.sold{via=book|hold}}</li>
 * </ul>
 */
@RestControllerAdvice(assignableTypes = BookingController.class)
class SalesMetrics implements ResponseBodyAdvice<Object> {

	private final Counter holds;

	private final Counter bookedDirectly;

	private final Counter bookedFromHolds;

	private final Counter ticketsBookedDirectly;

	private final Counter ticketsFromHolds;

	SalesMetrics(MeterRegistry registry) {
		this.holds = Counter.builder("boxoffice.holds.placed").description("Holds created").register(registry);
		this.bookedDirectly = bookings(registry, "book");
		this.bookedFromHolds = bookings(registry, "hold");
		this.ticketsBookedDirectly = tickets(registry, "book");
		this.ticketsFromHolds = tickets(registry, "hold");
	}

	private static Counter bookings(MeterRegistry registry, String via) {
		return Counter.builder("boxoffice.bookings.confirmed")
			.description("Bookings created")
			.tag("via", via)
			.register(registry);
	}

	private static Counter tickets(MeterRegistry registry, String via) {
		return Counter.builder("boxoffice.tickets.sold")
			.description("Tickets in bookings created")
			.tag("via", via)
			.register(registry);
	}

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType,
			MediaType selectedContentType, Class<? extends HttpMessageConverter<?>> selectedConverterType,
			ServerHttpRequest request, ServerHttpResponse response) {
		if (!(response instanceof ServletServerHttpResponse servlet)
				|| servlet.getServletResponse().getStatus() != 201) {
			return body;
		}
		if (body instanceof HoldView) {
			this.holds.increment();
		}
		else if (body instanceof BookingView booking) {
			int tickets = booking.items().stream().mapToInt(ItemView::quantity).sum();
			boolean fromHold = booking.holdId() != null;
			(fromHold ? this.bookedFromHolds : this.bookedDirectly).increment();
			(fromHold ? this.ticketsFromHolds : this.ticketsBookedDirectly).increment(tickets);
		}
		return body;
	}

}
