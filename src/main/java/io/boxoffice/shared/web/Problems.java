package io.boxoffice.shared.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.boxoffice.shared.ErrorCode;

/**
 * The problem codes an operation answers because of what it does (SOLD_OUT for a sale,
 * EMAIL_TAKEN for a registration), for its OpenAPI description. The codes that follow
 * from an operation's shape are added by rule and need not be listed: a request body
 * (VALIDATION_FAILED, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE), a query or header
 * parameter (VALIDATION_FAILED), a path id (NOT_FOUND), an Idempotency-Key
 * (IDEMPOTENCY_KEY_REUSED), a JSON answer (NOT_ACCEPTABLE), the access rules
 * (UNAUTHENTICATED, FORBIDDEN), and for every operation MALFORMED_REQUEST (a request the
 * firewall refuses), INTERNAL_ERROR and UNAVAILABLE.
 *
 * @see ProblemDocumentation
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Problems {

	ErrorCode[] value();

}
