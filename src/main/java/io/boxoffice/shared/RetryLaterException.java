package io.boxoffice.shared;

import java.time.Duration;

/**
 * A refusal the client may try again after {@code retryAfter}: sent with a
 * {@code Retry-After} header of that many whole seconds (at least one).
 */
public class RetryLaterException extends BoxofficeException {

	private final Duration retryAfter;

	public RetryLaterException(ErrorCode code, String detail, Duration retryAfter) {
		super(code, detail);
		this.retryAfter = retryAfter;
	}

	public long retryAfterSeconds() {
		long seconds = this.retryAfter.toSeconds() + ((this.retryAfter.toNanosPart() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

}
