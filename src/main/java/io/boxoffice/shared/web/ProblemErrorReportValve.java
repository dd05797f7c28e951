package io.boxoffice.shared.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes the errors that never reach Spring MVC as problem+json, in place of Tomcat's
 * HTML page: a URL Tomcat cannot decode or the firewall refuses, a header it refuses, an
 * exception escaping a filter. Their status is kept; nothing of the cause is sent (Tomcat
 * logs an exception with its stack trace).
 */
final class ProblemErrorReportValve extends ErrorReportValve {

	private final ProblemResponses problems;

	ProblemErrorReportValve(ProblemResponses problems) {
		this.problems = problems;
	}

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		// as Tomcat's own reports: only an error nobody has answered yet
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean();
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		ProblemDetail problem = ProblemResponses.forStatus(status);
		if (status == 400) {
			problem.setDetail("The URL, method or headers of the request are not accepted");
		}
		try {
			SecurityHeadersFilter.write(response, false);
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding(StandardCharsets.UTF_8);
			if (status == 503) {
				response.setHeader(HttpHeaders.RETRY_AFTER, "1");
			}
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(this.problems.toJson(problem));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client is gone; there is nobody to answer
		}
	}

}
