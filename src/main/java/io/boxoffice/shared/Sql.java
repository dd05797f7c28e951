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

/**
 * The two conversions every repository needs, because PostgreSQL's JDBC driver speaks
 * OffsetDateTime, not Instant.
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

	public static @Nullable OffsetDateTime timestamp(@Nullable Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	public static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

}
