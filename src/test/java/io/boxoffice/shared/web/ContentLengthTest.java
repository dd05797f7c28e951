package io.boxoffice.shared.web;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.boxoffice.support.Api.Response;
import io.boxoffice.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API answers go out whole, with their length, not chunked: successes and problems alike.
 */
class ContentLengthTest extends IntegrationTest {

	@Test
	void everyKindOfApiAnswerDeclaresItsLength() {
		String customer = this.api.customer();
		String eventId = this.api.gaEvent(this.api.organizer(), 1);
		List<Response> responses = List.of(book(customer, eventId, 1).expectStatus(201),
				book(customer, eventId, 1).expectStatus(409),
				this.api.get("/api/v1/events/" + eventId, null).expectStatus(200),
				this.api.get("/api/v1/bookings", null).expectStatus(401),
				this.api.post("/api/v1/auth/token", null, "{not json").expectStatus(400));

		for (Response response : responses) {
			assertThat(response.headers()).as(response.toString()).doesNotContainKey("transfer-encoding");
			assertThat(response.header("Content-Length")).as(response.toString())
				.isEqualTo(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length));
		}
	}

}
