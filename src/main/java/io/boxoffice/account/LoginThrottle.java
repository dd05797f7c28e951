package io.boxoffice.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.RetryLaterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Slows down password guessing: after too many failed logins for one email, or from one
 * client address, within a window, further attempts are refused with 429 and Retry-After
 * until the window ends, without looking at the password. Kept in memory per instance: it
 * is a brake, not a promise (promise 4 of docs/design.md is about selling), so N
 * instances allow at most N times the limit; a restart forgets it.
 */
@Component
class LoginThrottle {

	private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

	/** Beyond this many tracked keys, stale ones are dropped on the next failure. */
	private static final int TIDY_ABOVE = 10_000;

	private final Map<String, Window> failures = new ConcurrentHashMap<>();

	private final AuthProperties properties;

	private final Clock clock;

	LoginThrottle(AuthProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
	}

	/** Refuses the attempt if the account or the address is throttled. */
	void check(String email, String address) {
		Instant now = this.clock.instant();
		check(accountKey(email), this.properties.loginFailuresPerAccount(), now);
		check(addressKey(address), this.properties.loginFailuresPerAddress(), now);
	}

	void failed(String email, String address) {
		Instant now = this.clock.instant();
		if (this.failures.size() > TIDY_ABOVE) {
			this.failures.values().removeIf(window -> window.endsBy(now));
		}
		count(accountKey(email), now);
		count(addressKey(address), now);
	}

	/** A successful login clears the account's failures (not the address's). */
	void succeeded(String email) {
		this.failures.remove(accountKey(email));
	}

	private void check(String key, int limit, Instant now) {
		Window window = this.failures.get(key);
		if (window != null && !window.endsBy(now) && window.failures() >= limit) {
			log.warn("Login refused: {} failed logins for this {} within the window", window.failures(),
					key.substring(0, key.indexOf(':')));
			throw new RetryLaterException(ErrorCode.TOO_MANY_REQUESTS, "Too many failed logins; try again later",
					Duration.between(now, window.end()));
		}
	}

	private void count(String key, Instant now) {
		this.failures.compute(key, (k, window) -> (window == null || window.endsBy(now))
				? new Window(now.plus(this.properties.loginWindow()), 1) : window.plusOne());
	}

	private static String accountKey(String email) {
		return "account:" + email.strip().toLowerCase(Locale.ROOT);
	}

	private static String addressKey(String address) {
		return "address:" + address;
	}

	private record Window(Instant end, int failures) {

		boolean endsBy(Instant now) {
			return !now.isBefore(this.end);
		}

		Window plusOne() {
			return new Window(this.end, this.failures + 1);
		}

	}

}
