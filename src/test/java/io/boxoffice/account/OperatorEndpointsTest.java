package io.boxoffice.account;

import java.util.Map;

import io.boxoffice.support.Api.Response;
import io.boxoffice.support.Loopback;
import io.boxoffice.support.SecondInstance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator endpoints answer only the operators' addresses, and a client cannot claim one
 * with X-Forwarded-For unless it is a configured proxy. Each instance here allows only
 * 192.0.2.0/24 (a documentation range), so loopback is a stranger.
 */
class OperatorEndpointsTest {

	private static final String OPERATORS = "boxoffice.ops.allowed-addresses=192.0.2.0/24";

	@Test
	void prometheusIsForbiddenToOthersEvenWithAForgedForwardedAddress() {
		try (SecondInstance instance = new SecondInstance(OPERATORS)) {
			Loopback stranger = new Loopback("127.0.0.6", instance.port());

			Response plain = stranger.get("/actuator/prometheus", null, Map.of());
			Response forged = stranger.get("/actuator/prometheus", null, Map.of("X-Forwarded-For", "192.0.2.7"));
			Response consistency = stranger.get("/actuator/consistency", null, Map.of("X-Forwarded-For", "192.0.2.7"));

			for (Response response : new Response[] { plain, forged, consistency }) {
				assertThat(response.status()).as(response.body()).isEqualTo(403);
				assertThat(response.header("Content-Type")).startsWith("application/problem+json");
				assertThat(response.code()).isEqualTo("FORBIDDEN");
				assertThat(response.json().get("detail").asString())
					.isEqualTo("Operator endpoints answer only the operators' addresses");
				assertThat(response.body()).doesNotContain("jvm_", "boxoffice_");
			}
			Response withToken = stranger.get("/actuator/prometheus", instance.api().customer(), Map.of());
			assertThat(withToken.status()).isEqualTo(403);
			assertThat(withToken.code()).isEqualTo("FORBIDDEN");
		}
	}

	@Test
	void aTrustedProxysForwardedAddressIsHonoured() {
		try (SecondInstance instance = new SecondInstance(OPERATORS,
				"server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1")) {
			Loopback proxy = new Loopback("127.0.0.1", instance.port());
			Loopback notAProxy = new Loopback("127.0.0.7", instance.port());

			Response forwarded = proxy.get("/actuator/prometheus", null, Map.of("X-Forwarded-For", "192.0.2.7"));
			Response direct = proxy.get("/actuator/prometheus", null, Map.of());
			Response forgedByAClient = notAProxy.get("/actuator/prometheus", null,
					Map.of("X-Forwarded-For", "192.0.2.7"));

			assertThat(forwarded.status()).isEqualTo(200);
			assertThat(forwarded.body()).contains("jvm_memory_used_bytes");
			assertThat(direct.status()).isEqualTo(403);
			assertThat(forgedByAClient.status()).isEqualTo(403);
		}
	}

}
