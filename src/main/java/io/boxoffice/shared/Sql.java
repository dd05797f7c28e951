package io.boxoffice.shared;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What every repository needs: the conversions (PostgreSQL's JDBC driver speaks
 * OffsetDateTime, not Instant), array parameters, and the scope of generic plans.
 */
public final class Sql {

	private Sql() {
	}

	/**
	 * The clock's instant at the precision PostgreSQL keeps, so what is answered equals
	 * what is read back.
	 */
	public static Instant now(Clock clock) {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	public static Instant stored(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MICROS);
	}

	/**
	 * A PostgreSQL array literal of plain values (ids, numbers, codes, instants: nothing
	 * that needs quoting), for {@code = ANY (CAST(:ids AS uuid[]))} or {@code unnest}:
	 * one bind parameter however many values (an {@code IN} list takes one each, and
	 * PostgreSQL allows 32,767).
	 */
	public static String array(Collection<?> values) {
		return values.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
	}

	/**
	 * Runs the statements, in the current transaction, with PostgreSQL's generic plans,
	 * then plans every later statement of the transaction for its values again (the
	 * connections' setting). Only for statements whose plan cannot depend on their values
	 * or on the tables' sizes, such as inserts from arrays, which would otherwise be
	 * planned again for every batch's arrays. A foreign key check takes the setting of
	 * the statement that fires it: the constraints of tables written here are checked at
	 * commit. A statement that fails leaves the transaction to be rolled back, which ends
	 * the setting with it.
	 */
	public static void withGenericPlans(JdbcClient jdbc, Runnable statements) {
		jdbc.sql("SET LOCAL plan_cache_mode = force_generic_plan").update();
		statements.run();
		jdbc.sql("SET LOCAL plan_cache_mode = force_custom_plan").update();
	}

	public static @Nullable OffsetDateTime timestamp(@Nullable Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	/** A {@code NOT NULL} timestamp column. */
	public static Instant instant(ResultSet rs, String column) throws SQLException {
		Instant value = nullableInstant(rs, column);
		if (value == null) {
			throw new IllegalStateException("Column " + column + " is null");
		}
		return value;
	}

	public static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

}
