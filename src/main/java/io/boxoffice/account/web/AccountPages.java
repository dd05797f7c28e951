package io.boxoffice.account.web;

import io.boxoffice.account.SessionSignIn;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.Role;
import io.boxoffice.shared.web.PageController;
import io.boxoffice.shared.web.Sentences;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Sign-in and sign-up pages; signing in itself is Spring Security's form login. */
@PageController
class AccountPages {

	private final SessionSignIn signIn;

	AccountPages(SessionSignIn signIn) {
		this.signIn = signIn;
	}

	@GetMapping("/signin")
	String signIn(@RequestParam(required = false) @Nullable String error, HttpServletRequest request, Model model) {
		HttpSession session = request.getSession(false);
		if (error != null) {
			Object failure = (session != null) ? session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION) : null;
			model.addAttribute("problem", (failure instanceof AuthenticationException ex && ex.getMessage() != null)
					? ex.getMessage() : "The email or the password is wrong.");
		}
		return "account/signin";
	}

	@GetMapping("/signup")
	String signUp() {
		return "account/signup";
	}

	@PostMapping("/signup")
	String signUp(@RequestParam String email, @RequestParam String password, @RequestParam String role,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		try {
			Role chosen = "ORGANIZER".equals(role) ? Role.ORGANIZER : Role.CUSTOMER;
			this.signIn.signUp(email, password, chosen, request, response);
			return (chosen == Role.ORGANIZER) ? "redirect:/organizer" : "redirect:/";
		}
		catch (BoxofficeException ex) {
			response.setStatus(ex.code().status().value());
			model.addAttribute("problem", Sentences.of(ex));
			model.addAttribute("email", email);
			model.addAttribute("role", role);
			return "account/signup";
		}
	}

	@RequestMapping("/denied")
	String denied(Model model, HttpServletResponse response) {
		response.setStatus(403);
		model.addAttribute("problem", "Your account may not open this page.");
		return "error";
	}

}
