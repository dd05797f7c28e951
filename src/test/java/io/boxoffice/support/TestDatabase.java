package io.boxoffice.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One real PostgreSQL for the whole test run (the same embedded server the service uses
 * by default, in a fresh directory), shared by every application context the tests start,
 * so that two contexts are two instances on one database. It keeps the library's
 * {@code fsync} and {@code synchronous_commit} off: the tests check what is committed,
 * not what survives a power cut, and the service's own embedded server turns both on
 * ({@code EmbeddedDatabaseDefaultTest}).
 */
public final class TestDatabase {

	private static EmbeddedPostgres postgres;

	private TestDatabase() {
	}

	public static synchronized String jdbcUrl() {
		if (postgres == null) {
			try {
				postgres = EmbeddedPostgres.builder()
					.setDataDirectory(Files.createTempDirectory("boxoffice-test-pg"))
					.setCleanDataDirectory(true)
					.setServerConfig("max_connections", "300")
					.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					postgres.close();
				}
				catch (IOException ex) {
					// the JVM is going away; the temp directory goes with the OS
				}
			}));
		}
		return postgres.getJdbcUrl("postgres", "postgres");
	}

	/** Points a context at the shared test database. */
	public static class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			TestPropertyValues.of(properties()).applyTo(context);
		}

	}

	public static String[] properties() {
		return new String[] { "spring.datasource.url=" + jdbcUrl(), "spring.datasource.username=postgres",
				"spring.datasource.password=" };
	}

}
