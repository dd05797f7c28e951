package io.boxoffice.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC key the bench configures for its instances ({@code boxoffice.auth.signing-key}), and
 * bearer tokens signed with it as the service signs its own: HS256, issuer {@code boxoffice}, the
 * account's id as subject, its role in {@code role}, issued now. Thousands of buyers get a token
 * each without logging in, which registration's limit and bcrypt would make take minutes.
 */
final class Tokens {

	private static final String ISSUER = "boxoffice";

	private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

	/** One key per bench run, at least the 32 bytes the service asks for. */
	private static final byte[] KEY = randomKey();

	private static final String HEADER = URL.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8));

	private Tokens() {
	}

	/** The key as {@code boxoffice.auth.signing-key} takes it. */
	static String signingKey() {
		return Base64.getEncoder().encodeToString(KEY);
	}

	/** A token for the account, valid for {@code ttl}. */
	static String mint(UUID account, String role, Duration ttl) {
		long now = Instant.now().getEpochSecond();
		String claims = "{\"iss\":\"%s\",\"sub\":\"%s\",\"role\":\"%s\",\"iat\":%d,\"exp\":%d}".formatted(ISSUER,
				account, role, now, now + ttl.toSeconds());
		String signed = HEADER + "." + URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
		return signed + "." + URL.encodeToString(hmac(signed));
	}

	private static byte[] hmac(String text) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
			return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] randomKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return key;
	}

}
