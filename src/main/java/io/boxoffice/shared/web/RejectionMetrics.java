package io.boxoffice.shared.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * {@code boxoffice.rejections{code, status}}: every problem+json answer counted by its
 * code, whether Spring MVC wrote it or a filter did (through {@link ProblemResponses}).
 */
@RestControllerAdvice
class RejectionMetrics implements ResponseBodyAdvice<Object> {

	private final MeterRegistry registry;

	RejectionMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void count(ProblemDetail problem) {
		Object code = (problem.getProperties() != null) ? problem.getProperties().get("code") : null;
		Counter.builder("boxoffice.rejections")
			.description("Requests answered with a problem, by code")
			.tag("code", (code != null) ? code.toString() : "NONE")
			.tag("status", Integer.toString(problem.getStatus()))
			.register(this.registry)
			.increment();
	}

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType,
			MediaType selectedContentType, Class<? extends HttpMessageConverter<?>> selectedConverterType,
			ServerHttpRequest request, ServerHttpResponse response) {
		if (body instanceof ProblemDetail problem) {
			count(problem);
		}
		return body;
	}

}
