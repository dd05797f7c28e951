package io.boxoffice.account;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Stores every account's e-mail in its canonical form ({@link EmailIdentity}) and makes
 * that form the unique key, in place of {@code lower(email)}. Written in Java so the
 * database holds exactly what the service computes: PostgreSQL's {@code lower} and
 * {@code normalize} are not the same function.
 *
 * <p>
 * Where several existing accounts have one canonical form (possible before, e.g.
 * {@code kiwi@} and {@code Kiwi@} with the Kelvin sign), the account already spelled
 * canonically keeps it, else the oldest; the others keep their spelling, which no login
 * finds any more, and are logged for an operator to settle. Nothing is deleted: their
 * bookings stay.
 */
@Component
class V3__CanonicalEmails extends BaseJavaMigration {

	private static final Logger log = LoggerFactory.getLogger(V3__CanonicalEmails.class);

	@Override
	public void migrate(Context context) throws SQLException {
		Connection connection = context.getConnection();
		List<Row> rows = new ArrayList<>();
		try (Statement select = connection.createStatement();
				ResultSet rs = select.executeQuery("SELECT id, email FROM account ORDER BY created_at, id")) {
			while (rs.next()) {
				rows.add(new Row(rs.getObject("id", UUID.class), rs.getString("email")));
			}
		}
		Map<String, Row> owners = new HashMap<>();
		for (Row row : rows) {
			owners.merge(row.canonical(), row, (first, next) -> next.isCanonical() ? next : first);
		}
		try (Statement ddl = connection.createStatement()) {
			ddl.execute("DROP INDEX account_email_key");
		}
		try (PreparedStatement update = connection.prepareStatement("UPDATE account SET email = ? WHERE id = ?")) {
			for (Row row : rows) {
				if (owners.get(row.canonical()) != row) {
					log.warn("Account {} keeps its e-mail spelling: account {} has the same canonical e-mail", row.id(),
							owners.get(row.canonical()).id());
				}
				else if (!row.isCanonical()) {
					update.setString(1, row.canonical());
					update.setObject(2, row.id());
					update.addBatch();
				}
			}
			update.executeBatch();
		}
		try (Statement ddl = connection.createStatement()) {
			ddl.execute("CREATE UNIQUE INDEX account_email_key ON account (email)");
		}
	}

	private record Row(UUID id, String email) {

		String canonical() {
			return EmailIdentity.canonical(this.email);
		}

		boolean isCanonical() {
			return canonical().equals(this.email);
		}

	}

}
