package io.boxoffice.shared.web;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import io.boxoffice.support.Loopback;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every response carries the security headers: successes, refusals and errors alike. */
class SecurityHeadersTest extends IntegrationTest {

	@Test
	void everyKindOfApiResponseCarriesTheHeaders() {
		List<Response> responses = List
			.of(this.api.get("/api/v1/events", null).expectStatus(200),
					this.api.get("/api/v1/bookings", null).expectStatus(401),
					this.api.get("/api/v1/bookings", this.api.organizer()).expectStatus(403),
					this.api.get("/api/v1/events/" + java.util.UUID.randomUUID(), null).expectStatus(404),
					this.api.post("/api/v1/auth/token", null, "{not json").expectStatus(400),
					this.api.send(this.api.request("/api/v1/accounts", null)
						.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString("x".repeat(1024 * 1024 + 1)))
						.build()).expectStatus(413),
					this.api.get("/actuator/health", null).expectStatus(200));

		for (Response response : responses) {
			assertThat(response.headers().get("content-security-policy")).as(response.toString())
				.containsExactly("default-src 'none'; frame-ancestors 'none'");
			assertThat(response.headers().get("referrer-policy")).containsExactly("no-referrer");
			assertThat(response.headers().get("x-content-type-options")).containsExactly("nosniff");
			assertThat(response.headers().get("x-frame-options")).containsExactly("DENY");
		}
	}

	@Test
	void tomcatsOwnRefusalsCarryTheHeadersToo() {
		Loopback client = new Loopback("127.0.0.1", port());
		List<Response> responses = List.of(
				client.send("GET", "/api/v1/events/a%2Fb", null, Map.of(), "").expectStatus(400),
				client.send("TRACE", "/api/v1/events", null, Map.of(), "").expectStatus(405),
				client.send("GET", "/api/v1/events/%zz", null, Map.of(), "").expectStatus(400));

		for (Response response : responses) {
			assertThat(response.header("Content-Type")).as(response.toString()).startsWith("application/problem+json");
			assertThat(response.headers().get("content-security-policy")).as(response.toString())
				.containsExactly("default-src 'none'; frame-ancestors 'none'");
			assertThat(response.headers().get("referrer-policy")).containsExactly("no-referrer");
			assertThat(response.headers().get("x-content-type-options")).containsExactly("nosniff");
			assertThat(response.headers().get("x-frame-options")).containsExactly("DENY");
			assertThat(response.headers().get("cross-origin-resource-policy")).containsExactly("same-origin");
		}
	}

	@Test
	void theSwaggerPageMayRunItsOwnScriptsButNothingElse() {
		Response ui = this.api.get("/swagger-ui/index.html", null).expectStatus(200);

		assertThat(ui.header("Content-Security-Policy")).isEqualTo(SecurityHeadersFilter.UI_POLICY)
			.doesNotContain("unsafe-eval")
			.contains("default-src 'self'");
		assertThat(ui.header("Referrer-Policy")).isEqualTo("no-referrer");
	}

}
