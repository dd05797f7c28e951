package io.boxoffice.account;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.boxoffice.shared.Role;
import io.boxoffice.shared.Sql;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class AccountRepository {

	private final JdbcClient jdbc;

	AccountRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @return false when the email is taken (emails are stored canonical,
	 * {@link EmailIdentity})
	 */
	boolean insert(Account account, String passwordHash, Instant createdAt) {
		return this.jdbc.sql("""
				INSERT INTO account (id, email, password_hash, role, created_at)
				VALUES (:id, :email, :hash, :role, :createdAt)
				ON CONFLICT DO NOTHING
				""")
			.param("id", account.id())
			.param("email", account.email())
			.param("hash", passwordHash)
			.param("role", account.role().name())
			.param("createdAt", Sql.timestamp(createdAt))
			.update() == 1;
	}

	/**
	 * @param email the canonical form ({@link EmailIdentity#canonical})
	 */
	Optional<StoredAccount> findByEmail(String email) {
		return this.jdbc.sql("SELECT id, email, role, password_hash FROM account WHERE email = :email")
			.param("email", email)
			.query((rs,
					row) -> new StoredAccount(new Account(rs.getObject("id", UUID.class), rs.getString("email"),
							Role.valueOf(rs.getString("role"))), rs.getString("password_hash")))
			.optional();
	}

	record StoredAccount(Account account, String passwordHash) {
	}

}
