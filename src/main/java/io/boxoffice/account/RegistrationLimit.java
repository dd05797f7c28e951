package io.boxoffice.account;

import java.time.Clock;
import java.time.Duration;

import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.RetryLaterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * At most {@code registrations-per-address-per-minute} registration attempts from one
 * client address per minute (counted whatever their outcome, so probing which e-mails
 * have accounts is slowed too), then 429 with Retry-After until the minute ends.
 * Throw-away accounts are how a scalper passes a per-customer limit. Clients behind one
 * NAT address share the budget. In memory per instance, like {@link LoginThrottle}: a
 * brake.
 */
@Component
class RegistrationLimit {

	private static final Logger log = LoggerFactory.getLogger(RegistrationLimit.class);

	private final FixedWindows attempts;

	private final int limit;

	RegistrationLimit(AuthProperties properties, Clock clock) {
		this.attempts = new FixedWindows(Duration.ofMinutes(1), clock);
		this.limit = properties.registrationsPerAddressPerMinute();
	}

	void take(String address) {
		Duration wait = this.attempts.take(address, this.limit).orElse(null);
		if (wait != null) {
			log.warn("Registration refused: more than {} from this address within a minute", this.limit);
			throw new RetryLaterException(ErrorCode.TOO_MANY_REQUESTS,
					"Too many registrations from this address; try again later", wait);
		}
	}

}
