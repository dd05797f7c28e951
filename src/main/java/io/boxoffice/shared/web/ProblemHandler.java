package io.boxoffice.shared.web;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.BoxofficeException.FieldError;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.RetryLaterException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.BindingResult;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where exceptions become problem+json with a {@code code} member. Client
 * mistakes get a 4xx that names the field; the service's own failures are logged with
 * context and answered without internals.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

	private static final String RETRY_AFTER_SECONDS = "1";

	@ExceptionHandler(BoxofficeException.class)
	ResponseEntity<Object> boxoffice(BoxofficeException ex, HttpServletRequest request) {
		return respond(ex.code(), ex.getMessage(), ex.members(), request);
	}

	/** Throttled: tell the client when it may try again. */
	@ExceptionHandler(RetryLaterException.class)
	ResponseEntity<Object> retryLater(RetryLaterException ex, HttpServletRequest request) {
		ProblemDetail problem = ProblemResponses.problem(ex.code(), ex.getMessage(), ex.members());
		problem.setInstance(java.net.URI.create(request.getRequestURI()));
		return ResponseEntity.status(ex.code().status())
			.header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()))
			.body(problem);
	}

	/** The database is away or too slow: fail fast, tell the client when to retry. */
	@ExceptionHandler({ CannotGetJdbcConnectionException.class, CannotCreateTransactionException.class,
			DataAccessResourceFailureException.class, QueryTimeoutException.class })
	ResponseEntity<Object> databaseUnavailable(Exception ex, HttpServletRequest request) {
		log.warn("Database unavailable for {} {}: {}", request.getMethod(), request.getRequestURI(),
				NestedExceptionUtils.getMostSpecificCause(ex).toString());
		return respond(ErrorCode.UNAVAILABLE,
				"The service cannot reach its database; retry later, with the same Idempotency-Key if you sent one",
				Map.of(), request);
	}

	@ExceptionHandler(TransientDataAccessException.class)
	ResponseEntity<Object> transientFailure(TransientDataAccessException ex, HttpServletRequest request) {
		log.warn("Transient database failure for {} {}", request.getMethod(), request.getRequestURI(), ex);
		return respond(ErrorCode.UNAVAILABLE, "A temporary database conflict; nothing was changed", Map.of(), request);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> unexpected(Exception ex, HttpServletRequest request) {
		if (lostDatabase(ex)) {
			// e.g. "JDBC rollback failed" after the connection died mid-transaction: the
			// transaction is gone with the connection, so nothing of it was committed
			return databaseUnavailable(ex, request);
		}
		log.error("Unexpected failure for {} {}", request.getMethod(), request.getRequestURI(), ex);
		return respond(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred", Map.of(), request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (causedByOversizedBody(ex)) {
			return problem(ErrorCode.PAYLOAD_TOO_LARGE, "Request bodies are limited to 1 MiB", Map.of(), request);
		}
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof RequestValues.RefusedValueException refused) {
				return validationFailed(List.of(new FieldError(field(refused), refused.reason())), request);
			}
		}
		return problem(ErrorCode.MALFORMED_REQUEST, "The body is not JSON of the expected shape: " + reason(ex),
				Map.of(), request);
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return validationFailed(fieldErrors(ex.getBindingResult()), request);
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldError> errors = ex.getParameterValidationResults()
			.stream()
			.flatMap(result -> result.getResolvableErrors()
				.stream()
				.map(error -> new FieldError(result.getMethodParameter().getParameterName() + "",
						error.getDefaultMessage() + "")))
			.toList();
		return validationFailed(errors, request);
	}

	@Override
	protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return validationFailed(List.of(new FieldError(ex.getParameterName(), "is required")), request);
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(org.springframework.beans.TypeMismatchException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String name = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
				: String.valueOf(ex.getPropertyName());
		return validationFailed(List.of(new FieldError(name, "has the wrong type")), request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return problem(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json", Map.of(), request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return problem(ErrorCode.NOT_ACCEPTABLE, "Responses are application/json", Map.of(), request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return problem(ErrorCode.METHOD_NOT_ALLOWED, "Method " + ex.getMethod() + " is not supported here", Map.of(),
				request);
	}

	@Override
	protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		return problem(ErrorCode.NOT_FOUND, "No such resource", Map.of(), request);
	}

	@Override
	protected ResponseEntity<Object> handleServletRequestBindingException(
			org.springframework.web.bind.ServletRequestBindingException ex, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		if (ex instanceof MissingRequestHeaderException missing) {
			return validationFailed(List.of(new FieldError(missing.getHeaderName(), "header is required")), request);
		}
		return problem(ErrorCode.MALFORMED_REQUEST, "The request cannot be read", Map.of(), request);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		// Any other framework refusal: keep its status, never its internals.
		if (statusCode.is5xxServerError()) {
			log.error("Request failed", ex);
		}
		return ResponseEntity.status(statusCode).headers(headers).body(ProblemResponses.forStatus(statusCode.value()));
	}

	private ResponseEntity<Object> validationFailed(List<FieldError> errors, WebRequest request) {
		List<FieldError> sorted = errors.stream().sorted(Comparator.comparing(FieldError::field)).toList();
		String detail = sorted.stream()
			.map(error -> error.field() + ": " + error.message())
			.reduce((a, b) -> a + "; " + b)
			.orElse("Invalid request");
		return problem(ErrorCode.VALIDATION_FAILED, detail, Map.of("errors", sorted), request);
	}

	/**
	 * The JSON path of a refused value as the validation errors name fields:
	 * {@code categories[0].name}.
	 */
	private static String field(JacksonException ex) {
		StringBuilder field = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				field.append(field.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				field.append('[').append(reference.getIndex()).append(']');
			}
		}
		return field.toString();
	}

	private static List<FieldError> fieldErrors(BindingResult result) {
		return result.getFieldErrors()
			.stream()
			.map(error -> new FieldError(error.getField(), String.valueOf(error.getDefaultMessage())))
			.toList();
	}

	private ResponseEntity<Object> problem(ErrorCode code, String detail, Map<String, Object> members,
			WebRequest request) {
		return respond(code, detail, members, ((ServletWebRequest) request).getRequest());
	}

	private static ResponseEntity<Object> respond(ErrorCode code, String detail, Map<String, Object> members,
			HttpServletRequest request) {
		ProblemDetail problem = ProblemResponses.problem(code, detail, members);
		problem.setInstance(java.net.URI.create(request.getRequestURI()));
		return ResponseEntity.status(code.status()).headers(retryAfter(code)).body(problem);
	}

	private static HttpHeaders retryAfter(ErrorCode code) {
		HttpHeaders headers = new HttpHeaders();
		if (code.status().value() == 503 || code.status().value() == 429) {
			headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
		}
		return headers;
	}

	/**
	 * A connection to the database failed somewhere in the cause chain: SQLState class 08
	 * (connection exception), 57P01..57P03 (server shutting down or not yet up), or the
	 * pool's timeout, or a commit or rollback that could not be carried out.
	 */
	static boolean lostDatabase(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataAccessResourceFailureException) {
				return true;
			}
			if (cause instanceof org.springframework.transaction.TransactionSystemException) {
				// commit or rollback itself failed: the connection broke under the
				// transaction, and PostgreSQL rolls back whatever a dead session had open
				return true;
			}
			if (cause instanceof java.sql.SQLTransientConnectionException
					|| cause instanceof java.sql.SQLNonTransientConnectionException) {
				return true;
			}
			if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
				return true;
			}
		}
		return false;
	}

	private static boolean causedByOversizedBody(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof BodySizeLimitFilter.BodyTooLargeException) {
				return true;
			}
		}
		return false;
	}

	/** The parser's complaint, without class names or positions in our code. */
	private static String reason(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getMostSpecificCause();
		if (cause instanceof tools.jackson.databind.exc.MismatchedInputException mismatch) {
			String path = mismatch.getPath()
				.stream()
				.map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
				.reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
				.orElse("body");
			return "field '" + path + "' has the wrong type or form";
		}
		if (cause instanceof tools.jackson.core.JacksonException) {
			return "invalid JSON";
		}
		return "missing or unreadable body";
	}

}
