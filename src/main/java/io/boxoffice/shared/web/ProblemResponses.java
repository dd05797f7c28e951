package io.boxoffice.shared.web;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import io.boxoffice.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Builds the RFC 9457 problem documents of API.md, and writes them where Spring MVC is
 * not in charge (servlet filters, security entry points).
 */
@Component
public class ProblemResponses {

	private final JsonMapper json;

	private final RejectionMetrics metrics;

	ProblemResponses(JsonMapper json, RejectionMetrics metrics) {
		this.json = json;
		this.metrics = metrics;
	}

	public static ProblemDetail problem(ErrorCode code, String detail, Map<String, Object> members) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.status(), detail);
		problem.setTitle(code.title());
		problem.setProperty("code", code.name());
		members.forEach(problem::setProperty);
		return problem;
	}

	public void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String detail)
			throws IOException {
		ProblemDetail problem = problem(code, detail, Map.of());
		problem.setInstance(URI.create(request.getRequestURI()));
		this.metrics.count(problem);
		response.setStatus(code.status().value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), problem);
	}

}
