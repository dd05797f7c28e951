package io.boxoffice.booking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import io.boxoffice.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static io.boxoffice.booking.Seats.named;
import static io.boxoffice.booking.Seats.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bookings made before tickets existed get theirs from the migration that adds them: the
 * tickets are taken away in a transaction that is rolled back, and the migration's insert
 * gives them again.
 */
class TicketBackfillMigrationTest extends IntegrationTest {

	@Test
	void givesEveryEarlierBookingOneTicketPerAdmissionRevokedIfCancelled() throws Exception {
		String organizer = this.api.organizer();
		String event = Seats.event(this.api, organizer,
				List.of(Seats.generalAdmission("GA", 10), Seats.reserved("STALLS", "60.00", List.of(row("A", 1, 4)))));
		String customer = this.api.customer();
		Response kept = book(customer, event, named("A-3", "A-1"), Map.of("category", "GA", "quantity", 2))
			.expectStatus(201);
		Response cancelled = book(customer, event, 1).expectStatus(201);
		this.api.cancelBooking(customer, cancelled.id()).expectStatus(200);

		try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl(), "postgres", "")) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("DELETE FROM ticket");
				statement.execute(backfill());
			}
			List<String> keptTickets = tickets(connection, kept.id());
			List<String> cancelledTickets = tickets(connection, cancelled.id());
			connection.rollback();

			assertThat(keptTickets).containsExactly("STALLS A-1 valid", "STALLS A-3 valid", "GA null valid",
					"GA null valid");
			assertThat(cancelledTickets).containsExactly("GA null revoked");
		}
	}

	private static List<String> tickets(Connection connection, String bookingId) throws SQLException {
		List<String> tickets = new ArrayList<>();
		try (PreparedStatement select = connection.prepareStatement("""
				SELECT c.code AS category, t.seat, t.revoked_at IS NOT NULL AS revoked, t.code
				  FROM ticket t JOIN category c ON c.id = t.category_id
				 WHERE t.booking_id = ? ORDER BY t.position""")) {
			select.setObject(1, UUID.fromString(bookingId));
			try (ResultSet rs = select.executeQuery()) {
				List<String> codes = new ArrayList<>();
				while (rs.next()) {
					tickets.add(rs.getString("category") + " " + rs.getString("seat") + " "
							+ (rs.getBoolean("revoked") ? "revoked" : "valid"));
					codes.add(rs.getString("code"));
				}
				assertThat(codes).doesNotHaveDuplicates().allMatch(code -> code.matches("[A-Za-z0-9_-]{43}"));
			}
		}
		return tickets;
	}

	/** The migration's insert of the earlier bookings' tickets. */
	private static String backfill() throws IOException {
		String migration = Files.readString(Path.of("src/main/resources/db/migration/V5__tickets.sql"));
		String insert = migration.substring(migration.indexOf("INSERT INTO ticket"));
		return insert.substring(0, insert.indexOf(';'));
	}

}
