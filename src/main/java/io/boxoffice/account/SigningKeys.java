package io.boxoffice.account;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The HMAC key that signs access tokens. A configured key wins; otherwise the first
 * instance to need one stores a random key and every instance reads that same row. Loaded
 * on first use, so an instance starts even while the database is away.
 */
@Component
class SigningKeys {

	private static final String ALGORITHM = "HmacSHA256";

	private static final int KEY_BYTES = 32;

	private final JdbcClient jdbc;

	private final Clock clock;

	private volatile @Nullable SecretKey current;

	private final List<SecretKey> previous;

	SigningKeys(JdbcClient jdbc, Clock clock, AuthProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.current = (properties.signingKey() != null) ? configured(properties.signingKey()) : null;
		this.previous = properties.previousSigningKeys().stream().map(SigningKeys::configured).toList();
	}

	/** Keys tokens are still accepted from during a rotation; never used to sign. */
	List<SecretKey> previous() {
		return this.previous;
	}

	SecretKey current() {
		SecretKey key = this.current;
		if (key == null) {
			synchronized (this) {
				key = this.current;
				if (key == null) {
					key = new SecretKeySpec(loadOrCreate(), ALGORITHM);
					this.current = key;
				}
			}
		}
		return key;
	}

	private byte[] loadOrCreate() {
		byte[] candidate = new byte[KEY_BYTES];
		new SecureRandom().nextBytes(candidate);
		this.jdbc.sql("""
				INSERT INTO signing_key (id, secret, created_at) VALUES ('default', :secret, :now)
				ON CONFLICT (id) DO NOTHING
				""").param("secret", candidate).param("now", Sql.timestamp(this.clock.instant())).update();
		return this.jdbc.sql("SELECT secret FROM signing_key WHERE id = 'default'").query(byte[].class).single();
	}

	private static SecretKey configured(String base64) {
		byte[] bytes = Base64.getDecoder().decode(base64);
		if (bytes.length < KEY_BYTES) {
			throw new IllegalStateException("boxoffice.auth signing keys must decode to at least 32 bytes");
		}
		return new SecretKeySpec(bytes, ALGORITHM);
	}

}
