package io.boxoffice.account;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Role;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Service;

/** Registration and login. */
@Service
public class AccountService {

	static final String ISSUER = "boxoffice";

	/** bcrypt reads no further than this. */
	private static final int MAX_PASSWORD_BYTES = 72;

	private final AccountRepository accounts;

	private final PasswordEncoder passwords;

	private final JwtEncoder tokens;

	private final AuthProperties properties;

	private final LoginThrottle throttle;

	private final Clock clock;

	/**
	 * Compared against when the email is unknown, so a login takes as long either way.
	 */
	private final String unknownAccountHash;

	AccountService(AccountRepository accounts, PasswordEncoder passwords, JwtEncoder tokens, AuthProperties properties,
			LoginThrottle throttle, Clock clock) {
		this.accounts = accounts;
		this.passwords = passwords;
		this.tokens = tokens;
		this.properties = properties;
		this.throttle = throttle;
		this.clock = clock;
		this.unknownAccountHash = hash(passwords, UUID.randomUUID().toString());
	}

	public Account register(String email, String password, Role role) {
		if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
			throw BoxofficeException.invalid("password", "must be at most " + MAX_PASSWORD_BYTES + " bytes");
		}
		Account account = new Account(UUID.randomUUID(), email.strip(), role);
		String hash = hash(this.passwords, password);
		if (!this.accounts.insert(account, hash, this.clock.instant())) {
			throw new BoxofficeException(ErrorCode.EMAIL_TAKEN, "An account with this email already exists");
		}
		return account;
	}

	/**
	 * A token for the right email and password. One answer for an unknown email and a
	 * wrong password, after the same password hashing work; throttled per email and per
	 * client address (429 with Retry-After).
	 */
	public AccessToken issueToken(String email, String password, String clientAddress) {
		this.throttle.check(email, clientAddress);
		var stored = this.accounts.findByEmail(email.strip());
		String hash = stored.map(AccountRepository.StoredAccount::passwordHash).orElse(this.unknownAccountHash);
		boolean matches = this.passwords.matches(password, hash);
		if (stored.isEmpty() || !matches) {
			this.throttle.failed(email, clientAddress);
			throw new BoxofficeException(ErrorCode.BAD_CREDENTIALS, "Email or password is wrong");
		}
		this.throttle.succeeded(email);
		Account account = stored.get().account();
		Instant now = this.clock.instant();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(ISSUER)
			.subject(account.id().toString())
			.claim("role", account.role().name())
			.issuedAt(now)
			.expiresAt(now.plus(this.properties.tokenTtl()))
			.build();
		String token = this.tokens.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
			.getTokenValue();
		return new AccessToken(token, this.properties.tokenTtl().toSeconds());
	}

	/** A signed bearer token and its lifetime in seconds. */
	public record AccessToken(String value, long expiresIn) {
	}

	/** Spring Security's encoders return null only for a null password. */
	private static String hash(PasswordEncoder passwords, String password) {
		String hash = passwords.encode(password);
		if (hash == null) {
			throw new IllegalStateException("The password encoder returned no hash");
		}
		return hash;
	}

}
