package io.boxoffice.account;

import java.time.Clock;
import java.time.Duration;

import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.RetryLaterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Slows down password guessing without letting a stranger lock anyone out, as identity
 * providers do: failed logins are counted per account and client address, and per client
 * address across accounts. A guesser gets {@code login-failures-per-account} tries at an
 * account per window from one address, then 429 with Retry-After until the window ends;
 * the owner signing in from another address is not affected. Accounts are counted by
 * their canonical e-mail ({@link EmailIdentity}), so spellings of one account share a
 * budget. Kept in memory per instance: a brake, not a promise, so N instances allow at
 * most N times the limit; a restart forgets it.
 */
@Component
class LoginThrottle {

	private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

	private final FixedWindows failures;

	private final AuthProperties properties;

	LoginThrottle(AuthProperties properties, Clock clock) {
		this.properties = properties;
		this.failures = new FixedWindows(properties.loginWindow(), clock);
	}

	/**
	 * Refuses the attempt if this address has failed too often for this account, or for
	 * any accounts.
	 * @param identity the canonical e-mail
	 */
	void check(String identity, String address) {
		refuseIfExhausted(pairKey(identity, address), this.properties.loginFailuresPerAccount(), "account");
		refuseIfExhausted(addressKey(address), this.properties.loginFailuresPerAddress(), "address");
	}

	void failed(String identity, String address) {
		this.failures.count(pairKey(identity, address));
		this.failures.count(addressKey(address));
	}

	/**
	 * A successful login clears the failures of this account from this address (not the
	 * address's count across accounts).
	 */
	void succeeded(String identity, String address) {
		this.failures.forget(pairKey(identity, address));
	}

	private void refuseIfExhausted(String key, int limit, String what) {
		Duration wait = this.failures.exhausted(key, limit).orElse(null);
		if (wait != null) {
			log.warn("Login refused: {} failed logins for this {} from this address within the window", limit, what);
			throw new RetryLaterException(ErrorCode.TOO_MANY_REQUESTS, "Too many failed logins; try again later", wait);
		}
	}

	private static String pairKey(String identity, String address) {
		return "account:" + address + " " + identity;
	}

	private static String addressKey(String address) {
		return "address:" + address;
	}

}
