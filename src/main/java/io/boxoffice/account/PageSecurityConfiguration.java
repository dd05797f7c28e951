package io.boxoffice.account;

import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.web.Sentences;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * The pages: a browser session (Tomcat's HttpOnly cookie, SameSite=Lax, Secure when the
 * request came over TLS), form sign-in on the same accounts, throttling and rules as the
 * API's tokens, and CSRF tokens on every form and on the scripts' requests.
 */
@Configuration(proxyBeanMethods = false)
class PageSecurityConfiguration {

	static final String SIGN_IN = "/signin";

	@Bean
	@Order(2)
	SecurityFilterChain pages(HttpSecurity http, AccountService accounts) throws Exception {
		http.authenticationProvider(new AccountAuthentication(accounts))
			.securityContext(context -> context.securityContextRepository(sessionContexts()))
			.formLogin(form -> form.loginPage(SIGN_IN)
				.usernameParameter("email")
				.passwordParameter("password")
				.defaultSuccessUrl("/", false)
				.failureUrl(SIGN_IN + "?error")
				.permitAll())
			.logout(logout -> logout.logoutUrl("/signout").logoutSuccessUrl("/").permitAll())
			.httpBasic(basic -> basic.disable())
			.exceptionHandling(handling -> handling.accessDeniedPage("/denied"))
			.authorizeHttpRequests(requests -> requests
				.requestMatchers(HttpMethod.GET, "/", "/events/*", "/signup", "/css/**", "/js/**", "/webjars/**",
						"/favicon.svg", "/favicon.ico")
				.permitAll()
				.requestMatchers("/denied")
				.permitAll()
				.requestMatchers(HttpMethod.POST, "/signup")
				.permitAll()
				.requestMatchers("/organizer", "/organizer/**")
				.hasRole("ORGANIZER")
				.requestMatchers("/events/*/hold", "/cart/**", "/bookings", "/bookings/**", "/tickets/**",
						"/events/*/waitlist", "/waitlist", "/waitlist/**", "/events/*/queue", "/events/*/queue/**")
				.hasRole("CUSTOMER")
				.anyRequest()
				.authenticated());
		return http.build();
	}

	/** Where a sign-in (also one right after sign-up) keeps the account. */
	@Bean
	static SecurityContextRepository sessionContexts() {
		return new HttpSessionSecurityContextRepository();
	}

	/** Signs in with {@link AccountService#authenticate}, as the API's token does. */
	static final class AccountAuthentication implements AuthenticationProvider {

		private final AccountService accounts;

		AccountAuthentication(AccountService accounts) {
			this.accounts = accounts;
		}

		@Override
		public Authentication authenticate(Authentication authentication) throws AuthenticationException {
			String email = authentication.getName();
			Object credentials = authentication.getCredentials();
			String address = (authentication.getDetails() instanceof WebAuthenticationDetails details)
					? details.getRemoteAddress() : "";
			try {
				Account account = this.accounts.authenticate(email, (credentials != null) ? credentials.toString() : "",
						address);
				return SessionSignIn.authentication(account);
			}
			catch (BoxofficeException ex) {
				throw new BadCredentialsException(Sentences.of(ex));
			}
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
		}

	}

}
