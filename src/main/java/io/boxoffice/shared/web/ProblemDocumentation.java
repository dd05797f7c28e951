package io.boxoffice.shared.web;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.PageQuery;
import io.boxoffice.shared.web.OperationAccess.Access;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Describes every operation's problem answers in {@code /v3/api-docs}: each status it may
 * answer, the codes possible for that status, and the problem+json schema with the
 * members this service adds. The codes follow from the operation's shape and access rules
 * (see {@link Problems}) plus what its handler declares with {@link Problems}, so the
 * description stays next to the code it describes.
 */
@Component
class ProblemDocumentation implements OpenApiCustomizer {

	static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	static final String BEARER = "bearer";

	private static final String PROBLEM = "#/components/schemas/Problem";

	private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private static final String SAMPLE_ID = "7d0c52a4-51d2-4cf3-8a0e-2f3b8c1e9a10";

	private final RequestMappingHandlerMapping mappings;

	private final OperationAccess access;

	ProblemDocumentation(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings,
			OperationAccess access) {
		this.mappings = mappings;
		this.access = access;
	}

	@Override
	public void customise(OpenAPI api) {
		Components components = (api.getComponents() != null) ? api.getComponents() : new Components();
		api.setComponents(components);
		components.addSchemas("FieldError", fieldError()).addSchemas("Problem", problem());
		components
			.addHeaders("Retry-After",
					header(integer("Whole seconds").minimum(BigDecimal.ONE), "Seconds to wait before trying again"))
			.addHeaders("Location", header(string("A path").format("uri-reference"), "The new resource's path"))
			.addHeaders("Idempotent-Replayed",
					header(string("Always true")._enum(List.of("true")),
							"Present on a repeated Idempotency-Key: this is the first request's answer again"))
			.addHeaders("WWW-Authenticate", header(string("Bearer"), "The scheme to authenticate with: Bearer"));
		Map<String, HandlerMethod> handlers = handlers();
		if (api.getPaths() == null) {
			return;
		}
		api.getPaths()
			.forEach((path, item) -> item.readOperationsMap()
				.forEach((method, operation) -> document(path, method.name(), operation,
						handlers.get(method.name() + " " + path))));
	}

	private Map<String, HandlerMethod> handlers() {
		Map<String, HandlerMethod> handlers = new HashMap<>();
		this.mappings.getHandlerMethods().forEach((info, handler) -> {
			Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
			for (String pattern : info.getPatternValues()) {
				for (RequestMethod method : methods) {
					handlers.put(method.name() + " " + pattern, handler);
				}
			}
		});
		return handlers;
	}

	private void document(String path, String method, Operation operation, @Nullable HandlerMethod handler) {
		Access access = this.access.of(method, path);
		List<Parameter> parameters = (operation.getParameters() != null) ? operation.getParameters() : List.of();
		boolean idempotent = parameters.stream()
			.anyMatch(parameter -> "header".equals(parameter.getIn()) && IDEMPOTENCY_KEY.equals(parameter.getName()));
		// every request may be refused before it reaches the application, by the firewall
		// or the
		// security rules, and fail in the service or for want of its database
		Set<ErrorCode> codes = EnumSet.of(ErrorCode.MALFORMED_REQUEST, ErrorCode.UNAUTHENTICATED,
				ErrorCode.INTERNAL_ERROR, ErrorCode.UNAVAILABLE);
		boolean body = operation.getRequestBody() != null;
		if (body) {
			codes.addAll(List.of(ErrorCode.VALIDATION_FAILED, ErrorCode.PAYLOAD_TOO_LARGE,
					ErrorCode.UNSUPPORTED_MEDIA_TYPE));
		}
		if (parameters.stream().anyMatch(parameter -> !"path".equals(parameter.getIn()))) {
			codes.add(ErrorCode.VALIDATION_FAILED);
		}
		if (parameters.stream().anyMatch(parameter -> "path".equals(parameter.getIn()))) {
			codes.add(ErrorCode.NOT_FOUND);
		}
		if (idempotent) {
			codes.add(ErrorCode.IDEMPOTENCY_KEY_REUSED);
		}
		if (operation.getResponses()
			.entrySet()
			.stream()
			.anyMatch(success -> success.getKey().startsWith("2") && success.getValue().getContent() != null)) {
			codes.add(ErrorCode.NOT_ACCEPTABLE);
		}
		if (!access.anonymous() && !access.everyRole()) {
			codes.add(ErrorCode.FORBIDDEN);
		}
		Problems declared = (handler != null) ? handler.getMethodAnnotation(Problems.class) : null;
		if (declared != null) {
			codes.addAll(Arrays.asList(declared.value()));
		}
		operation.setSecurity(access.anonymous() ? List.of() : List.of(new SecurityRequirement().addList(BEARER)));
		ApiResponses responses = operation.getResponses();
		responses.forEach((status, response) -> {
			if ("201".equals(status)) {
				response.addHeaderObject("Location", ref("Location"));
			}
			if (idempotent && status.startsWith("2")) {
				response.addHeaderObject("Idempotent-Replayed", ref("Idempotent-Replayed"));
			}
		});
		Map<Integer, List<ErrorCode>> byStatus = codes.stream()
			.collect(Collectors.groupingBy(code -> code.status().value(), TreeMap::new, Collectors.toList()));
		byStatus.forEach((status, ofStatus) -> responses.addApiResponse(String.valueOf(status),
				problemResponse(status, ofStatus, access, body, sample(path))));
		parameters.forEach(ProblemDocumentation::describe);
	}

	private static ApiResponse problemResponse(int status, List<ErrorCode> codes, Access access, boolean body,
			String instance) {
		StringBuilder description = new StringBuilder(codes.get(0).status().getReasonPhrase()).append(':');
		MediaType content = new MediaType().schema(new Schema<>().$ref(PROBLEM));
		for (ErrorCode code : codes) {
			description.append("\n- `").append(code.name()).append("`: ").append(when(code, access, body));
			content.addExamples(code.name(),
					new Example().summary(code.title()).value(example(code, status, instance)));
		}
		ApiResponse response = new ApiResponse().description(description.toString())
			.content(new Content().addMediaType(PROBLEM_JSON, content));
		if (status == 401) {
			response.addHeaderObject("WWW-Authenticate", ref("WWW-Authenticate"));
		}
		if (status == 429 || status == 503) {
			response.addHeaderObject("Retry-After", ref("Retry-After"));
		}
		return response;
	}

	/**
	 * When an operation answers the code; exhaustive, so a new code needs its sentence.
	 */
	private static String when(ErrorCode code, Access access, boolean body) {
		return switch (code) {
			case VALIDATION_FAILED -> "a field, parameter or header is missing, malformed or out of range; "
					+ "member `errors` names each one";
			case MALFORMED_REQUEST -> (body
					? "the body is not JSON of the expected shape (1.5, \"2\" or true for " + "an integer), or " : "")
					+ "the request was refused before it reached the application (e.g. a header the firewall rejects)";
			case UNAUTHENTICATED ->
				access.anonymous() ? "a bearer token was sent and is not valid (this operation needs none)"
						: "no bearer token, or one that is not valid or has expired";
			case BAD_CREDENTIALS -> "the email or the password is wrong (the same answer for both)";
			case FORBIDDEN -> "the caller's role may not do this; it is for "
					+ access.roles().stream().map(Enum::name).collect(Collectors.joining(" and ")) + " accounts";
			case NOT_FOUND -> "no such resource, or it is not the caller's (its existence is not revealed)";
			case METHOD_NOT_ALLOWED -> "the path has no operation for this method";
			case SOLD_OUT -> "a category has too few tickets available; members `available` and `category`";
			case SEATS_UNAVAILABLE -> "some of the named seats are held or sold; member `seats` lists them";
			case SALES_CLOSED -> "the event's sales window is not open";
			case EVENT_CANCELLED -> "the event is cancelled";
			case EMAIL_TAKEN -> "an account with this email exists";
			case HOLD_CONFIRMED -> "the hold was confirmed: cancel its booking instead";
			case HOLD_EXPIRED -> "the hold expired, was released or was cancelled; nothing was booked";
			case ALREADY_CHECKED_IN -> "another scan admitted the ticket; members `checkedInAt` and `gate` "
					+ "(null if it named none) are that scan's";
			case TICKET_REVOKED -> "the ticket's booking or event was cancelled";
			case PAYLOAD_TOO_LARGE -> "the body is larger than 1 MiB";
			case NOT_ACCEPTABLE -> "the request's Accept header excludes application/json";
			case UNSUPPORTED_MEDIA_TYPE -> "the body is not sent as application/json";
			case LIMIT_EXCEEDED -> "the customer's held and booked tickets for the event would pass its limit; "
					+ "member `maxTicketsPerCustomer`";
			case IDEMPOTENCY_KEY_REUSED -> "the Idempotency-Key was used before with a different request";
			case TOO_MANY_REQUESTS -> "too many attempts within a short window (failed logins for an email or "
					+ "from an address, registrations from an address); try again after Retry-After seconds";
			case INTERNAL_ERROR -> "an unexpected failure (logged; no details reach the client)";
			case OVERLOADED ->
				"too many buyers at this moment; nothing was held or booked, " + "try again after Retry-After seconds";
			case OUTCOME_UNKNOWN -> "the database went away while committing and whether the change took could "
					+ "not be learned in time; retry after Retry-After seconds with the same Idempotency-Key, or read "
					+ "the resource";
			case UNAVAILABLE -> "the database cannot be reached; nothing was changed, try again after "
					+ "Retry-After seconds (with the same Idempotency-Key if one was sent)";
		};
	}

	private static Map<String, Object> example(ErrorCode code, int status, String instance) {
		Map<String, Object> example = new LinkedHashMap<>();
		example.put("title", code.title());
		example.put("status", status);
		example.put("detail", code.title());
		example.put("instance", instance);
		example.put("code", code.name());
		switch (code) {
			case VALIDATION_FAILED -> {
				example.put("detail", "size: must be between 1 and " + PageQuery.MAX_SIZE);
				example.put("errors",
						List.of(Map.of("field", "size", "message", "must be between 1 and " + PageQuery.MAX_SIZE)));
			}
			case SOLD_OUT -> {
				example.put("detail", "Only 3 tickets of GA are available");
				example.put("available", 3);
				example.put("category", "GA");
			}
			case SEATS_UNAVAILABLE -> {
				example.put("detail", "Not available: A-1, A-2");
				example.put("seats", List.of("A-1", "A-2"));
			}
			case ALREADY_CHECKED_IN -> {
				example.put("detail", "This ticket was checked in at 2030-01-01T18:02:11.204Z at gate North");
				example.put("checkedInAt", "2030-01-01T18:02:11.204Z");
				example.put("gate", "North");
			}
			case LIMIT_EXCEEDED -> {
				example.put("detail", "A customer may hold and book at most 10 tickets for this event");
				example.put("maxTicketsPerCustomer", 10);
			}
			default -> {
			}
		}
		return example;
	}

	private static void describe(Parameter parameter) {
		if ("header".equals(parameter.getIn()) && IDEMPOTENCY_KEY.equals(parameter.getName())) {
			parameter.description("Makes a retry safe: 1 to 255 printable ASCII characters without spaces, scoped "
					+ "to the caller and kept 24 hours. The same key with the same body answers the first "
					+ "request's result again with Idempotent-Replayed: true and changes nothing; with another "
					+ "body it is 422 IDEMPOTENCY_KEY_REUSED. A request that failed left no record.");
			parameter.getSchema().minLength(1).maxLength(255).pattern("^[\\x21-\\x7E]+$");
		}
		else if ("query".equals(parameter.getIn()) && "page".equals(parameter.getName())) {
			parameter.description("The page to return, from 0");
			parameter.getSchema().minimum(BigDecimal.ZERO);
		}
		else if ("query".equals(parameter.getIn()) && "size".equals(parameter.getName())) {
			parameter.description("Items per page, 1 to " + PageQuery.MAX_SIZE);
			parameter.getSchema().minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(PageQuery.MAX_SIZE));
		}
		else if ("path".equals(parameter.getIn()) && parameter.getDescription() == null) {
			parameter.description("An id as this service returned it; any other value is 404 NOT_FOUND");
		}
	}

	/** RFC 9457 members, and those this service adds. */
	private static Schema<?> problem() {
		return object("A refusal, as RFC 9457 problem details with a `code` member; "
				+ "no stack traces, SQL or class names ever reach a client")
			.addProperty("type",
					string("RFC 9457: the problem type; absent, which means about:blank").format("uri-reference"))
			.addProperty("title", string("RFC 9457: the short summary of the code, e.g. Sold out"))
			.addProperty("status", integer("RFC 9457: the HTTP status"))
			.addProperty("detail", string("RFC 9457: what happened in this case, for a human"))
			.addProperty("instance", string("RFC 9457: the request's path").format("uri-reference"))
			.addProperty("code",
					string("What went wrong, for a program: each answer lists the codes it may carry")
						._enum(Arrays.stream(ErrorCode.values()).map(code -> (Object) code.name()).toList()))
			.addProperty("errors",
					new JsonSchema().typesItem("array")
						.description("VALIDATION_FAILED: every field that is wrong")
						.items(new Schema<>().$ref("#/components/schemas/FieldError")))
			.addProperty("available", integer("SOLD_OUT: how many tickets of the category are available"))
			.addProperty("category", string("SOLD_OUT: the category that is short"))
			.addProperty("seats",
					new JsonSchema().typesItem("array")
						.description("SEATS_UNAVAILABLE: every requested seat that is held or sold, in seat-map order")
						.items(string("A seat label, e.g. A-7")))
			.addProperty("maxTicketsPerCustomer", integer("LIMIT_EXCEEDED: the event's limit per customer"))
			.addProperty("checkedInAt",
					string("ALREADY_CHECKED_IN: when the scan that admitted the ticket was made").format("date-time"))
			.addProperty("gate",
					new JsonSchema().types(new LinkedHashSet<>(List.of("string", "null")))
						.description("ALREADY_CHECKED_IN: the gate of the scan that admitted the ticket, "
								+ "null if it named none"))
			.required(List.of("title", "status", "detail", "code"));
	}

	private static Schema<?> fieldError() {
		return object("One wrong field of a VALIDATION_FAILED answer")
			.addProperty("field", string("The field, parameter or header, e.g. items[0].quantity"))
			.addProperty("message", string("What is wrong with it"))
			.required(List.of("field", "message"));
	}

	private static Schema<?> object(String description) {
		return new JsonSchema().typesItem("object").description(description);
	}

	@SuppressWarnings("unchecked")
	private static Schema<Object> string(String description) {
		return new JsonSchema().typesItem("string").description(description);
	}

	private static Schema<?> integer(String description) {
		return new JsonSchema().typesItem("integer").format("int32").description(description);
	}

	private static Header header(Schema<?> schema, String description) {
		return new Header().description(description).schema(schema);
	}

	private static Header ref(String name) {
		return new Header().$ref("#/components/headers/" + name);
	}

	/** A request path for the examples: the template with an id in each variable. */
	private static String sample(String path) {
		return path.replaceAll("\\{[^}/]+}", SAMPLE_ID);
	}

}
