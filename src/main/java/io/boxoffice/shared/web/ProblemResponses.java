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
 * Builds the RFC 9457 problem documents of docs/api.md, and writes them where Spring MVC
 * is not in charge (servlet filters, security entry points).
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

	/**
	 * A problem for a status the framework or the servlet container chose, kept as it is;
	 * its code follows the status and its detail is the code's title, never the cause.
	 */
	public static ProblemDetail forStatus(int status) {
		ErrorCode code = switch (status) {
			case 404 -> ErrorCode.NOT_FOUND;
			case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
			case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
			case 503 -> ErrorCode.UNAVAILABLE;
			default -> (status >= 500) ? ErrorCode.INTERNAL_ERROR : ErrorCode.MALFORMED_REQUEST;
		};
		ProblemDetail problem = problem(code, code.title(), Map.of());
		problem.setStatus(status);
		return problem;
	}

	/** The problem as JSON, counted as sent. */
	String toJson(ProblemDetail problem) {
		this.metrics.count(problem);
		return this.json.writeValueAsString(problem);
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
