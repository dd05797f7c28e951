package io.boxoffice.shared.web;

import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.SignedIn;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * What every page knows (who is signed in) and how a page says no: the refusal's sentence
 * ({@link Sentences}) on the error page with the refusal's status, and for a failure of
 * the service a sentence without its internals.
 */
@ControllerAdvice(annotations = PageController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageErrors {

	private static final Logger log = LoggerFactory.getLogger(PageErrors.class);

	private static final String VIEW = "error";

	@ModelAttribute("me")
	@Nullable SignedIn me() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return (authentication != null && authentication.getPrincipal() instanceof SignedIn signedIn) ? signedIn : null;
	}

	@ExceptionHandler(BoxofficeException.class)
	String refused(BoxofficeException ex, Model model, HttpServletResponse response) {
		return page(ex.code().status(), Sentences.of(ex), model, response);
	}

	@ExceptionHandler({ ServletRequestBindingException.class, MethodArgumentTypeMismatchException.class })
	String malformed(Exception ex, Model model, HttpServletResponse response) {
		return page(HttpStatus.BAD_REQUEST, "That address or form is not complete or not valid.", model, response);
	}

	@ExceptionHandler(HttpRequestMethodNotSupportedException.class)
	String method(Exception ex, Model model, HttpServletResponse response) {
		return page(HttpStatus.METHOD_NOT_ALLOWED, "That page cannot be used this way.", model, response);
	}

	@ExceptionHandler(Exception.class)
	String failed(Exception ex, Model model, HttpServletResponse response) {
		log.error("A page failed", ex);
		return page(ErrorCode.INTERNAL_ERROR.status(),
				"Something went wrong on our side. Nothing you did caused it; please try again.", model, response);
	}

	private String page(HttpStatus status, String sentence, Model model, HttpServletResponse response) {
		response.setStatus(status.value());
		model.addAttribute("status", status.value());
		model.addAttribute("problem", sentence);
		model.addAttribute("me", me());
		return VIEW;
	}

}
