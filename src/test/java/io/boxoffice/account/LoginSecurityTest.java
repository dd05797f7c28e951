package io.boxoffice.account;

import java.util.Map;
import java.util.UUID;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.Loopback;
import io.boxoffice.support.SecondInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password guessing is throttled per account and client address, and per client address,
 * so a guesser cannot lock the owner out; a login never tells whether an email is
 * registered. Runs on an instance of its own with small limits, so its failed logins
 * throttle no other test.
 */
class LoginSecurityTest {

	private static SecondInstance instance;

	private static Api api;

	@BeforeAll
	static void start() {
		instance = new SecondInstance("boxoffice.auth.login-failures-per-account=3",
				"boxoffice.auth.login-failures-per-address=20", "boxoffice.auth.login-window=5m");
		api = instance.api();
	}

	@AfterAll
	static void stop() {
		instance.close();
	}

	@Test
	void throttlesGuessesAtOneAccountEvenWithTheRightPasswordThen() {
		String email = register();
		for (int i = 0; i < 3; i++) {
			Response wrong = login(email, "wrong-password-" + i);
			assertThat(wrong.status()).isEqualTo(401);
			assertThat(wrong.code()).isEqualTo("BAD_CREDENTIALS");
		}

		Response throttled = login(email, "password-123");

		assertThat(throttled.status()).isEqualTo(429);
		assertThat(throttled.code()).isEqualTo("TOO_MANY_REQUESTS");
		assertThat(Integer.parseInt(throttled.header("Retry-After"))).isBetween(1, 300);
		assertThat(login(email.toUpperCase(), "password-123").status()).isEqualTo(429);
		assertThat(login(email.toUpperCase(), "password-123").code()).isEqualTo("TOO_MANY_REQUESTS");
		// another account from the same address is not affected (at most 9 failures in
		// this class < 20)
		assertThat(login(register(), "password-123").status()).isEqualTo(200);
	}

	@Test
	void theOwnerOnAnotherAddressSignsInWhileAGuesserIsThrottled() {
		String email = register();
		Loopback attacker = new Loopback("127.0.0.2", instance.port());
		Loopback owner = new Loopback("127.0.0.3", instance.port());
		for (int i = 0; i < 3; i++) {
			assertThat(attacker.post("/api/v1/auth/token", null, Map.of("email", email, "password", "guess-" + i))
				.status()).isEqualTo(401);
		}
		// any spelling of the account (here a full-width first letter) shares the budget
		Response respelled = attacker.post("/api/v1/auth/token", null,
				Map.of("email", "\uFF2C" + email.substring(1), "password", "guess-3"));
		assertThat(respelled.status()).isEqualTo(429);
		assertThat(respelled.code()).isEqualTo("TOO_MANY_REQUESTS");
		assertThat(
				attacker.post("/api/v1/auth/token", null, Map.of("email", email, "password", "password-123")).status())
			.isEqualTo(429);

		Response ownLogin = owner.post("/api/v1/auth/token", null, Map.of("email", email, "password", "password-123"));

		assertThat(ownLogin.status()).isEqualTo(200);
		assertThat(ownLogin.json().get("tokenType").asString()).isEqualTo("Bearer");
		assertThat(
				attacker.post("/api/v1/auth/token", null, Map.of("email", email, "password", "password-123")).status())
			.isEqualTo(429);
	}

	@Test
	void aSuccessfulLoginClearsTheAccountsFailures() {
		String email = register();
		login(email, "wrong-1").expectStatus(401);
		login(email, "wrong-2").expectStatus(401);
		login(email, "password-123").expectStatus(200);
		login(email, "wrong-3").expectStatus(401);
		login(email, "wrong-4").expectStatus(401);
		assertThat(login(email, "password-123").status()).isEqualTo(200);
	}

	@Test
	void throttlesOneAddressGuessingAcrossManyAccounts() {
		try (SecondInstance fresh = new SecondInstance("boxoffice.auth.login-failures-per-address=4")) {
			Api other = fresh.api();
			for (int i = 0; i < 4; i++) {
				assertThat(login(other, "nobody-" + UUID.randomUUID() + "@example.org", "guess").status())
					.isEqualTo(401);
			}
			Response throttled = login(other, "someone-" + UUID.randomUUID() + "@example.org", "guess");
			assertThat(throttled.status()).isEqualTo(429);
			assertThat(throttled.code()).isEqualTo("TOO_MANY_REQUESTS");
			assertThat(throttled.header("Retry-After")).isNotNull();
		}
	}

	@Test
	void answersAnUnknownEmailExactlyLikeAWrongPassword() {
		String email = register();

		Response wrongPassword = login(email, "not-the-password");
		Response unknownEmail = login("nobody-" + UUID.randomUUID() + "@example.org", "not-the-password");

		assertThat(wrongPassword.status()).isEqualTo(401);
		assertThat(unknownEmail.status()).isEqualTo(401);
		assertThat(unknownEmail.body()).isEqualTo(wrongPassword.body());
		assertThat(wrongPassword.json().get("detail").asString()).isEqualTo("Email or password is wrong");
	}

	private static String register() {
		String email = "login-" + UUID.randomUUID() + "@example.org";
		api.post("/api/v1/accounts", null, Map.of("email", email, "password", "password-123", "role", "CUSTOMER"))
			.expectStatus(201);
		return email;
	}

	private static Response login(String email, String password) {
		return login(api, email, password);
	}

	private static Response login(Api api, String email, String password) {
		return api.post("/api/v1/auth/token", null, Map.of("email", email, "password", password));
	}

}
