package io.boxoffice.account;

import java.util.Map;
import java.util.UUID;

import io.boxoffice.support.Api.Response;
import io.boxoffice.support.Loopback;
import io.boxoffice.support.SecondInstance;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One address registers a limited number of accounts a minute; other addresses are not
 * affected.
 */
class RegistrationLimitTest {

	@Test
	void refusesAFloodFromOneAddressWithRetryAfter() {
		try (SecondInstance instance = new SecondInstance("boxoffice.auth.registrations-per-address-per-minute=3")) {
			JdbcClient jdbc = instance.context().getBean(JdbcClient.class);
			Loopback flood = new Loopback("127.0.0.4", instance.port());
			for (int i = 0; i < 3; i++) {
				assertThat(register(flood).status()).isEqualTo(201);
			}
			long before = accounts(jdbc);

			Response refused = register(flood);

			assertThat(refused.status()).isEqualTo(429);
			assertThat(refused.code()).isEqualTo("TOO_MANY_REQUESTS");
			assertThat(refused.json().get("detail").asString())
				.isEqualTo("Too many registrations from this address; try again later");
			assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
			assertThat(register(flood).status()).isEqualTo(429);
			assertThat(accounts(jdbc)).isEqualTo(before);
			assertThat(register(new Loopback("127.0.0.5", instance.port())).status()).isEqualTo(201);
		}
	}

	private static Response register(Loopback from) {
		return from.post("/api/v1/accounts", null, Map.of("email", "flood-" + UUID.randomUUID() + "@example.org",
				"password", "password-123", "role", "CUSTOMER"));
	}

	private static long accounts(JdbcClient jdbc) {
		return jdbc.sql("SELECT count(*) FROM account").query(Long.class).single();
	}

}
