package io.boxoffice.shared.database;

import java.io.IOException;
import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With no {@code spring.datasource.url} the service brings its own PostgreSQL: real
 * server binaries from Maven Central, data kept in
 * {@code boxoffice.embedded-database.data-dir} ({@code ./data}) across restarts and
 * crashes ({@link EmbeddedServer}). Same engine, migrations and SQL as a real server, and
 * the same durability.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.datasource.url", havingValue = "embedded", matchIfMissing = true)
class EmbeddedDatabaseConfiguration {

	@Bean(destroyMethod = "close")
	EmbeddedServer embeddedServer(EmbeddedDatabaseProperties properties) throws IOException {
		return EmbeddedServer.start(properties.dataDir().toAbsolutePath(), properties.port());
	}

	@Bean
	@ConfigurationProperties("spring.datasource.hikari")
	HikariDataSource dataSource(EmbeddedServer server) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(server.jdbcUrl());
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
