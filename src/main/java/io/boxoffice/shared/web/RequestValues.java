package io.boxoffice.shared.web;

import java.time.Instant;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * The values every request body may hold, checked where JSON becomes Java, so no field
 * can forget them: text without control characters (PostgreSQL cannot store NUL, and no
 * name, code, row or address needs a line break or an escape), and instants within
 * 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z (four-digit years, which every
 * client parses; PostgreSQL's {@code timestamptz} stops at year 294276). A value outside
 * them is {@code 400 VALIDATION_FAILED} naming the field.
 */
final class RequestValues {

	static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

	static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

	private RequestValues() {
	}

	static SimpleModule module() {
		SimpleModule module = new SimpleModule("request-values");
		module.addDeserializer(String.class, new PrintableStrings());
		module.addDeserializer(Instant.class, new StorableInstants());
		return module;
	}

	/**
	 * A value of the right type that no field accepts; {@link ProblemHandler} names the
	 * field.
	 */
	static final class RefusedValueException extends InvalidFormatException {

		private final String reason;

		RefusedValueException(JsonParser parser, String reason, Object value, Class<?> type) {
			super(parser, reason, value, type);
			this.reason = reason;
		}

		String reason() {
			return this.reason;
		}

	}

	static final class PrintableStrings extends StringDeserializer {

		@Override
		public String deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
			String value = super.deserialize(parser, context);
			if (value != null) {
				for (int i = 0; i < value.length(); i++) {
					if (Character.isISOControl(value.charAt(i))) {
						throw new RefusedValueException(parser,
								String.format("must not contain control characters (U+%04X)", (int) value.charAt(i)),
								value, String.class);
					}
				}
			}
			return value;
		}

	}

	/** Jackson's own instant parsing, then the range. */
	static final class StorableInstants extends StdScalarDeserializer<Instant> {

		StorableInstants() {
			super(Instant.class);
		}

		@Override
		public Instant deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
			Instant value = InstantDeserializer.INSTANT.deserialize(parser, context);
			if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
				throw new RefusedValueException(parser, "must be between " + EARLIEST + " and " + LATEST, value,
						Instant.class);
			}
			return value;
		}

	}

}
