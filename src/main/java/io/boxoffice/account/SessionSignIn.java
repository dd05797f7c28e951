package io.boxoffice.account;

import java.util.List;

import io.boxoffice.shared.Caller;
import io.boxoffice.shared.Role;
import io.boxoffice.shared.SignedIn;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/** Signs a browser in: after its form sign-in, and right after it signs up. */
@Component
public class SessionSignIn {

	private final AccountService accounts;

	private final SecurityContextRepository contexts;

	SessionSignIn(AccountService accounts, SecurityContextRepository contexts) {
		this.accounts = accounts;
		this.contexts = contexts;
	}

	/**
	 * Registers an account (limited per client address like the API's registration) and
	 * signs the browser in with it, in a new session id.
	 */
	public Account signUp(String email, String password, Role role, HttpServletRequest request,
			HttpServletResponse response) {
		Account account = this.accounts.register(email, password, role, request.getRemoteAddr());
		if (request.getSession(false) != null) {
			request.changeSessionId();
		}
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(authentication(account));
		SecurityContextHolder.setContext(context);
		this.contexts.saveContext(context, request, response);
		return account;
	}

	static Authentication authentication(Account account) {
		SignedIn principal = new SignedIn(new Caller(account.id(), account.role()), account.email());
		return UsernamePasswordAuthenticationToken.authenticated(principal, null,
				List.of(new SimpleGrantedAuthority("ROLE_" + account.role().name())));
	}

}
