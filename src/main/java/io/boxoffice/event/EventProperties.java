package io.boxoffice.event;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of what an organizer may publish ({@code boxoffice.events.*}).
 *
 * @param maxSeatsPerEvent seats of all reserved categories (docs/api.md: 100,000)
 * @param maxCapacity tickets of one general-admission category (docs/api.md: 10,000,000)
 * @param defaultHoldTtlSeconds hold lifetime when the event names none
 */
@ConfigurationProperties("boxoffice.events")
record EventProperties(@DefaultValue("100000") int maxSeatsPerEvent, @DefaultValue("10000000") int maxCapacity,
		@DefaultValue("600") int defaultHoldTtlSeconds) {
}
