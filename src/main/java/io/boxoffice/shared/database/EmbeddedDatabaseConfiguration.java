package io.boxoffice.shared.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With no {@code spring.datasource.url} the service brings its own PostgreSQL: real
 * server binaries from Maven Central, data kept in
 * {@code boxoffice.embedded-database.data-dir} ({@code ./data}) across restarts. Same
 * engine, migrations and SQL as a real server, and the same durability: the library
 * starts its server with {@code fsync} and {@code synchronous_commit} off (fast for
 * tests), which would answer a booking before its commit is on disk and could lose it, or
 * corrupt the data, in a crash. Both are turned on again.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.datasource.url", havingValue = "embedded", matchIfMissing = true)
class EmbeddedDatabaseConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

	@Bean(destroyMethod = "close")
	EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseProperties properties) throws IOException {
		Path dataDir = properties.dataDir().toAbsolutePath();
		Files.createDirectories(dataDir);
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
			.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			.setServerConfig("fsync", "on")
			.setServerConfig("synchronous_commit", "on");
		if (properties.port() > 0) {
			builder.setPort(properties.port());
		}
		EmbeddedPostgres postgres = builder.start();
		log.info("Embedded PostgreSQL on port {} with data in {}", postgres.getPort(), dataDir);
		return postgres;
	}

	@Bean
	@ConfigurationProperties("spring.datasource.hikari")
	HikariDataSource dataSource(EmbeddedPostgres postgres) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
		dataSource.setUsername("postgres");
		return dataSource;
	}

	/**
	 * @param dataDir where the embedded server keeps its files
	 * @param port the embedded server's port; 0 picks a free one
	 */
	@ConfigurationProperties("boxoffice.embedded-database")
	record EmbeddedDatabaseProperties(@DefaultValue("./data") Path dataDir, @DefaultValue("0") int port) {
	}

}
