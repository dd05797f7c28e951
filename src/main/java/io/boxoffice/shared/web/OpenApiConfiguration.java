package io.boxoffice.shared.web;

import io.boxoffice.shared.Caller;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The description at the top of {@code /v3/api-docs}: conventions that hold for every
 * operation. Each operation's security and problem answers are added by
 * {@link ProblemDocumentation}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static {
		// the caller comes from the bearer token, not from the request's parameters
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
	}

	@Bean
	OpenAPI boxofficeApi() {
		return new OpenAPI()
			.info(new Info().title("Boxoffice API")
				.version("1")
				.description("""
						Ticket booking: organizers publish events with general-admission pools and reserved seats;
						customers hold tickets for a few minutes and confirm, or book in one step, and may cancel.

						Conventions: JSON bodies of at most 1 MiB (413 PAYLOAD_TOO_LARGE beyond); times are ISO-8601
						instants in UTC; ids are opaque strings; money is {"amount": "25.00", "currency": "EUR"}.
						Integer fields take integers only: 1.5, "2" or true is 400 MALFORMED_REQUEST. Unknown JSON
						members are ignored. Lists take ?page= (from 0) and ?size= (1..100; beyond: 400).
						Errors are application/problem+json (RFC 9457) with a string member `code`. Each operation
						lists the statuses and codes it may answer; some codes carry more members (`errors`,
						`available`, `seats`, ...: see the Problem schema). 429 and 503 answers carry Retry-After.
						503 OVERLOADED and UNAVAILABLE mean nothing was held or booked; 503 OUTCOME_UNKNOWN means
						the database went away while committing and whether it took could not be learned in time:
						retry with the same Idempotency-Key, or read your bookings.

						Idempotency-Key (1..255 printable ASCII) on POSTs that hold, book or confirm: the first
						successful answer is replayed for 24 hours with Idempotent-Replayed: true; a request that
						failed left no record and is simply tried again; the same key with another body is 422.

						Choices where the contract is silent: a path id that is not an id of ours is 404; releasing
						a confirmed hold is 409 HOLD_CONFIRMED; confirming a confirmed hold answers its booking again;
						an event's times may lie in the past (its sales window is then simply closed); all
						categories of an event share one currency; passwords are 8 to 72 bytes (bcrypt's limit).
						""")
				.contact(new Contact().name("Boxoffice maintainers"))
				.license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0")))
			// relative: the document is served by the service it describes
			.addServersItem(new Server().url("/").description("The service that serves this document"))
			.components(new Components().addSecuritySchemes(ProblemDocumentation.BEARER,
					new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("bearer")
						.bearerFormat("JWT")
						.description("An accessToken from POST /api/v1/auth/token, valid for expiresIn seconds")));
	}

}
