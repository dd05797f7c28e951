package io.boxoffice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.boxoffice.support.Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no database configured the service brings its own PostgreSQL, and what it stored
 * is still there after a restart on the same data directory.
 */
class EmbeddedDatabaseDefaultTest {

	@TempDir
	Path dataDir;

	@Test
	void startsAnEmbeddedPostgresWhoseDataSurvivesARestart() {
		String email = "restart-" + UUID.randomUUID() + "@example.org";
		String eventId;
		try (ConfigurableApplicationContext app = start()) {
			assertThat(Files.exists(this.dataDir.resolve("PG_VERSION"))).isTrue();
			Api api = api(app);
			assertThat(api.get("/actuator/health", null).expectStatus(200).json().get("status").asString())
				.isEqualTo("UP");
			api.post("/api/v1/accounts", null, Map.of("email", email, "password", "password-123", "role", "ORGANIZER"))
				.expectStatus(201);
			String organizer = api.post("/api/v1/auth/token", null, Map.of("email", email, "password", "password-123"))
				.expectStatus(200)
				.json()
				.get("accessToken")
				.asString();
			eventId = api.gaEvent(organizer, 7);
		}

		try (ConfigurableApplicationContext app = start()) {
			Api api = api(app);
			assertThat(api.get("/actuator/health", null).expectStatus(200).json().get("status").asString())
				.isEqualTo("UP");
			api.post("/api/v1/auth/token", null, Map.of("email", email, "password", "password-123")).expectStatus(200);
			assertThat(api.get("/api/v1/events/" + eventId, null).expectStatus(200).json().get("name").asString())
				.isEqualTo("Race");
			assertThat(api.counts(eventId, "GA")).isEqualTo(new Api.Counts(7, 7, 0, 0));
		}
	}

	/**
	 * The embedded server's library starts it with {@code fsync} and
	 * {@code synchronous_commit} off: a commit would be answered before it is on disk,
	 * and a crash could lose bookings the service had acknowledged.
	 */
	@Test
	void commitsAreOnDiskBeforeTheyAreAcknowledged() {
		try (ConfigurableApplicationContext app = start()) {
			JdbcClient jdbc = JdbcClient.create(app.getBean(DataSource.class));
			assertThat(jdbc.sql("SHOW synchronous_commit").query(String.class).single()).isEqualTo("on");
			assertThat(jdbc.sql("SHOW fsync").query(String.class).single()).isEqualTo("on");
		}
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(BoxofficeApplication.class).run("--server.port=0",
				"--boxoffice.embedded-database.data-dir=" + this.dataDir);
	}

	private static Api api(ConfigurableApplicationContext app) {
		return new Api(((WebServerApplicationContext) app).getWebServer().getPort());
	}

}
