package io.boxoffice.event;

/**
 * An event's on-sale queue: at most {@code maxActiveBuyers} buyers admitted to buy at a
 * time, each for {@code passTtlSeconds}.
 */
public record QueueSettings(int maxActiveBuyers, int passTtlSeconds) {

	/** The pass lifetime when the organizer names none. */
	public static final int DEFAULT_PASS_TTL_SECONDS = 600;

}
