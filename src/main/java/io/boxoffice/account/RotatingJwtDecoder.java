package io.boxoffice.account;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import javax.crypto.SecretKey;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Verifies a token with the current signing key, then with each previous key still
 * accepted during a rotation (docs/security.md). Expiry and issuer are checked whichever
 * key verified the signature. Keys are resolved on first use, so the service starts while
 * the database is away.
 */
final class RotatingJwtDecoder implements JwtDecoder {

	private final Supplier<SecretKey> current;

	private final List<SecretKey> previous;

	private volatile @Nullable List<JwtDecoder> decoders;

	RotatingJwtDecoder(Supplier<SecretKey> current, List<SecretKey> previous) {
		this.current = current;
		this.previous = List.copyOf(previous);
	}

	@Override
	public Jwt decode(String token) {
		List<JwtDecoder> all = decoders();
		BadJwtException first = null;
		for (JwtDecoder decoder : all) {
			try {
				return decoder.decode(token);
			}
			catch (BadJwtException ex) {
				if (first == null) {
					first = ex;
				}
				if (!ex.getMessage().contains("signature")) {
					// expired, wrong issuer, malformed: no other key makes it valid
					throw ex;
				}
			}
		}
		throw first;
	}

	private List<JwtDecoder> decoders() {
		List<JwtDecoder> all = this.decoders;
		if (all == null) {
			all = new ArrayList<>();
			all.add(decoder(this.current.get()));
			this.previous.stream().map(RotatingJwtDecoder::decoder).forEach(all::add);
			all = List.copyOf(all);
			this.decoders = all;
		}
		return all;
	}

	private static JwtDecoder decoder(SecretKey key) {
		NimbusJwtDecoder nimbus = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
		nimbus.setJwtValidator(JwtValidators.createDefaultWithIssuer(AccountService.ISSUER));
		return nimbus;
	}

}
