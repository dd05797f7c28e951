package io.boxoffice.account;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.crypto.SecretKey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Verifies a token with the current signing key, then with each previous key still
 * accepted during a rotation (docs/security.md). Expiry and issuer are checked whichever
 * key verified the signature. Keys are resolved on first use, so the service starts while
 * the database is away.
 *
 * <p>
 * A token whose signature was verified is remembered by its exact text for a few minutes:
 * a buyer sends the same token with every request, and parsing and verifying it again
 * cost more than the rest of the security chain. Expiry and issuer are still checked on
 * every use.
 */
final class RotatingJwtDecoder implements JwtDecoder {

	/**
	 * Tokens remembered at most: an on-sale's line of tens of thousands of buyers, each
	 * with a token of its own that it sends to join, to listen and to buy.
	 */
	private static final int MAX_VERIFIED = 50_000;

	private final Cache<String, Jwt> verified = Caffeine.newBuilder()
		.maximumSize(MAX_VERIFIED)
		.expireAfterWrite(Duration.ofMinutes(5))
		.build();

	private final Supplier<SecretKey> current;

	private final List<SecretKey> previous;

	private final OAuth2TokenValidator<Jwt> validator;

	private volatile @Nullable List<JwtDecoder> decoders;

	RotatingJwtDecoder(Supplier<SecretKey> current, List<SecretKey> previous) {
		this(current, previous, Clock.systemUTC());
	}

	RotatingJwtDecoder(Supplier<SecretKey> current, List<SecretKey> previous, Clock clock) {
		this.current = current;
		this.previous = List.copyOf(previous);
		JwtTimestampValidator timestamps = new JwtTimestampValidator();
		timestamps.setClock(clock);
		this.validator = JwtValidators.createDefaultWithValidators(timestamps,
				new JwtIssuerValidator(AccountService.ISSUER));
	}

	@Override
	public Jwt decode(String token) {
		Jwt known = this.verified.getIfPresent(token);
		if (known == null) {
			Jwt jwt = verify(token);
			this.verified.put(token, jwt);
			return jwt;
		}
		OAuth2TokenValidatorResult result = this.validator.validate(known);
		if (result.hasErrors()) {
			this.verified.invalidate(token);
			throw new JwtValidationException(result.getErrors().iterator().next().getDescription(), result.getErrors());
		}
		return known;
	}

	private Jwt verify(String token) {
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
				String message = ex.getMessage();
				if (message == null || !message.contains("signature")) {
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
			this.previous.stream().map(this::decoder).forEach(all::add);
			all = List.copyOf(all);
			this.decoders = all;
		}
		return all;
	}

	private JwtDecoder decoder(SecretKey key) {
		NimbusJwtDecoder nimbus = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
		nimbus.setJwtValidator(this.validator);
		// the issuer is a name, not a URL: the default converter's attempt to read it as
		// one threw and caught an exception for every token verified (2 % of the cores
		// while an on-sale's line joined, each buyer with a token of its own)
		nimbus
			.setClaimSetConverter(MappedJwtClaimSetConverter.withDefaults(Map.of(JwtClaimNames.ISS, issuer -> issuer)));
		return nimbus;
	}

}
