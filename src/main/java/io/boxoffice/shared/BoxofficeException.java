package io.boxoffice.shared;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A refusal the client should see: a code from docs/api.md, a human detail, and any extra
 * members of the problem document (e.g. {@code available} for SOLD_OUT).
 */
public class BoxofficeException extends RuntimeException {

	private final ErrorCode code;

	private final String detail;

	private final Map<String, Object> members;

	public BoxofficeException(ErrorCode code, String detail) {
		this(code, detail, Map.of());
	}

	public BoxofficeException(ErrorCode code, String detail, Map<String, Object> members) {
		super(detail, null, false, false);
		this.code = code;
		this.detail = detail;
		// a member may be null (say, the gate of a scan that named none)
		this.members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
	}

	public ErrorCode code() {
		return this.code;
	}

	/** The human detail of the problem document; the exception's message. */
	public String detail() {
		return this.detail;
	}

	public Map<String, Object> members() {
		return this.members;
	}

	public static BoxofficeException notFound(String what) {
		return new BoxofficeException(ErrorCode.NOT_FOUND, what + " not found");
	}

	public static BoxofficeException invalid(String field, String message) {
		return new BoxofficeException(ErrorCode.VALIDATION_FAILED, field + ": " + message,
				Map.of("errors", List.of(new FieldError(field, message))));
	}

	/** One entry of the {@code errors} member of VALIDATION_FAILED. */
	public record FieldError(String field, String message) {
	}

}
