package io.boxoffice.queue;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The on-sale queue's settings ({@code boxoffice.queue.*}).
 *
 * @param tickInterval how often each instance runs the admission step for the queued
 * events (expired passes, the shuffle at sales open, admissions, the line read into
 * memory)
 * @param streamHeartbeat how often an idle stream gets a comment line
 * @param streamTimeout how long a stream stays open before the client reconnects
 * @param shuffleSeed the seed of the shuffle at sales open; unset (the default) draws
 * from a secure random source. Set only to make the shuffle repeatable in tests.
 */
@ConfigurationProperties("boxoffice.queue")
public record QueueProperties(@DefaultValue("250ms") Duration tickInterval,
		@DefaultValue("15s") Duration streamHeartbeat, @DefaultValue("1h") Duration streamTimeout,
		@Nullable Long shuffleSeed) {
}
