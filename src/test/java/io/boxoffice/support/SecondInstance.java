package io.boxoffice.support;

import java.util.List;

import io.boxoffice.BoxofficeApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Another instance of the service, in its own application context, on the same database.
 */
public final class SecondInstance implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	public SecondInstance(String... extraProperties) {
		this(List.of(), extraProperties);
	}

	/**
	 * A second instance reading time from {@link TestClock#CLOCK}, with the sweeper of
	 * {@link ClockedIntegrationTest}.
	 */
	public static SecondInstance clocked() {
		return new SecondInstance(List.of(new TestClock.Initializer()), ClockedIntegrationTest.SWEEP_INTERVAL,
				ClockedIntegrationTest.SWEEP_BATCH);
	}

	/**
	 * A second instance that the given initializer prepares, such as with a clock of its
	 * own.
	 */
	public static SecondInstance initializedBy(ApplicationContextInitializer<?> initializer,
			String... extraProperties) {
		return new SecondInstance(List.of(initializer), extraProperties);
	}

	private SecondInstance(List<ApplicationContextInitializer<?>> initializers, String... extraProperties) {
		String[] args = new String[TestDatabase.properties().length + extraProperties.length + 1];
		int i = 0;
		for (String property : TestDatabase.properties()) {
			args[i++] = "--" + property;
		}
		for (String property : extraProperties) {
			args[i++] = "--" + property;
		}
		args[i] = "--server.port=0";
		this.context = new SpringApplicationBuilder(BoxofficeApplication.class)
			.initializers(initializers.toArray(ApplicationContextInitializer[]::new))
			.run(args);
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	public Api api() {
		return new Api(port());
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	@Override
	public void close() {
		this.context.close();
	}

}
