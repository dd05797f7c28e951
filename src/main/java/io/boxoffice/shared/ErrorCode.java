package io.boxoffice.shared;

import org.springframework.http.HttpStatus;

/** The error codes of docs/api.md, each with its HTTP status. */
public enum ErrorCode {

	VALIDATION_FAILED(HttpStatus.BAD_REQUEST, "Validation failed"),
	MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "Malformed request"),
	UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "Authentication required"),
	BAD_CREDENTIALS(HttpStatus.UNAUTHORIZED, "Bad credentials"), FORBIDDEN(HttpStatus.FORBIDDEN, "Forbidden"),
	NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
	METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"), SOLD_OUT(HttpStatus.CONFLICT, "Sold out"),
	SEATS_UNAVAILABLE(HttpStatus.CONFLICT, "Seats unavailable"), SALES_CLOSED(HttpStatus.CONFLICT, "Sales closed"),
	EVENT_CANCELLED(HttpStatus.CONFLICT, "Event cancelled"), EMAIL_TAKEN(HttpStatus.CONFLICT, "Email taken"),
	HOLD_CONFIRMED(HttpStatus.CONFLICT, "Hold already confirmed"),
	ALREADY_CHECKED_IN(HttpStatus.CONFLICT, "Already checked in"),
	TICKET_REVOKED(HttpStatus.CONFLICT, "Ticket revoked"), HOLD_EXPIRED(HttpStatus.GONE, "Hold expired"),
	PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Payload too large"),
	NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
	UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
	LIMIT_EXCEEDED(HttpStatus.UNPROCESSABLE_CONTENT, "Limit exceeded"),
	IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused"),
	TOO_MANY_REQUESTS(HttpStatus.TOO_MANY_REQUESTS, "Too many requests"),
	INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"),
	OVERLOADED(HttpStatus.SERVICE_UNAVAILABLE, "Overloaded"),
	UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable"),
	OUTCOME_UNKNOWN(HttpStatus.SERVICE_UNAVAILABLE, "Outcome unknown");

	private final HttpStatus status;

	private final String title;

	ErrorCode(HttpStatus status, String title) {
		this.status = status;
		this.title = title;
	}

	public HttpStatus status() {
		return this.status;
	}

	public String title() {
		return this.title;
	}

}
