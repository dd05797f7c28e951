package io.boxoffice.shared.web;

import java.net.http.HttpRequest;
import java.util.List;

import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
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
	void theSwaggerPageMayRunItsOwnScriptsButNothingElse() {
		Response ui = this.api.get("/swagger-ui/index.html", null).expectStatus(200);

		assertThat(ui.header("Content-Security-Policy")).isEqualTo(SecurityHeadersFilter.UI_POLICY)
			.doesNotContain("unsafe-eval")
			.contains("default-src 'self'");
		assertThat(ui.header("Referrer-Policy")).isEqualTo("no-referrer");
	}

}
