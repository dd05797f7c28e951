package io.boxoffice.shared.web;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

import io.boxoffice.shared.Caller;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.Role;
import io.boxoffice.shared.SignedIn;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	/**
	 * Integer fields take integers only (docs/api.md): {@code 1.5}, {@code "2"} or
	 * {@code true} for a quantity is a 400, never rounded or coerced. Text and instants
	 * are checked by {@link RequestValues}.
	 */
	@Bean
	JsonMapperBuilderCustomizer strictScalars() {
		return builder -> builder.addModule(RequestValues.module())
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.withCoercionConfig(LogicalType.Integer,
					config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Textual,
					config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

	/**
	 * The pages' links to versioned resources (webjars) are rewritten as Spring Boot
	 * does, but API requests pass by: their answers hold no such links, and the filter's
	 * wrapper would be one more hop on every header and attribute read of a sale.
	 */
	@Bean
	FilterRegistrationBean<ResourceUrlEncodingFilter> resourceUrlEncodingFilter() {
		FilterRegistrationBean<ResourceUrlEncodingFilter> registration = new FilterRegistrationBean<>(
				new PagesResourceUrlEncodingFilter());
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
		return registration;
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(new CallerResolver());
	}

	/**
	 * Resolves a {@link Caller} parameter from the verified bearer token, or on the pages
	 * from the session's signed-in account.
	 */
	static final class CallerResolver implements HandlerMethodArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.getParameterType() == Caller.class;
		}

		@Override
		public Caller resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer container,
				NativeWebRequest request, @Nullable WebDataBinderFactory binderFactory) {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			Object principal = (authentication != null) ? authentication.getPrincipal() : null;
			if (principal instanceof SignedIn signedIn) {
				return signedIn.caller();
			}
			if (!(principal instanceof Jwt jwt)) {
				throw new BoxofficeException(ErrorCode.UNAUTHENTICATED, "A bearer token is required");
			}
			return new Caller(UUID.fromString(jwt.getSubject()), Role.valueOf(jwt.getClaimAsString("role")));
		}

	}

	/** Rewrites resource URLs in the pages' answers only. */
	static final class PagesResourceUrlEncodingFilter extends ResourceUrlEncodingFilter {

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			if (request instanceof HttpServletRequest http && http.getRequestURI().startsWith("/api/")) {
				chain.doFilter(request, response);
				return;
			}
			super.doFilter(request, response, chain);
		}

	}

}
