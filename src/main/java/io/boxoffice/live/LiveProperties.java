package io.boxoffice.live;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The live streams ({@code boxoffice.live.*}).
 *
 * @param pollInterval how often each instance reads the state of every event that has
 * subscribers; also the coalescing window: a subscriber gets at most one document per
 * interval however many changes it saw
 * @param heartbeat a comment line is sent on a stream that sent nothing for this long, so
 * proxies and browsers keep the connection open
 * @param maxDuration a stream ends after this long; browsers' {@code EventSource}
 * reconnects by itself and gets the current document at once
 * @param maxSubscribers most open streams on one instance; more are refused with
 * {@code 503 OVERLOADED}
 */
@ConfigurationProperties("boxoffice.live")
record LiveProperties(@DefaultValue("250ms") Duration pollInterval, @DefaultValue("15s") Duration heartbeat,
		@DefaultValue("30m") Duration maxDuration, @DefaultValue("10000") int maxSubscribers) {
}
