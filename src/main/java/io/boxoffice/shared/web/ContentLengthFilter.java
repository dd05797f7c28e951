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
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * API answers are small JSON documents: each is sent whole, with a
 * {@code Content-Length}, in one write. Without this the message converter's flush
 * commits the response early, and every answer goes out chunked in two writes, which on a
 * flash sale is a system call per request for nothing.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class ContentLengthFilter extends OncePerRequestFilter {

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// a stream (Server-Sent Events) is written as it goes, never whole
		return !request.getRequestURI().startsWith("/api/") || request.getRequestURI().endsWith("/stream");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ContentCachingResponseWrapper whole = new ContentCachingResponseWrapper(response);
		try {
			chain.doFilter(request, whole);
		}
		finally {
			whole.copyBodyToResponse();
		}
	}

}
