package io.boxoffice.booking.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.boxoffice.booking.BookingProperties;
import io.boxoffice.booking.Views.Replay;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Idempotency-Key (docs/api.md): the key is claimed in the same transaction that holds or
 * books, so a duplicate arriving at the same moment, on any instance, waits on the key's
 * row and then replays the committed answer. A request that fails leaves no record: it
 * changed nothing, so its retry is simply tried again.
 */
@Component
public class Idempotency {

	private static final Logger log = LoggerFactory.getLogger(Idempotency.class);

	private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

	private final JdbcClient jdbc;

	private final Clock clock;

	private final BookingProperties properties;

	Idempotency(JdbcClient jdbc, Clock clock, BookingProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
	}

	/** A key as the client sent it, checked: 1..255 printable ASCII characters. */
	public static @Nullable String checkedKey(@Nullable String key) {
		if (key != null && !VALID_KEY.matcher(key).matches()) {
			throw BoxofficeException.invalid("Idempotency-Key", "must be 1 to 255 printable ASCII characters");
		}
		return key;
	}

	/** The fingerprint of what was asked: the operation and its canonical body. */
	public static String fingerprint(String operation, String canonicalBody) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest((operation + "\n" + canonicalBody).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Claims the key for this request inside the current transaction, or returns the
	 * answer a committed request with the same key got. Waits while another transaction
	 * holds the key.
	 * @throws BoxofficeException IDEMPOTENCY_KEY_REUSED if the key came with another ask
	 */
	public Optional<Replay> claim(UUID accountId, String key, String fingerprint) {
		int claimed = this.jdbc
			.sql("""
					INSERT INTO idempotency_record (account_id, idempotency_key, request_hash, status, response_body, created_at)
					VALUES (:accountId, :key, :fingerprint, 0, '', :now)
					ON CONFLICT (account_id, idempotency_key) DO NOTHING
					""")
			.param("accountId", accountId)
			.param("key", key)
			.param("fingerprint", fingerprint)
			.param("now", Sql.timestamp(this.clock.instant()))
			.update();
		if (claimed == 1) {
			return Optional.empty();
		}
		Stored stored = this.jdbc.sql("""
				SELECT request_hash, status, response_body, location FROM idempotency_record
				 WHERE account_id = :accountId AND idempotency_key = :key
				""")
			.param("accountId", accountId)
			.param("key", key)
			.query((rs, n) -> new Stored(rs.getString("request_hash"),
					new Replay(rs.getInt("status"), rs.getString("response_body"), rs.getString("location"))))
			.single();
		if (!stored.fingerprint().equals(fingerprint)) {
			throw new BoxofficeException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
					"This Idempotency-Key was used with a different request");
		}
		return Optional.of(stored.replay());
	}

	/**
	 * Claims several keys with one statement, in the order given (the lock order of the
	 * caller), inside the current transaction, each with the answer its request gets if
	 * it is not refused (a refused one is forgotten): the group commit's claim, which
	 * writes each key's row once. Waits while another transaction holds one of them.
	 * @return the keys claimed now; each of the others was taken before, and
	 * {@link #claim} tells its answer
	 */
	public Set<KeyOf> claimAll(List<Claim> claims) {
		if (claims.isEmpty()) {
			return Set.of();
		}
		List<KeyOf> claimed = this.jdbc
			.sql("""
					INSERT INTO idempotency_record (account_id, idempotency_key, request_hash, status, response_body, location, created_at)
					SELECT account_id, idempotency_key, request_hash, status, response_body, location, :now
					  FROM unnest(CAST(:accounts AS uuid[]), CAST(:keys AS text[]), CAST(:fingerprints AS text[]),
					              CAST(:statuses AS int[]), CAST(:bodies AS text[]), CAST(:locations AS text[]))
					       AS claim (account_id, idempotency_key, request_hash, status, response_body, location)
					ON CONFLICT (account_id, idempotency_key) DO NOTHING
					RETURNING account_id, idempotency_key
					""")
			.param("accounts", claims.stream().map(Claim::accountId).toArray(UUID[]::new))
			.param("keys", claims.stream().map(Claim::key).toArray(String[]::new))
			.param("fingerprints", claims.stream().map(Claim::fingerprint).toArray(String[]::new))
			.param("statuses", claims.stream().map(claim -> claim.answer().status()).toArray(Integer[]::new))
			.param("bodies", claims.stream().map(claim -> claim.answer().body()).toArray(String[]::new))
			.param("locations", claims.stream().map(claim -> claim.answer().location()).toArray(String[]::new))
			.param("now", Sql.timestamp(this.clock.instant()))
			.query((rs, n) -> new KeyOf(rs.getObject("account_id", UUID.class), rs.getString("idempotency_key")))
			.list();
		return Set.copyOf(claimed);
	}

	/**
	 * Drops keys claimed in this transaction for requests refused while the transaction
	 * goes on for others, with one statement.
	 */
	public void forgetAll(List<KeyOf> keys) {
		if (keys.isEmpty()) {
			return;
		}
		this.jdbc.sql("""
				DELETE FROM idempotency_record AS r
				 USING unnest(CAST(:accounts AS uuid[]), CAST(:keys AS text[])) AS f (account_id, idempotency_key)
				 WHERE r.account_id = f.account_id AND r.idempotency_key = f.idempotency_key
				""")
			.param("accounts", keys.stream().map(KeyOf::accountId).toArray(UUID[]::new))
			.param("keys", keys.stream().map(KeyOf::key).toArray(String[]::new))
			.update();
	}

	/** Whether a committed request with this key was answered (its answer is stored). */
	public boolean answered(UUID accountId, String key) {
		return this.jdbc.sql("""
				SELECT count(*) FROM idempotency_record
				 WHERE account_id = :accountId AND idempotency_key = :key AND status > 0
				""").param("accountId", accountId).param("key", key).query(Long.class).single() > 0;
	}

	/**
	 * Records the answers of keys claimed in this transaction, with one statement.
	 */
	public void completeAll(Map<KeyOf, Replay> answers) {
		if (answers.isEmpty()) {
			return;
		}
		List<Map.Entry<KeyOf, Replay>> rows = List.copyOf(answers.entrySet());
		this.jdbc.sql("""
				UPDATE idempotency_record AS r SET status = a.status, response_body = a.body, location = a.location
				  FROM unnest(CAST(:accounts AS uuid[]), CAST(:keys AS text[]), CAST(:statuses AS int[]),
				              CAST(:bodies AS text[]), CAST(:locations AS text[]))
				       AS a (account_id, idempotency_key, status, body, location)
				 WHERE r.account_id = a.account_id AND r.idempotency_key = a.idempotency_key
				""")
			.param("accounts", rows.stream().map(row -> row.getKey().accountId()).toArray(UUID[]::new))
			.param("keys", rows.stream().map(row -> row.getKey().key()).toArray(String[]::new))
			.param("statuses", rows.stream().map(row -> row.getValue().status()).toArray(Integer[]::new))
			.param("bodies", rows.stream().map(row -> row.getValue().body()).toArray(String[]::new))
			.param("locations", rows.stream().map(row -> row.getValue().location()).toArray(String[]::new))
			.update();
	}

	/** Records the answer for the key claimed in this transaction. */
	public void complete(UUID accountId, String key, Replay answer) {
		this.jdbc.sql("""
				UPDATE idempotency_record SET status = :status, response_body = :body, location = :location
				 WHERE account_id = :accountId AND idempotency_key = :key
				""")
			.param("status", answer.status())
			.param("body", answer.body())
			.param("location", answer.location())
			.param("accountId", accountId)
			.param("key", key)
			.update();
	}

	/** Forgets keys past their retention; safe on every instance at once. */
	@Scheduled(fixedDelayString = "${boxoffice.booking.idempotency-purge-interval:PT10M}", initialDelayString = "PT1M")
	@Transactional
	public void purge() {
		Instant before = this.clock.instant().minus(this.properties.idempotencyRetention());
		int purged = this.jdbc.sql("DELETE FROM idempotency_record WHERE created_at < :before")
			.param("before", Sql.timestamp(before))
			.update();
		if (purged > 0) {
			log.info("Purged {} idempotency keys older than {}", purged, before);
		}
	}

	/** A customer's key. */
	public record KeyOf(UUID accountId, String key) {
	}

	/**
	 * A key to claim for a request: whose, which, the fingerprint of what was asked, and
	 * the answer it gets.
	 */
	public record Claim(UUID accountId, String key, String fingerprint, Replay answer) {
	}

	private record Stored(String fingerprint, Replay replay) {
	}

}
