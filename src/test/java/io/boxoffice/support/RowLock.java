package io.boxoffice.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Holds rows locked {@code FOR UPDATE} from outside the service (its own connection, not
 * the service's pool) until {@link #release()}: an event's pools, so that no sale of the
 * event can commit, or the booking table, so that no sale can write its bookings while
 * holds go on.
 */
public final class RowLock implements AutoCloseable {

	private final Connection connection;

	private RowLock(Connection connection) {
		this.connection = connection;
	}

	public static RowLock pools(String eventId) throws SQLException {
		return hold("SELECT 1 FROM pool WHERE event_id = ? FOR UPDATE", UUID.fromString(eventId));
	}

	/** The booking table, against inserts (which its share lock conflicts with). */
	public static RowLock bookings() throws SQLException {
		return hold("LOCK TABLE booking IN SHARE MODE");
	}

	/**
	 * The seats' rows, as a batch of another instance locks the best-available seats it
	 * is about to claim ({@code FOR NO KEY UPDATE}).
	 */
	public static RowLock seats(String eventId, String... labels) throws SQLException {
		return hold("SELECT 1 FROM seat WHERE event_id = ? AND label = ANY (?) FOR NO KEY UPDATE",
				UUID.fromString(eventId), labels);
	}

	private static RowLock hold(String sql, Object... parameters) throws SQLException {
		Connection connection = new DriverManagerDataSource(TestDatabase.jdbcUrl()).getConnection();
		connection.setAutoCommit(false);
		try (PreparedStatement lock = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				lock.setObject(i + 1, parameters[i]);
			}
			lock.execute();
		}
		return new RowLock(connection);
	}

	public void release() throws SQLException {
		this.connection.rollback();
	}

	@Override
	public void close() throws SQLException {
		this.connection.rollback();
		this.connection.close();
	}

}
