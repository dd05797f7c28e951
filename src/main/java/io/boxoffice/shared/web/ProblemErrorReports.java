package io.boxoffice.shared.web;

import java.util.Arrays;

import org.apache.catalina.Pipeline;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Errors Spring MVC never sees are answered by {@link ProblemErrorReportValve}, in place
 * of the HTML report valve Spring Boot puts on Tomcat's host. Spring Boot's
 * {@code /error} page is left out ({@code BoxofficeApplication}), so Tomcat hands every
 * such error to the valve.
 */
@Component
class ProblemErrorReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

	private final ProblemResponses problems;

	ProblemErrorReports(ProblemResponses problems) {
		this.problems = problems;
	}

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.addContextCustomizers(context -> {
			StandardHost host = (StandardHost) context.getParent();
			Pipeline pipeline = host.getPipeline();
			Arrays.stream(pipeline.getValves())
				.filter(ErrorReportValve.class::isInstance)
				.forEach(pipeline::removeValve);
			pipeline.addValve(new ProblemErrorReportValve(this.problems));
			// the host adds a report valve of this class when it starts, unless one is
			// there
			host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
		});
	}

	/** After Spring Boot's own Tomcat customizer, which adds its valve. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
