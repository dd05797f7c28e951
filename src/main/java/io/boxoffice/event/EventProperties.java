package io.boxoffice.event;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of what an organizer may publish ({@code boxoffice.events.*}).
 *
 * @param maxSeatsPerEvent most seats of one event, all reserved categories together
 * @param maxCapacity most tickets of one general-admission category
 * @param defaultHoldTtlSeconds hold lifetime when the event names none
 */
@ConfigurationProperties("boxoffice.events")
record EventProperties(@DefaultValue("100000") int maxSeatsPerEvent, @DefaultValue("10000000") int maxCapacity,
		@DefaultValue("600") int defaultHoldTtlSeconds) {
}
