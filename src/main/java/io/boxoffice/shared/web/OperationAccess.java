package io.boxoffice.shared.web;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.boxoffice.shared.Role;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.stereotype.Component;

/**
 * Who may call an operation, asked of the same authorization rules that guard the
 * requests: the OpenAPI description's security requirements and 401/403 answers follow
 * from them and cannot disagree with them.
 */
@Component
class OperationAccess {

	private final ObjectProvider<SecurityFilterChain> chains;

	OperationAccess(ObjectProvider<SecurityFilterChain> chains) {
		this.chains = chains;
	}

	/** Who may call, e.g. {@code POST /api/v1/events/{eventId}/holds}. */
	Access of(String method, String pathTemplate) {
		// any value will do for a path variable: the rules look at the path's shape
		HttpServletRequest request = probe(method, pathTemplate.replaceAll("\\{[^}/]+}", "0"));
		AuthorizationManager<HttpServletRequest> manager = manager(request);
		boolean anonymous = granted(manager, request, new AnonymousAuthenticationToken("probe", "anonymousUser",
				List.of(new SimpleGrantedAuthority("ROLE_ANONYMOUS"))));
		Set<Role> roles = EnumSet.noneOf(Role.class);
		for (Role role : Role.values()) {
			if (granted(manager, request, UsernamePasswordAuthenticationToken.authenticated("probe", null,
					List.of(new SimpleGrantedAuthority("ROLE_" + role.name()))))) {
				roles.add(role);
			}
		}
		return new Access(anonymous, roles);
	}

	private AuthorizationManager<HttpServletRequest> manager(HttpServletRequest request) {
		return this.chains.orderedStream()
			.filter(chain -> chain.matches(request))
			.findFirst()
			.flatMap(chain -> chain.getFilters()
				.stream()
				.filter(AuthorizationFilter.class::isInstance)
				.map(filter -> ((AuthorizationFilter) filter).getAuthorizationManager())
				.findFirst())
			.orElseThrow(() -> new IllegalStateException("No authorization rules for " + request.getRequestURI()));
	}

	private static boolean granted(AuthorizationManager<HttpServletRequest> manager, HttpServletRequest request,
			Authentication authentication) {
		AuthorizationResult result = manager.authorize(() -> authentication, request);
		return result != null && result.isGranted();
	}

	/**
	 * A request that exists only to be matched against the rules: method, path and
	 * attributes, nothing else.
	 */
	private static HttpServletRequest probe(String method, String path) {
		Map<String, Object> attributes = new HashMap<>();
		HttpServletMapping mapping = new HttpServletMapping() {

			@Override
			public String getMatchValue() {
				return "";
			}

			@Override
			public String getPattern() {
				return "/";
			}

			@Override
			public String getServletName() {
				return "dispatcherServlet";
			}

			@Override
			public MappingMatch getMappingMatch() {
				return MappingMatch.DEFAULT;
			}

		};
		return (HttpServletRequest) Proxy.newProxyInstance(OperationAccess.class.getClassLoader(),
				new Class<?>[] { HttpServletRequest.class }, (proxy, invoked, args) -> switch (invoked.getName()) {
					case "getMethod" -> method;
					case "getRequestURI", "getServletPath" -> path;
					case "getContextPath" -> "";
					case "getDispatcherType" -> DispatcherType.REQUEST;
					case "getHttpServletMapping" -> mapping;
					case "getAttribute" -> attributes.get((String) args[0]);
					case "setAttribute" -> {
						attributes.put((String) args[0], args[1]);
						yield null;
					}
					case "removeAttribute" -> {
						attributes.remove((String) args[0]);
						yield null;
					}
					case "getAttributeNames" -> Collections.enumeration(attributes.keySet());
					case "getHeaders", "getHeaderNames", "getParameterNames", "getLocales" ->
						Collections.emptyEnumeration();
					case "getParameterMap" -> Map.of();
					case "getRemoteAddr" -> "192.0.2.1";
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					case "toString" -> method + " " + path;
					default -> defaultValue(invoked.getReturnType());
				});
	}

	private static @Nullable Object defaultValue(Class<?> type) {
		if (type == boolean.class) {
			return false;
		}
		if (type == int.class) {
			return 0;
		}
		if (type == long.class) {
			return 0L;
		}
		return null;
	}

	/** Who may call: anyone, or accounts of these roles. */
	record Access(boolean anonymous, Set<Role> roles) {

		boolean everyRole() {
			return this.roles.size() == Role.values().length;
		}

	}

}
