package io.boxoffice.shared.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Security headers on every response, also those written before Spring Security runs (413
 * for an oversized body) or instead of it, and Tomcat's own refusals (through
 * {@link ProblemErrorReportValve}). API responses are JSON that no browser should render,
 * run or frame: {@code Content-Security-Policy: default-src 'none'}. The Swagger UI page
 * and the web shop's pages keep their scripts and styles to their own origin.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class SecurityHeadersFilter extends OncePerRequestFilter {

	static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

	static final String UI_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
			+ "frame-ancestors 'none'";

	/**
	 * The web shop's pages: scripts, styles and connections from their own origin only,
	 * no inline script or style, forms posted only to themselves, never framed.
	 */
	static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
			+ "frame-ancestors 'none'";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI();
		if (path.startsWith("/swagger-ui")) {
			write(response, UI_POLICY);
		}
		else if (path.startsWith("/api/") || path.startsWith("/actuator") || path.startsWith("/v3/")) {
			write(response, API_POLICY);
		}
		else {
			write(response, PAGE_POLICY);
		}
		chain.doFilter(request, response);
	}

	/**
	 * The headers, also for {@link ProblemErrorReportValve}: Tomcat answers some requests
	 * (an encoded slash, TRACE) without running any filter.
	 */
	static void write(HttpServletResponse response, boolean ui) {
		write(response, ui ? UI_POLICY : API_POLICY);
	}

	private static void write(HttpServletResponse response, String policy) {
		response.setHeader("Content-Security-Policy", policy);
		response.setHeader("Referrer-Policy", "no-referrer");
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("X-Frame-Options", "DENY");
		response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
	}

}
