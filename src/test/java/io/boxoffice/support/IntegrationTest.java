package io.boxoffice.support;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.boxoffice.support.Api.Response;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The base of every test that talks to the service over HTTP: the service on a random
 * port against the shared test PostgreSQL ({@link BoxofficeTest}), a client for it, the
 * database, and the requests most tests send.
 */
@BoxofficeTest
public abstract class IntegrationTest {

	/** One client per running service, shared by the test classes that use it. */
	private static final Map<Integer, Api> CLIENTS = new ConcurrentHashMap<>();

	@LocalServerPort
	private int port;

	@Autowired
	protected JdbcClient jdbc;

	protected Api api;

	@BeforeEach
	void connect() {
		this.api = CLIENTS.computeIfAbsent(this.port, Api::new);
	}

	protected int port() {
		return this.port;
	}

	/** Holds {@code quantity} tickets of the general-admission category {@code GA}. */
	protected Response hold(String customer, String eventId, int quantity) {
		return this.api.hold(customer, eventId, Api.items("GA", quantity));
	}

	/** Holds the given items (categories and quantities, or named seats). */
	protected Response hold(String customer, String eventId, Object... items) {
		return this.api.hold(customer, eventId, Map.of("items", List.of(items)));
	}

	/** Books {@code quantity} tickets of the general-admission category {@code GA}. */
	protected Response book(String customer, String eventId, int quantity) {
		return this.api.book(customer, eventId, Api.items("GA", quantity));
	}

	/** Books the given items (categories and quantities, or named seats). */
	protected Response book(String customer, String eventId, Object... items) {
		return this.api.book(customer, eventId, Map.of("items", List.of(items)));
	}

	/** The status in the hold's row, which lags behind an expiry nobody has swept yet. */
	protected String storedHoldStatus(String holdId) {
		return this.jdbc.sql("SELECT status FROM hold WHERE id = :id")
			.param("id", UUID.fromString(holdId))
			.query(String.class)
			.single();
	}

	/** How many bookings were made from the hold. */
	protected long bookingsOfHold(String holdId) {
		return this.jdbc.sql("SELECT count(*) FROM booking WHERE hold_id = :id")
			.param("id", UUID.fromString(holdId))
			.query(Long.class)
			.single();
	}

}
