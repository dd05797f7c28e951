package io.boxoffice.event.web;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

/**
 * The seat map and the availability (the largest public answers: a 20,000-seat map is
 * about 1.2 MB of JSON) carry an ETag, a hash of the body, and a request whose
 * {@code If-None-Match} still matches is answered {@code 304} without a body. The body is
 * still rendered to compute the hash: this saves the transfer and the client's parsing,
 * not the service's work (docs/security.md weighs a version-based tag). Weak tags, as
 * Tomcat may send the body gzip-compressed ({@code server.compression}). They are
 * {@code Cache-Control: no-cache}: stored, revalidated on every use, and the same for
 * every instance, as the hash depends on nothing but the body.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
class SeatMapRevalidation extends ShallowEtagHeaderFilter {

	private static final Pattern PATHS = Pattern.compile("/api/v1/events/[^/]+/(seats|availability)");

	SeatMapRevalidation() {
		setWriteWeakETag(true);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !PATHS.matcher(request.getRequestURI()).matches();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// set first, so Spring Security does not write its no-store (which also rules out
		// an ETag)
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
		super.doFilterInternal(request, response, chain);
	}

}
