package io.boxoffice.booking.consistency;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What one audit found for one subject (a pool, a customer's tally, a seat map).
 *
 * @param kind what was checked: {@code pool}, {@code customer-tally}, {@code seats}, ...
 * @param eventId the event
 * @param category the category code, when the subject is one category
 * @param customerId the customer, when the subject is one customer's tally
 * @param consistent true when the counters agree with the rows
 * @param counters what the counters say
 * @param rows what the rows say the counters should be
 * @param drift counter minus rows, for every counter that differs (empty when consistent)
 * @param problems one sentence per disagreement
 */
public record Finding(String kind, UUID eventId, @Nullable String category, @Nullable UUID customerId,
		boolean consistent, Map<String, Integer> counters, Map<String, Integer> rows, Map<String, Integer> drift,
		List<String> problems) {

	public Finding {
		counters = Map.copyOf(counters);
		rows = Map.copyOf(rows);
		drift = Map.copyOf(drift);
		problems = List.copyOf(problems);
	}

}
