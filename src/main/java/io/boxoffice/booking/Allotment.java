package io.boxoffice.booking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import io.boxoffice.booking.CustomerLimits.Tally;
import io.boxoffice.shared.BoxofficeException;
import org.jspecify.annotations.Nullable;

/**
 * How a batch of requests for one pool is decided, in memory, in arrival order, as if
 * each came after the ones before it: a request is granted if its customer's limit,
 * counting what was granted to them before it, and the tickets left both allow it. A
 * request refused for want of tickets counts for nobody's limit, and a later, smaller one
 * may still fit. Pure: the database writes what it decides, and guards it again.
 *
 * @param <R> a request
 * @param granted the granted requests, in arrival order
 * @param refused the refused requests in arrival order, each with its limit error, or
 * with none when the pool had too few tickets
 * @param tickets tickets granted
 */
record Allotment<R>(List<R> granted, Map<R, @Nullable BoxofficeException> refused, int tickets) {

	/**
	 * @param requests in arrival order
	 * @param customer whose a request is
	 * @param quantity tickets a request asks for
	 * @param tallies the customers' tallies, none when the event has no limit
	 * @param left tickets the pool has left
	 * @param limitExceeded the refusal of a request past its customer's limit
	 */
	static <R> Allotment<R> decide(List<R> requests, Function<R, UUID> customer, ToIntFunction<R> quantity,
			Map<UUID, Tally> tallies, int left, Supplier<BoxofficeException> limitExceeded) {
		Map<UUID, Tally> counted = new HashMap<>(tallies);
		List<R> granted = new ArrayList<>();
		Map<R, @Nullable BoxofficeException> refused = new LinkedHashMap<>();
		int tickets = 0;
		for (R request : requests) {
			int wanted = quantity.applyAsInt(request);
			Tally tally = counted.get(customer.apply(request));
			if (tally != null && !tally.allows(wanted)) {
				refused.put(request, limitExceeded.get());
			}
			else if (wanted > left - tickets) {
				refused.put(request, null);
			}
			else {
				granted.add(request);
				tickets += wanted;
				if (tally != null) {
					counted.put(customer.apply(request), tally.plus(wanted));
				}
			}
		}
		return new Allotment<>(granted, refused, tickets);
	}

}
