package io.boxoffice.booking.consistency;

import java.util.UUID;

import io.boxoffice.booking.consistency.ConsistencyCheck.Report;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/consistency}: every event, listing what is inconsistent;
 * {@code GET /actuator/consistency/{eventId}}: one event, listing every pool and tally.
 * Operators only: reachable from the addresses in {@code boxoffice.ops.allowed-addresses}
 * (loopback by default).
 */
@Component
@Endpoint(id = "consistency")
class ConsistencyEndpoint {

	private final ConsistencyCheck check;

	ConsistencyEndpoint(ConsistencyCheck check) {
		this.check = check;
	}

	@ReadOperation
	public Report all() {
		return this.check.run();
	}

	@ReadOperation
	public Report event(@Selector String eventId) {
		UUID id;
		try {
			id = UUID.fromString(eventId);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException("eventId must be a UUID", "eventId must be a UUID");
		}
		return this.check.run(id);
	}

}
