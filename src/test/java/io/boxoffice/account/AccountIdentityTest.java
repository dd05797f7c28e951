package io.boxoffice.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One account per canonical e-mail: look-alike spellings either are that account (by the
 * one normalization) or are refused; weak passwords are refused with the reason.
 */
class AccountIdentityTest extends IntegrationTest {

	private static final String PASSWORD = "password-123";

	@Test
	void storesAndAnswersTheCanonicalSpelling() {
		String tail = UUID.randomUUID() + "@Example.ORG";

		Response created = register("Kiwi-" + tail, PASSWORD).expectStatus(201);

		String canonical = "kiwi-" + tail.toLowerCase();
		assertThat(created.json().get("email").asString()).isEqualTo(canonical);
		assertThat(this.jdbc.sql("SELECT email FROM account WHERE id = :id")
			.param("id", UUID.fromString(created.json().get("id").asString()))
			.query(String.class)
			.single()).isEqualTo(canonical);
	}

	@Test
	void theKelvinSignSpellsTheSameAccount() {
		String tail = "iwi-" + UUID.randomUUID() + "@example.org";
		register("k" + tail, PASSWORD).expectStatus(201);
		long before = accounts();

		Response again = register("\u212A" + tail, PASSWORD);
		Response fullWidth = register("ｋ" + tail, PASSWORD);

		assertThat(again.status()).isEqualTo(409);
		assertThat(again.code()).isEqualTo("EMAIL_TAKEN");
		assertThat(fullWidth.status()).isEqualTo(409);
		assertThat(fullWidth.code()).isEqualTo("EMAIL_TAKEN");
		assertThat(accounts()).isEqualTo(before);
		assertThat(login("\u212A" + tail, PASSWORD).status()).isEqualTo(200);
	}

	@Test
	void aDottedCapitalIIsNeitherANewAccountNorTheOldOne() {
		String tail = "wi-" + UUID.randomUUID() + "@example.org";
		register("ki" + tail, PASSWORD).expectStatus(201);
		long before = accounts();

		Response lookAlike = register("k\u0130" + tail, PASSWORD);

		assertThat(lookAlike.status()).isEqualTo(400);
		assertThat(lookAlike.code()).isEqualTo("VALIDATION_FAILED");
		assertThat(errors(lookAlike)).containsExactly(
				"email: must not contain letters whose case folding leaves a separate accent, such as 'İ'");
		assertThat(accounts()).isEqualTo(before);
		Response signIn = login("k\u0130" + tail, PASSWORD);
		assertThat(signIn.status()).isEqualTo(401);
		assertThat(signIn.code()).isEqualTo("BAD_CREDENTIALS");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\u200B", "\u200D", "\u2060", "\u00AD", "\uFEFF", "\u0430" })
	void anInvisibleOrForeignLetterNeitherRegistersNorSignsIn(String inserted) {
		String email = "kiwi-" + UUID.randomUUID() + "@example.org";
		register(email, PASSWORD).expectStatus(201);
		long before = accounts();
		String lookAlike = "ki" + inserted + email.substring(2);

		Response registered = register(lookAlike, PASSWORD);

		assertThat(registered.status()).isEqualTo(400);
		assertThat(registered.code()).isEqualTo("VALIDATION_FAILED");
		assertThat(registered.json().get("errors").get(0).get("field").asString()).isEqualTo("email");
		assertThat(accounts()).isEqualTo(before);
		assertThat(login(lookAlike, PASSWORD).status()).isEqualTo(401);
	}

	@ParameterizedTest
	@ValueSource(strings = { "12345678", "password1", "qwertyuiop", "PassWord1", "iloveyou", "football" })
	void refusesCommonPasswords(String password) {
		long before = accounts();

		Response response = register(unique(), password);

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
		assertThat(errors(response))
			.containsExactly("password: is one of the most common passwords, which are guessed first; choose another");
		assertThat(accounts()).isEqualTo(before);
	}

	@Test
	void refusesShortAndBlankPasswords() {
		long before = accounts();

		Response spaces = register(unique(), "        ");
		Response tabs = register(unique(), " \u3000 \u2003    ");
		Response shortOne = register(unique(), "x7#kq2");

		assertThat(spaces.status()).isEqualTo(400);
		assertThat(errors(spaces)).containsExactly("password: must not be only spaces");
		assertThat(tabs.status()).isEqualTo(400);
		assertThat(errors(tabs)).containsExactly("password: must not be only spaces");
		assertThat(shortOne.status()).isEqualTo(400);
		assertThat(shortOne.code()).isEqualTo("VALIDATION_FAILED");
		assertThat(shortOne.json().get("errors").get(0).get("field").asString()).isEqualTo("password");
		assertThat(accounts()).isEqualTo(before);
		assertThat(register(unique(), "correct horse battery").status()).isEqualTo(201);
	}

	private Response register(String email, String password) {
		return this.api.post("/api/v1/accounts", null,
				Map.of("email", email, "password", password, "role", "CUSTOMER"));
	}

	private Response login(String email, String password) {
		return this.api.post("/api/v1/auth/token", null, Map.of("email", email, "password", password));
	}

	private long accounts() {
		return this.jdbc.sql("SELECT count(*) FROM account").query(Long.class).single();
	}

	private static List<String> errors(Response response) {
		List<String> errors = new ArrayList<>();
		response.json()
			.get("errors")
			.forEach(error -> errors.add(error.get("field").asString() + ": " + error.get("message").asString()));
		return errors;
	}

	private static String unique() {
		return "weak-" + UUID.randomUUID() + "@example.org";
	}

}
