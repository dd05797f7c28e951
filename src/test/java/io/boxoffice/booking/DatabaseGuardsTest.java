package io.boxoffice.booking;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.support.Api.Counts;
import io.boxoffice.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The database refuses a broken counter whatever the Java code does (docs/design.md,
 * promise 5): these statements bypass the service.
 */
class DatabaseGuardsTest extends IntegrationTest {

	String event;

	UUID eventId;

	@BeforeEach
	void setUp() {
		this.event = this.api.event(this.api.organizer(), Map
			.of("name", "Guards", "startsAt", "2035-01-01T19:00:00Z", "maxTicketsPerCustomer", 4, "categories", List
				.of(Map.of("code", "GA", "name", "Standing", "price", "25.00", "currency", "EUR", "capacity", 10))));
		this.eventId = UUID.fromString(this.event);
	}

	@Test
	void poolRefusesNegativeAvailable() {
		// sold takes what available loses, so only the sign is wrong
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.jdbc
				.sql("UPDATE pool SET available = available - 11, sold = sold + 11 WHERE event_id = :id")
				.param("id", this.eventId)
				.update())
			.withMessageContaining("pool_available_not_negative");
		assertThat(this.api.counts(this.event, "GA")).isEqualTo(new Counts(10, 10, 0, 0));
	}

	@Test
	void poolRefusesCountersThatDoNotAddUpToCapacity() {
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.jdbc.sql("UPDATE pool SET available = available + 1 WHERE event_id = :id")
				.param("id", this.eventId)
				.update())
			.withMessageContaining("pool_counts_add_up");
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.jdbc.sql("UPDATE pool SET sold = sold + 1 WHERE event_id = :id")
				.param("id", this.eventId)
				.update())
			.withMessageContaining("pool_counts_add_up");
		assertThat(this.api.counts(this.event, "GA")).isEqualTo(new Counts(10, 10, 0, 0));
	}

	@Test
	void customerTallyRefusesATallyPastItsMax() {
		String customer = this.api.customer();
		book(customer, this.event, 3).expectStatus(201);
		assertThat(tally()).isEqualTo(3);

		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.jdbc.sql("UPDATE customer_tally SET tickets = tickets + 2 WHERE event_id = :id")
				.param("id", this.eventId)
				.update())
			.withMessageContaining("customer_tally_within_limit");
		assertThat(tally()).isEqualTo(3);
	}

	private int tally() {
		return this.jdbc.sql("SELECT tickets FROM customer_tally WHERE event_id = :id")
			.param("id", this.eventId)
			.query(Integer.class)
			.single();
	}

}
