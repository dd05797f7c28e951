package io.boxoffice.shared;

import java.io.Serializable;

import org.springframework.security.core.AuthenticatedPrincipal;

/**
 * The account signed in to the pages, kept in the browser session: who it is (as the
 * bearer token says for the API) and the email the pages show.
 */
public record SignedIn(Caller caller, String email) implements AuthenticatedPrincipal, Serializable {

	@Override
	public String getName() {
		return this.email;
	}

}
