package io.boxoffice.account;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.boxoffice.support.IntegrationTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages' browser session beside the API's bearer tokens: an HttpOnly SameSite cookie,
 * CSRF tokens required on every form, a Content-Security-Policy without inline code, and
 * a session that authenticates nothing under /api.
 */
class PageSessionTest extends IntegrationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final Pattern SESSION = Pattern.compile("JSESSIONID=([^;]+)");

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private HttpResponse<String> get(String path, @Nullable String session) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port() + path))
			.timeout(Duration.ofSeconds(60));
		if (session != null) {
			request.header("Cookie", "JSESSIONID=" + session);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> postForm(String path, @Nullable String session, Map<String, String> form)
			throws Exception {
		String body = form.entrySet()
			.stream()
			.map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port() + path))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (session != null) {
			request.header("Cookie", "JSESSIONID=" + session);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String session(HttpResponse<?> response) {
		Matcher matcher = SESSION.matcher(String.join("\n", response.headers().allValues("Set-Cookie")));
		assertThat(matcher.find()).as("a session cookie in " + response.headers()).isTrue();
		return matcher.group(1);
	}

	private static String csrf(HttpResponse<String> page) {
		Matcher matcher = CSRF.matcher(page.body());
		assertThat(matcher.find()).as("a CSRF field in the form").isTrue();
		return matcher.group(1);
	}

	@Test
	void pagesSetAnHttpOnlySameSiteSessionCookieAndAPolicyWithoutInlineCode() throws Exception {
		HttpResponse<String> signIn = get("/signin", null);

		assertThat(signIn.statusCode()).isEqualTo(200);
		assertThat(signIn.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> type.startsWith("text/html"));
		String cookie = signIn.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter(value -> value.startsWith("JSESSIONID="))
			.findFirst()
			.orElseThrow();
		assertThat(cookie).contains("; HttpOnly").contains("; SameSite=Lax").doesNotContain("Secure");
		String policy = signIn.headers().firstValue("Content-Security-Policy").orElseThrow();
		assertThat(policy).contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
			.doesNotContain("unsafe-inline")
			.doesNotContain("unsafe-eval");
		assertThat(signIn.body()).doesNotContain("<script>").doesNotContain("style=\"");
	}

	@Test
	void signUpAndSignInRefuseAFormWithoutItsCsrfTokenAndChangeNothing() throws Exception {
		String email = "csrf-" + UUID.randomUUID() + "@example.org";
		HttpResponse<String> page = get("/signup", null);
		String session = session(page);

		HttpResponse<String> forged = postForm("/signup", session,
				Map.of("email", email, "password", "password-123", "role", "CUSTOMER"));

		assertThat(forged.statusCode()).isEqualTo(403);
		assertThat(this.jdbc.sql("SELECT count(*) FROM account WHERE email = :email")
			.param("email", email)
			.query(Long.class)
			.single()).isZero();

		HttpResponse<String> signedUp = postForm("/signup", session,
				Map.of("email", email, "password", "password-123", "role", "CUSTOMER", "_csrf", csrf(page)));
		assertThat(signedUp.statusCode()).isEqualTo(302);
		String signedIn = session(signedUp);
		assertThat(signedIn).as("a new session id after signing in").isNotEqualTo(session);
		assertThat(get("/bookings", signedIn).statusCode()).isEqualTo(200);

		HttpResponse<String> signInPage = get("/signin", null);
		HttpResponse<String> forgedSignIn = postForm("/signin", session(signInPage),
				Map.of("email", email, "password", "password-123"));
		assertThat(forgedSignIn.statusCode()).isEqualTo(403);
	}

	@Test
	void signingInWithTheFormGivesASessionForPagesButNotForTheApi() throws Exception {
		String email = "session-" + UUID.randomUUID() + "@example.org";
		this.api.post("/api/v1/accounts", null, Map.of("email", email, "password", "password-123", "role", "CUSTOMER"))
			.expectStatus(201);
		HttpResponse<String> page = get("/signin", null);

		HttpResponse<String> wrong = postForm("/signin", session(page),
				Map.of("email", email, "password", "wrong-password", "_csrf", csrf(page)));
		assertThat(wrong.headers().firstValue("Location")).hasValueSatisfying(to -> to.endsWith("/signin?error"));
		HttpResponse<String> refused = get("/signin?error", session(page));
		assertThat(refused.body()).contains("The email or the password is wrong.");

		HttpResponse<String> signedIn = postForm("/signin", session(page),
				Map.of("email", email, "password", "password-123", "_csrf", csrf(page)));
		assertThat(signedIn.statusCode()).isEqualTo(302);
		String session = session(signedIn);
		assertThat(get("/bookings", session).body()).contains(email).contains("You have no bookings yet.");

		// the API authenticates bearer tokens only: the session cookie is no credential
		// there
		HttpResponse<String> api = get("/api/v1/bookings", session);
		assertThat(api.statusCode()).isEqualTo(401);
		assertThat(api.headers().allValues("Set-Cookie")).isEmpty();
		assertThat(this.api.get("/api/v1/bookings", this.api.customer()).status()).isEqualTo(200);
	}

	@Test
	void aPageForAnotherRoleIsRefusedWithASentence() throws Exception {
		HttpResponse<String> anonymous = get("/organizer", null);
		assertThat(anonymous.statusCode()).isEqualTo(302);
		assertThat(anonymous.headers().firstValue("Location")).hasValueSatisfying(to -> to.endsWith("/signin"));
		assertThat(List.of(get("/events/" + UUID.randomUUID(), null).statusCode())).containsExactly(404);
		assertThat(get("/events/" + UUID.randomUUID(), null).body())
			.contains("We could not find that. It may not exist, or it is not yours.");
	}

}
