package io.boxoffice.shared.web;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.BoxofficeException.FieldError;
import org.jspecify.annotations.Nullable;

/**
 * A refusal as the pages say it: one plain sentence per error code, with the members that
 * matter (the seats taken, how many are left), and nothing of the service's internals.
 */
public final class Sentences {

	private Sentences() {
	}

	public static String of(BoxofficeException ex) {
		return switch (ex.code()) {
			case SOLD_OUT -> soldOut(ex.members().get("available"));
			case SEATS_UNAVAILABLE -> seatsUnavailable(ex.members().get("seats"));
			case HOLD_EXPIRED -> "Your hold has expired and its tickets were released. Please choose again.";
			case HOLD_CONFIRMED -> "This hold is already confirmed: its booking is in My bookings.";
			case SALES_CLOSED -> "Sales for this event are not open now.";
			case EVENT_CANCELLED -> "This event has been cancelled.";
			case LIMIT_EXCEEDED -> "That would give you more tickets than this event allows per customer.";
			case EMAIL_TAKEN -> "An account with this email already exists. Sign in instead.";
			case BAD_CREDENTIALS -> "The email or the password is wrong.";
			case TOO_MANY_REQUESTS -> "Too many attempts. Please wait a minute and try again.";
			case UNAUTHENTICATED -> "Please sign in first.";
			case FORBIDDEN -> "Your account may not do this.";
			case NOT_FOUND -> "We could not find that. It may not exist, or it is not yours.";
			case VALIDATION_FAILED -> invalid(ex);
			case OVERLOADED, UNAVAILABLE ->
				"The box office is very busy. Nothing was held or booked; please try again in a moment.";
			case OUTCOME_UNKNOWN ->
				"We could not learn whether that went through. Please look at My bookings before trying again.";
			case IDEMPOTENCY_KEY_REUSED -> "That request was already sent with different contents.";
			case NOT_SOLD_OUT -> notSoldOut(ex.members().get("available"));
			case ALREADY_WAITING -> "You are already on the waiting list for this category.";
			case NOT_ADMITTED -> "It is not your turn yet: join the queue, and buy when it lets you in.";
			default -> sentence(ex.detail());
		};
	}

	private static String soldOut(@Nullable Object available) {
		if (available instanceof Number count && count.intValue() > 0) {
			return "Not enough tickets left: only " + count + " still available.";
		}
		return "Sold out: no tickets are left in this category.";
	}

	private static String notSoldOut(@Nullable Object available) {
		if (available instanceof Number count && count.intValue() == 1) {
			return "1 ticket of this category is still available: buy it instead of waiting.";
		}
		return available + " tickets of this category are still available: buy them instead of waiting.";
	}

	private static String seatsUnavailable(@Nullable Object seats) {
		List<String> labels = (seats instanceof Collection<?> found) ? found.stream().map(String::valueOf).toList()
				: List.of();
		if (labels.isEmpty()) {
			return "Some of those seats were just taken. Please pick others.";
		}
		if (labels.size() == 1) {
			return "Seat " + labels.get(0) + " was just taken by someone else. Please pick another seat.";
		}
		return "Seats " + String.join(", ", labels.subList(0, labels.size() - 1)) + " and "
				+ labels.get(labels.size() - 1) + " were just taken by someone else. Please pick other seats.";
	}

	private static String invalid(BoxofficeException ex) {
		if (ex.members().get("errors") instanceof Collection<?> errors && !errors.isEmpty()) {
			return "Please check the form: " + errors.stream()
				.map(error -> (error instanceof FieldError field) ? field.field() + " " + field.message()
						: String.valueOf(error))
				.collect(Collectors.joining("; ")) + ".";
		}
		return sentence(ex.detail());
	}

	private static String sentence(String detail) {
		return detail.endsWith(".") ? detail : detail + ".";
	}

}
