package io.boxoffice.shared;

import java.util.UUID;

/** The authenticated account behind a request, resolved from its bearer token. */
public record Caller(UUID id, Role role) {

	public boolean is(Role role) {
		return this.role == role;
	}

}
