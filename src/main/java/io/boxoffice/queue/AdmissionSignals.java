package io.boxoffice.queue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Tells the other instances that an admission let buyers in, the moment it commits, so
 * that those of them listening on another instance's streams are told at once, not at
 * that instance's next admission step (up to two steps, ≈ half a second, later). An
 * admission sends a PostgreSQL {@code NOTIFY} in its own transaction (one per admission,
 * not per sale); each instance listens on a connection of its own, apart from the pool,
 * and reads the event's passes when it hears one. A signal that never arrives (the
 * connection lost, the database restarting) costs nothing but time: the admission step
 * reads the passes anyway, and the listener connects again.
 */
@Component
class AdmissionSignals implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(AdmissionSignals.class);

	static final String CHANNEL = "boxoffice_queue_admitted";

	/**
	 * How long the listener waits for a signal before it looks whether it should stop.
	 */
	private static final int POLL_MILLIS = 1_000;

	/**
	 * How often the listener asks its connection whether it is still to the primary: a
	 * connection may die without a word, or its server may have become a replica in a
	 * failover, where no signal is sent.
	 */
	private static final Duration CHECK_EVERY = Duration.ofSeconds(30);

	/** The longest pause before connecting again after a failure. */
	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	/** This instance's name in its signals, so that it ignores its own. */
	private final String instance = UUID.randomUUID().toString();

	private final DataSource dataSource;

	private volatile Consumer<UUID> heard = eventId -> {
	};

	private volatile boolean running;

	private @Nullable Thread listener;

	AdmissionSignals(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/** What this instance does when another one admitted buyers to an event. */
	void onAdmissionElsewhere(Consumer<UUID> heard) {
		this.heard = heard;
	}

	/** The signal's payload for an admission to the event made here. */
	String payload(UUID eventId) {
		return eventId + " " + this.instance;
	}

	@Override
	public void start() {
		this.running = true;
		Thread thread = new Thread(this::listen, "queue-signals");
		thread.setDaemon(true);
		this.listener = thread;
		thread.start();
	}

	@Override
	public void stop() {
		this.running = false;
		Thread thread = this.listener;
		if (thread != null) {
			try {
				thread.join(2L * POLL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void listen() {
		long backoff = 1_000;
		while (this.running) {
			try (Connection connection = connect()) {
				try (Statement listen = connection.createStatement()) {
					listen.execute("LISTEN " + CHANNEL);
				}
				backoff = 1_000;
				PGConnection postgres = connection.unwrap(PGConnection.class);
				long checked = System.nanoTime();
				while (this.running) {
					for (PGNotification signal : postgres.getNotifications(POLL_MILLIS)) {
						heard(signal.getParameter());
					}
					if (System.nanoTime() - checked > CHECK_EVERY.toNanos()) {
						checkPrimary(connection);
						checked = System.nanoTime();
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (!this.running) {
					return;
				}
				log.warn("Listening for queue admissions of other instances failed (trying again in {} ms): {}",
						backoff, ex.getMessage());
				try {
					Thread.sleep(backoff);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return;
				}
				backoff = Math.min(2 * backoff, MAX_BACKOFF.toMillis());
			}
		}
	}

	private static void checkPrimary(Connection connection) throws SQLException {
		try (Statement check = connection.createStatement();
				ResultSet recovering = check.executeQuery("SELECT pg_is_in_recovery()")) {
			if (recovering.next() && recovering.getBoolean(1)) {
				throw new SQLException("the listener's server is a replica now");
			}
		}
	}

	private void heard(String payload) {
		int space = payload.indexOf(' ');
		if (space < 0 || payload.substring(space + 1).equals(this.instance)) {
			return;
		}
		try {
			this.heard.accept(UUID.fromString(payload.substring(0, space)));
		}
		catch (IllegalArgumentException notOurs) {
			log.debug("Ignored a signal on {}: {}", CHANNEL, payload);
		}
	}

	/**
	 * A connection of its own, apart from the pool (a listener holds it for good), to the
	 * database the pool connects to.
	 */
	private Connection connect() throws SQLException {
		if (this.dataSource instanceof HikariDataSource pool && pool.getJdbcUrl() != null) {
			return DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
		}
		return this.dataSource.getConnection();
	}

}
