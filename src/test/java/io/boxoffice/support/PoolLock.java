package io.boxoffice.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Holds an event's pool rows locked from outside the service (its own connection, not the
 * service's pool), so that no sale of the event can commit until {@link #release()}.
 */
public final class PoolLock implements AutoCloseable {

	private final Connection connection;

	private PoolLock(Connection connection) {
		this.connection = connection;
	}

	public static PoolLock hold(String eventId) throws SQLException {
		Connection connection = new DriverManagerDataSource(TestDatabase.jdbcUrl()).getConnection();
		connection.setAutoCommit(false);
		try (PreparedStatement lock = connection.prepareStatement("SELECT 1 FROM pool WHERE event_id = ? FOR UPDATE")) {
			lock.setObject(1, UUID.fromString(eventId));
			lock.executeQuery();
		}
		return new PoolLock(connection);
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
