package io.boxoffice.shared;

import java.util.UUID;

/**
 * Ids are opaque to clients; a path id that is not one of ours simply names nothing, so
 * it is a 404, not a 400.
 */
public final class Ids {

	private Ids() {
	}

	public static UUID parse(String id, String what) {
		if (id.length() != 36) {
			throw BoxofficeException.notFound(what);
		}
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw BoxofficeException.notFound(what);
		}
	}

}
