package io.boxoffice.booking;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Response;
import tools.jackson.databind.JsonNode;

/** Reserved-seating helpers for tests: seat maps, items, and reading seats over HTTP. */
final class Seats {

	private Seats() {
	}

	static Map<String, Object> row(String row, int from, int to) {
		return Map.of("row", row, "from", from, "to", to);
	}

	static Map<String, Object> reserved(String code, String price, List<Map<String, Object>> rows) {
		return Map.of("code", code, "name", code, "price", price, "currency", "EUR", "seats", rows);
	}

	static Map<String, Object> generalAdmission(String code, int capacity) {
		return Map.of("code", code, "name", code, "price", "25.00", "currency", "EUR", "capacity", capacity);
	}

	/**
	 * Publishes an event of the given categories with a 600-second hold TTL: longer than
	 * any test, so that only a test's own clock expires its holds, never the sweepers of
	 * other contexts on the same database, which run on the system clock.
	 */
	static String event(Api api, String organizer, List<Map<String, Object>> categories) {
		return api.event(organizer, Map.of("name", "Seated", "startsAt", "2030-01-01T19:00:00Z", "holdTtlSeconds", 600,
				"categories", categories));
	}

	static Map<String, Object> named(String... labels) {
		return Map.of("seats", List.of(labels));
	}

	static Map<String, Object> best(String category, int quantity) {
		return Map.of("category", category, "quantity", quantity);
	}

	static Map<String, Object> items(Object... items) {
		return Map.of("items", List.of(items));
	}

	/** Every seat's status by label, in the order /seats lists them. */
	static Map<String, String> statuses(Api api, String eventId) {
		Map<String, String> statuses = new LinkedHashMap<>();
		for (JsonNode seat : api.get("/api/v1/events/" + eventId + "/seats", null)
			.expectStatus(200)
			.json()
			.get("seats")) {
			statuses.put(seat.get("label").asString(), seat.get("status").asString());
		}
		return statuses;
	}

	/** The labels of the seats with this status. */
	static List<String> withStatus(Api api, String eventId, String status) {
		return statuses(api, eventId).entrySet()
			.stream()
			.filter(entry -> entry.getValue().equals(status))
			.map(Map.Entry::getKey)
			.toList();
	}

	/** The seats of each item of a hold or booking. */
	static List<List<String>> itemSeats(Response response) {
		List<List<String>> items = new ArrayList<>();
		for (JsonNode item : response.json().get("items")) {
			items.add(strings(item.get("seats")));
		}
		return items;
	}

	static List<String> strings(JsonNode array) {
		List<String> strings = new ArrayList<>();
		array.forEach(node -> strings.add(node.asString()));
		return strings;
	}

}
