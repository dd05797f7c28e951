package io.boxoffice.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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

	private final AccountRepository accounts;

	private final PasswordEncoder passwords;

	private final JwtEncoder tokens;

	private final AuthProperties properties;

	private final LoginThrottle throttle;

	private final RegistrationLimit registrations;

	private final Clock clock;

	/**
	 * Compared against when the email is unknown, so a login takes as long either way.
	 */
	private final String unknownAccountHash;

	AccountService(AccountRepository accounts, PasswordEncoder passwords, JwtEncoder tokens, AuthProperties properties,
			LoginThrottle throttle, RegistrationLimit registrations, Clock clock) {
		this.accounts = accounts;
		this.passwords = passwords;
		this.tokens = tokens;
		this.properties = properties;
		this.throttle = throttle;
		this.registrations = registrations;
		this.clock = clock;
		this.unknownAccountHash = hash(passwords, UUID.randomUUID().toString());
	}

	/**
	 * A new account, for callers inside the service (no client address to limit).
	 */
	public Account register(String email, String password, Role role) {
		return create(email, password, role);
	}

	/**
	 * A new account for a canonical e-mail and an acceptable password; at most
	 * {@code registrations-per-address-per-minute} attempts per client address.
	 */
	public Account register(String email, String password, Role role, String clientAddress) {
		this.registrations.take(clientAddress);
		return create(email, password, role);
	}

	private Account create(String email, String password, Role role) {
		PasswordPolicy.refusal(password).ifPresent(reason -> {
			throw BoxofficeException.invalid("password", reason);
		});
		EmailIdentity.refusal(email).ifPresent(reason -> {
			throw BoxofficeException.invalid("email", reason);
		});
		Account account = new Account(UUID.randomUUID(), EmailIdentity.canonical(email), role);
		String hash = hash(this.passwords, password);
		if (!this.accounts.insert(account, hash, this.clock.instant())) {
			throw new BoxofficeException(ErrorCode.EMAIL_TAKEN, "An account with this email already exists");
		}
		return account;
	}

	/**
	 * A token for the right email and password. One answer for an unknown email and a
	 * wrong password, after the same password hashing work; throttled per account and
	 * client address, and per client address (429 with Retry-After). The email is looked
	 * up by its canonical form; a spelling registration refuses finds no account.
	 */
	public AccessToken issueToken(String email, String password, String clientAddress) {
		Account account = authenticate(email, password, clientAddress);
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

	/**
	 * A customer's token for no account, valid for a minute: what the service's warm-up
	 * sends to itself to run the path of a sale (authentication included) before it takes
	 * traffic. No account has its subject, so it reaches no one's holds or bookings.
	 */
	public String warmUpToken() {
		Instant now = this.clock.instant();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(ISSUER)
			.subject(UUID.randomUUID().toString())
			.claim("role", Role.CUSTOMER.name())
			.issuedAt(now)
			.expiresAt(now.plus(Duration.ofMinutes(1)))
			.build();
		return this.tokens.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
			.getTokenValue();
	}

	/**
	 * The account of the right email and password, with the checks and throttling of
	 * {@link #issueToken}: the pages' sign-in uses the same accounts and rules.
	 */
	public Account authenticate(String email, String password, String clientAddress) {
		String identity = EmailIdentity.canonical(email);
		this.throttle.check(identity, clientAddress);
		var stored = EmailIdentity.refusal(email).isPresent() ? Optional.<AccountRepository.StoredAccount>empty()
				: this.accounts.findByEmail(identity);
		String hash = stored.map(AccountRepository.StoredAccount::passwordHash).orElse(this.unknownAccountHash);
		boolean matches = this.passwords.matches(password, hash);
		if (stored.isEmpty() || !matches) {
			this.throttle.failed(identity, clientAddress);
			throw new BoxofficeException(ErrorCode.BAD_CREDENTIALS, "Email or password is wrong");
		}
		this.throttle.succeeded(identity, clientAddress);
		return stored.get().account();
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
