package io.boxoffice.shared.web;

import org.jspecify.annotations.Nullable;

/**
 * Request bodies are read with every field nullable, since a client may leave any of them
 * out; Bean Validation ({@code @Valid}) then answers 400 for a missing required field
 * before the controller runs. What a controller reads of a required field is therefore
 * present, which the compiler cannot see: {@link #required} says so, and fails loudly if
 * a constraint is ever dropped.
 */
public final class Validated {

	private Validated() {
	}

	/** A field that validation guarantees, such as one marked {@code @NotNull}. */
	public static <T> T required(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("A required request field passed validation without a value");
		}
		return value;
	}

}
