package io.boxoffice.support;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The books must balance: checked in one statement (one snapshot) over the whole
 * database, whatever test wrote it.
 */
public final class Ledger {

	private Ledger() {
	}

	/**
	 * Every pool has {@code capacity = available + held + sold}, none negative, its held
	 * tickets are exactly those of ACTIVE hold rows and its sold tickets exactly those of
	 * CONFIRMED booking rows; every customer tally equals that customer's active held
	 * plus booked tickets.
	 */
	public static void assertBalanced(JdbcClient jdbc) {
		List<String> pools = jdbc
			.sql("""
					SELECT category_id || ': capacity ' || capacity || ', available ' || available || ', held ' || held
					       || ' (rows ' || held_rows || '), sold ' || sold || ' (rows ' || sold_rows || ')'
					  FROM (SELECT p.*,
					               coalesce((SELECT sum(i.quantity) FROM hold h JOIN hold_item i ON i.hold_id = h.id
					                          WHERE h.status = 'ACTIVE' AND i.category_id = p.category_id), 0) AS held_rows,
					               coalesce((SELECT sum(i.quantity) FROM booking b JOIN booking_item i ON i.booking_id = b.id
					                          WHERE b.status = 'CONFIRMED' AND i.category_id = p.category_id), 0) AS sold_rows
					          FROM pool p) x
					 WHERE available < 0 OR held < 0 OR sold < 0 OR capacity <> available + held + sold
					       OR held <> held_rows OR sold <> sold_rows
					""")
			.query(String.class)
			.list();
		assertThat(pools).as("pools whose counters do not match their rows").isEmpty();
		List<String> tallies = jdbc.sql("""
				SELECT event_id || '/' || customer_id || ': tally ' || tickets || ', rows ' || rows
				  FROM (SELECT t.*,
				               coalesce((SELECT sum(h.quantity) FROM hold h WHERE h.status = 'ACTIVE'
				                          AND h.event_id = t.event_id AND h.customer_id = t.customer_id), 0)
				             + coalesce((SELECT sum(b.quantity) FROM booking b WHERE b.status = 'CONFIRMED'
				                          AND b.event_id = t.event_id AND b.customer_id = t.customer_id), 0) AS rows
				          FROM customer_tally t) x
				 WHERE tickets <> rows
				""").query(String.class).list();
		assertThat(tallies).as("customer tallies that do not match their rows").isEmpty();
	}

}
