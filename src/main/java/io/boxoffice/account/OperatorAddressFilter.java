package io.boxoffice.account;

import java.io.IOException;
import java.util.List;

import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Operator endpoints ({@code /actuator/prometheus}, {@code /actuator/consistency}) answer
 * only the addresses in {@code boxoffice.ops.allowed-addresses}; anyone else gets
 * {@code 403 FORBIDDEN}, with or without a token, as no token would help. The client
 * address is the TCP peer, or the forwarded one from a trusted proxy only.
 */
final class OperatorAddressFilter extends OncePerRequestFilter {

	private final List<IpAddressMatcher> operators;

	private final ProblemResponses problems;

	OperatorAddressFilter(List<IpAddressMatcher> operators, ProblemResponses problems) {
		this.operators = operators;
		this.problems = problems;
	}

	static boolean isOperatorPath(String path) {
		return path.equals("/actuator/prometheus") || path.equals("/actuator/consistency")
				|| path.startsWith("/actuator/consistency/");
	}

	boolean fromOperator(HttpServletRequest request) {
		return this.operators.stream().anyMatch(matcher -> matcher.matches(request));
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// decoded, as Spring Security matches it: an encoded letter does not pass by
		String pathInfo = request.getPathInfo();
		return !isOperatorPath(request.getServletPath() + ((pathInfo != null) ? pathInfo : ""));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!fromOperator(request)) {
			this.problems.write(request, response, ErrorCode.FORBIDDEN,
					"Operator endpoints answer only the operators' addresses");
			return;
		}
		chain.doFilter(request, response);
	}

}
