package io.boxoffice.account;

import java.io.IOException;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * Who may call what (docs/api.md, Access rules). Ownership checks live in the use cases.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final String ORGANIZER = "ORGANIZER";

	private static final String CUSTOMER = "CUSTOMER";

	/** The paths of the API chain; the pages chain takes the rest. */
	static final String[] API_PATHS = { "/api/**", "/actuator/**", "/v3/api-docs", "/v3/api-docs/**",
			"/swagger-ui.html", "/swagger-ui/**" };

	/**
	 * The API, operations and API documentation: bearer tokens, no session, no CSRF (no
	 * cookie authenticates anything here). Every other path is a page
	 * ({@link PageSecurityConfiguration}).
	 */
	@Bean
	@Order(1)
	SecurityFilterChain api(HttpSecurity http, ProblemResponses problems, OpsProperties ops) throws Exception {
		List<IpAddressMatcher> operators = ops.allowedAddresses().stream().map(IpAddressMatcher::new).toList();
		OperatorAddressFilter operatorsOnly = new OperatorAddressFilter(operators, problems);
		http.securityMatcher(API_PATHS)
			.addFilterBefore(operatorsOnly, BearerTokenAuthenticationFilter.class)
			.csrf(csrf -> csrf.disable())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.requestCache(cache -> cache.disable())
			// the caller comes from the security context (Caller), never from the servlet
			// API's getUserPrincipal or isUserInRole: no wrapper of every request for
			// them
			.servletApi(api -> api.disable())
			.authorizeHttpRequests(requests -> requests
				.requestMatchers(HttpMethod.POST, "/api/v1/accounts", "/api/v1/auth/token")
				.permitAll()
				.requestMatchers(HttpMethod.POST, "/api/v1/events")
				.hasRole(ORGANIZER)
				.requestMatchers(HttpMethod.POST, "/api/v1/events/*/cancel")
				.hasRole(ORGANIZER)
				.requestMatchers(HttpMethod.GET, "/api/v1/organizer/events", "/api/v1/events/*/bookings")
				.hasRole(ORGANIZER)
				.requestMatchers("/api/v1/events/*/checkins")
				.hasRole(ORGANIZER)
				.requestMatchers(HttpMethod.GET, "/api/v1/events", "/api/v1/events/*", "/api/v1/events/*/availability",
						"/api/v1/events/*/seats", "/api/v1/events/*/availability/stream",
						"/api/v1/events/*/seats/stream", "/api/v1/events/*/queue")
				.permitAll()
				.requestMatchers("/api/v1/events/*/queue", "/api/v1/events/*/queue/me",
						"/api/v1/events/*/queue/me/stream")
				.hasRole(CUSTOMER)
				.requestMatchers(HttpMethod.POST, "/api/v1/events/*/holds", "/api/v1/events/*/bookings",
						"/api/v1/holds/*/confirm")
				.hasRole(CUSTOMER)
				.requestMatchers("/api/v1/holds/*")
				.hasRole(CUSTOMER)
				.requestMatchers(HttpMethod.POST, "/api/v1/events/*/waitlist")
				.hasRole(CUSTOMER)
				.requestMatchers("/api/v1/waitlist", "/api/v1/waitlist/*")
				.hasRole(CUSTOMER)
				.requestMatchers(HttpMethod.GET, "/api/v1/bookings")
				.hasRole(CUSTOMER)
				.requestMatchers(HttpMethod.GET, "/api/v1/bookings/*")
				.authenticated()
				.requestMatchers(HttpMethod.POST, "/api/v1/bookings/*/cancel")
				.authenticated()
				.requestMatchers("/actuator/health", "/actuator/health/**")
				.permitAll()
				.requestMatchers("/actuator/prometheus", "/actuator/consistency", "/actuator/consistency/**")
				.access((authentication,
						context) -> new AuthorizationDecision(operatorsOnly.fromOperator(context.getRequest())))
				.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
				.permitAll()
				.anyRequest()
				.authenticated())
			.oauth2ResourceServer(server -> server.jwt(jwt -> jwt.jwtAuthenticationConverter(roles()))
				.authenticationEntryPoint((request, response, ex) -> unauthenticated(problems, request, response)))
			.exceptionHandling(handling -> handling
				.authenticationEntryPoint((request, response, ex) -> unauthenticated(problems, request, response))
				.accessDeniedHandler((request, response, ex) -> problems.write(request, response, ErrorCode.FORBIDDEN,
						"Your role may not do this")));
		return http.build();
	}

	private static void unauthenticated(ProblemResponses problems, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		problems.write(request, response, ErrorCode.UNAUTHENTICATED, "A valid bearer token is required");
	}

	private static JwtAuthenticationConverter roles() {
		JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
		authorities.setAuthoritiesClaimName("role");
		authorities.setAuthorityPrefix("ROLE_");
		JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
		converter.setJwtGrantedAuthoritiesConverter(authorities);
		return converter;
	}

	/**
	 * The default firewall, with its checks of header and parameter names and values
	 * written as loops: it runs them on every header read, and the default regular
	 * expressions cost more than the rest of the firewall.
	 */
	@Bean
	StrictHttpFirewall httpFirewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderNames(name -> PrintableText.test(name, false));
		firewall.setAllowedHeaderValues(value -> PrintableText.test(value, true));
		firewall.setAllowedParameterNames(name -> PrintableText.test(name, false));
		return firewall;
	}

	/** An observation per security filter per request costs more than it tells. */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		// bcrypt today, and able to verify older hashes when the default moves on
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	JwtEncoder jwtEncoder(SigningKeys keys) {
		return new NimbusJwtEncoder((selector, context) -> selector
			.select(new JWKSet(new OctetSequenceKey.Builder(keys.current()).algorithm(JWSAlgorithm.HS256).build())));
	}

	@Bean
	JwtDecoder jwtDecoder(SigningKeys keys) {
		return new RotatingJwtDecoder(keys::current, keys.previous());
	}

}
