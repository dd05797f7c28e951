package io.boxoffice.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Counts events per key in fixed windows: the first event of a key opens a window of the
 * given length, and the count starts again after it ends. In memory, per instance, at
 * most {@value #MAX_KEYS} keys (the least recently used are forgotten first): a brake on
 * abuse, not a promise.
 */
final class FixedWindows {

	private static final int MAX_KEYS = 100_000;

	private final Cache<String, Window> windows;

	private final Duration length;

	private final Clock clock;

	FixedWindows(Duration length, Clock clock) {
		this.length = length;
		this.clock = clock;
		this.windows = Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterWrite(length).build();
	}

	/**
	 * @return how long until the key's window ends, when it already counts {@code limit}
	 * events or more
	 */
	Optional<Duration> exhausted(String key, int limit) {
		Instant now = this.clock.instant();
		Window window = this.windows.getIfPresent(key);
		if (window == null || window.endsBy(now) || window.count() < limit) {
			return Optional.empty();
		}
		return Optional.of(Duration.between(now, window.end()));
	}

	/** Counts one event for the key. */
	void count(String key) {
		Instant now = this.clock.instant();
		this.windows.asMap()
			.compute(key, (k, window) -> (window == null || window.endsBy(now)) ? new Window(now.plus(this.length), 1)
					: window.plusOne());
	}

	/**
	 * Counts one event for the key, and tells how long until its window ends when the
	 * count now passes {@code limit}.
	 */
	Optional<Duration> take(String key, int limit) {
		Instant now = this.clock.instant();
		Window window = this.windows.asMap()
			.compute(key, (k, old) -> (old == null || old.endsBy(now)) ? new Window(now.plus(this.length), 1)
					: old.plusOne());
		return (window.count() > limit) ? Optional.of(Duration.between(now, window.end())) : Optional.empty();
	}

	void forget(String key) {
		this.windows.invalidate(key);
	}

	private record Window(Instant end, int count) {

		boolean endsBy(Instant now) {
			return !now.isBefore(this.end);
		}

		Window plusOne() {
			return new Window(this.end, this.count + 1);
		}

	}

}
