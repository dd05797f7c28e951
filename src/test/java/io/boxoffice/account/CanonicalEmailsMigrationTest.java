package io.boxoffice.account;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.support.TestDatabase;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The migration to canonical e-mails, on accounts as the old schema allowed them (unique
 * by {@code lower(email)} only), in a schema of its own that is rolled back.
 */
class CanonicalEmailsMigrationTest {

	@Test
	void rewritesEveryEmailCanonicallyAndKeepsOneOwnerPerSpelling() throws SQLException {
		try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl(), "postgres", "")) {
			connection.setAutoCommit(false);
			try (Statement ddl = connection.createStatement()) {
				ddl.execute("CREATE SCHEMA migration_v3");
				ddl.execute("SET LOCAL search_path TO migration_v3");
				ddl.execute("""
						CREATE TABLE account (id uuid PRIMARY KEY, email text NOT NULL, password_hash text NOT NULL,
						role text NOT NULL, created_at timestamptz NOT NULL)""");
				ddl.execute("CREATE UNIQUE INDEX account_email_key ON account (lower(email))");
			}
			UUID ana = insert(connection, "Ana@Example.ORG", 1);
			UUID fullWidthOld = insert(connection, "ｋｉｗｉ@example.org", 2);
			UUID kiwi = insert(connection, "kiwi@example.org", 3);
			UUID strasseOld = insert(connection, "Straße@example.org", 4);
			UUID strasseNew = insert(connection, "STRASSE-x@example.org", 5);

			new V3__CanonicalEmails().migrate(context(connection));

			Map<UUID, String> emails = new LinkedHashMap<>();
			try (Statement select = connection.createStatement();
					ResultSet rs = select.executeQuery("SELECT id, email FROM account ORDER BY created_at")) {
				while (rs.next()) {
					emails.put(rs.getObject("id", UUID.class), rs.getString("email"));
				}
			}
			assertThat(emails).containsExactly(Map.entry(ana, "ana@example.org"),
					// kiwi@ was already canonical, so it keeps the identity; the other
					// keeps its spelling (logged), which no login finds
					Map.entry(fullWidthOld, "ｋｉｗｉ@example.org"), Map.entry(kiwi, "kiwi@example.org"),
					Map.entry(strasseOld, "strasse@example.org"), Map.entry(strasseNew, "strasse-x@example.org"));
			// the unique index is on the stored form now
			assertThatThrownBy(() -> insert(connection, "ana@example.org", 6)).isInstanceOf(SQLException.class);
			connection.rollback();
		}
	}

	private static UUID insert(Connection connection, String email, int day) throws SQLException {
		UUID id = UUID.randomUUID();
		try (PreparedStatement insert = connection.prepareStatement(
				"INSERT INTO account (id, email, password_hash, role, created_at) VALUES (?, ?, 'x', 'CUSTOMER', ?)")) {
			insert.setObject(1, id);
			insert.setString(2, email);
			insert.setObject(3, OffsetDateTime.parse("2026-01-01T00:00:00Z").plusDays(day));
			insert.executeUpdate();
		}
		return id;
	}

	private static Context context(Connection connection) {
		return new Context() {

			@Override
			public Configuration getConfiguration() {
				throw new UnsupportedOperationException();
			}

			@Override
			public Connection getConnection() {
				return connection;
			}

		};
	}

}
