package io.boxoffice.account.web;

import java.net.URI;

import io.boxoffice.account.Account;
import io.boxoffice.account.AccountService;
import io.boxoffice.account.AccountService.AccessToken;
import io.boxoffice.shared.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Accounts and tokens")
class AccountController {

	private final AccountService accounts;

	AccountController(AccountService accounts) {
		this.accounts = accounts;
	}

	@PostMapping("/accounts")
	@Operation(summary = "Register a customer or organizer",
			description = "Passwords are 8 to 72 bytes (bcrypt's limit). Emails are unique ignoring case.")
	ResponseEntity<AccountView> register(@Valid @RequestBody RegisterRequest request, HttpServletRequest http) {
		Account account = this.accounts.register(request.email(), request.password(), Role.valueOf(request.role()),
				http.getRemoteAddr());
		return ResponseEntity.created(URI.create("/api/v1/accounts/" + account.id())).body(AccountView.of(account));
	}

	@PostMapping("/auth/token")
	@ResponseStatus(HttpStatus.OK)
	@Operation(summary = "Exchange email and password for a bearer token",
			description = "An unknown email and a wrong password get the same 401 BAD_CREDENTIALS. After too many "
					+ "failed logins for one email or from one address within a few minutes, further attempts get "
					+ "429 TOO_MANY_REQUESTS with Retry-After until the window ends.")
	TokenView token(@Valid @RequestBody TokenRequest request, HttpServletRequest http) {
		AccessToken token = this.accounts.issueToken(request.email(), request.password(), http.getRemoteAddr());
		return new TokenView(token.value(), "Bearer", token.expiresIn());
	}

	record RegisterRequest(@NotBlank @Email @Size(max = 254) @Nullable String email,
			@NotNull @Size(min = 8, max = 72) @Nullable String password,
			@NotNull @Pattern(regexp = "CUSTOMER|ORGANIZER",
					message = "must be CUSTOMER or ORGANIZER") @Nullable String role) {
	}

	record TokenRequest(@NotNull @Size(max = 254) @Nullable String email,
			@NotNull @Size(max = 1024) @Nullable String password) {
	}

	record AccountView(String id, String email, String role) {

		static AccountView of(Account account) {
			return new AccountView(account.id().toString(), account.email(), account.role().name());
		}

	}

	record TokenView(String accessToken, String tokenType, long expiresIn) {
	}

}
