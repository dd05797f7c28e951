package io.boxoffice.account;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.boxoffice.support.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Key rotation: tokens of the previous key stay valid until they expire, others never.
 */
class RotatingJwtDecoderTest {

	private final SecretKey current = key();

	private final SecretKey previous = key();

	private final RotatingJwtDecoder decoder = new RotatingJwtDecoder(() -> this.current, List.of(this.previous));

	@Test
	void acceptsTokensOfTheCurrentAndThePreviousKey() {
		assertThat(this.decoder.decode(token(this.current, AccountService.ISSUER, 60)).getSubject()).isEqualTo("ana");
		assertThat(this.decoder.decode(token(this.previous, AccountService.ISSUER, 60)).getSubject()).isEqualTo("ana");
	}

	@Test
	void refusesAnUnknownKeyAnExpiredTokenAndAnotherIssuer() {
		assertThatThrownBy(() -> this.decoder.decode(token(key(), AccountService.ISSUER, 60)))
			.isInstanceOf(BadJwtException.class)
			.hasMessageContaining("signature");
		assertThatThrownBy(() -> this.decoder.decode(token(this.previous, AccountService.ISSUER, -120)))
			.isInstanceOf(BadJwtException.class)
			.hasMessageContaining("expired");
		assertThatThrownBy(() -> this.decoder.decode(token(this.current, "someone-else", 60)))
			.isInstanceOf(BadJwtException.class);
	}

	@Test
	void aTokenVerifiedBeforeIsStillRefusedOnceItHasExpired() {
		MutableClock clock = new MutableClock(Instant.now());
		RotatingJwtDecoder remembering = new RotatingJwtDecoder(() -> this.current, List.of(), clock);
		String token = token(this.current, AccountService.ISSUER, 60);
		assertThat(remembering.decode(token).getSubject()).isEqualTo("ana");
		assertThat(remembering.decode(token).getSubject()).isEqualTo("ana");

		// past the expiry and the 60 s of clock skew the validator allows
		clock.advance(121);
		assertThatThrownBy(() -> remembering.decode(token)).isInstanceOf(BadJwtException.class)
			.hasMessageContaining("expired");
		assertThatThrownBy(() -> remembering.decode(token)).isInstanceOf(BadJwtException.class)
			.hasMessageContaining("expired");
	}

	@Test
	void aRememberedTokenIsOnlyTheExactTextThatWasVerified() {
		String token = token(this.current, AccountService.ISSUER, 60);
		assertThat(this.decoder.decode(token).getSubject()).isEqualTo("ana");
		String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
		assertThatThrownBy(() -> this.decoder.decode(tampered)).isInstanceOf(BadJwtException.class);
	}

	@Test
	void withoutPreviousKeysOnlyTheCurrentOneCounts() {
		RotatingJwtDecoder rotated = new RotatingJwtDecoder(() -> this.current, List.of());
		assertThatThrownBy(() -> rotated.decode(token(this.previous, AccountService.ISSUER, 60)))
			.isInstanceOf(BadJwtException.class);
	}

	private static String token(SecretKey key, String issuer, long secondsValid) {
		NimbusJwtEncoder encoder = new NimbusJwtEncoder((selector, context) -> selector
			.select(new JWKSet(new OctetSequenceKey.Builder(key).algorithm(JWSAlgorithm.HS256).build())));
		Instant now = Instant.now();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(issuer)
			.subject("ana")
			.claim("role", "CUSTOMER")
			.issuedAt(now.minusSeconds(Math.max(0, -secondsValid) + 1))
			.expiresAt(now.plusSeconds(secondsValid))
			.build();
		return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
			.getTokenValue();
	}

	private static SecretKey key() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return new SecretKeySpec(bytes, "HmacSHA256");
	}

}
