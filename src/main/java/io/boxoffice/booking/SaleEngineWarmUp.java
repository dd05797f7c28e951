package io.boxoffice.booking;

import java.time.Duration;

/**
 * Runs the sale engine's path for a while without leaving anything behind, so that a
 * freshly started instance has compiled it before its first buyers come.
 */
public interface SaleEngineWarmUp {

	/**
	 * Decides batches of bookings until {@code duration} has passed, then takes them all
	 * back.
	 * @return the bookings decided
	 */
	int run(Duration duration);

}
