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
	 * Runs the statements, in the current transaction, with PostgreSQL's generic plans
	 * made with sequential scans off, then plans every later statement of the transaction
	 * for its values again (the connections' setting). Only for statements whose plan
	 * cannot depend on their values, such as inserts from arrays, which would otherwise
	 * be planned again for every batch's arrays, as would each of their rows' foreign key
	 * checks (a check runs under the setting of the statement that fires it). A generic
	 * plan outlives the table sizes it was made for: with sequential scans off, a foreign
	 * key check's lookup by primary key is an index lookup even when it was planned while
	 * the table was small. A statement that fails leaves the transaction to be rolled
	 * back, which ends the settings with it.
	 */
	public static void withGenericPlans(JdbcClient jdbc, Runnable statements) {
		plans(jdbc, "force_generic_plan", "off");
		statements.run();
		plans(jdbc, "force_custom_plan", "on");
	}

	private static void plans(JdbcClient jdbc, String cacheMode, String seqScans) {
		jdbc.sql("SELECT set_config('plan_cache_mode', :mode, true), set_config('enable_seqscan', :seqScans, true)")
			.param("mode", cacheMode)
			.param("seqScans", seqScans)
			.query()
			.singleRow();
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
