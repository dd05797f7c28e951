package io.boxoffice.shared;

import java.io.Serializable;
import java.util.UUID;

/**
 * The authenticated account behind a request, resolved from its bearer token or its
 * browser session.
 */
public record Caller(UUID id, Role role) implements Serializable {

	public boolean is(Role role) {
		return this.role == role;
	}

}
