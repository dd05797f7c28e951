package io.boxoffice.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.boxoffice.shared.BoxofficeException.FieldError;

/** Collects every rule a request breaks, so the client learns them all at once. */
public final class ValidationErrors {

	private final List<FieldError> errors = new ArrayList<>();

	public ValidationErrors reject(String field, String message) {
		this.errors.add(new FieldError(field, message));
		return this;
	}

	public boolean isEmpty() {
		return this.errors.isEmpty();
	}

	public void throwIfAny() {
		if (!this.errors.isEmpty()) {
			String detail = this.errors.stream()
				.map(error -> error.field() + ": " + error.message())
				.reduce((a, b) -> a + "; " + b)
				.orElseThrow();
			throw new BoxofficeException(ErrorCode.VALIDATION_FAILED, detail,
					Map.of("errors", List.copyOf(this.errors)));
		}
	}

}
