package io.boxoffice.booking;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One admission of a booking: a general-admission item of quantity 2 is two tickets, a
 * seat is one. Its code is the entry pass.
 */
public record Ticket(UUID id, String code, UUID categoryId, String category, @Nullable String seat,
		TicketStatus status) {

	/** 128 bits: a code is guessed with odds of one in 2^128 per try. */
	static final int CODE_BYTES = 16;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

	/**
	 * Fresh tickets for the items of a new booking, in item order (a reserved item's in
	 * the order of its seats), each with a new random code.
	 */
	static List<Ticket> issue(List<Item> items) {
		List<Ticket> tickets = new ArrayList<>();
		for (Item item : items) {
			if (item.seats().isEmpty()) {
				for (int i = 0; i < item.quantity(); i++) {
					tickets.add(issue(item, null));
				}
			}
			else {
				item.seats().forEach(seat -> tickets.add(issue(item, seat)));
			}
		}
		return List.copyOf(tickets);
	}

	private static Ticket issue(Item item, @Nullable String seat) {
		return new Ticket(UUID.randomUUID(), newCode(), item.categoryId(), item.category(), seat, TicketStatus.VALID);
	}

	/** URL-safe base64 of random bytes from a secure source, unrelated to any id. */
	static String newCode() {
		byte[] bytes = new byte[CODE_BYTES];
		RANDOM.nextBytes(bytes);
		return URL_SAFE.encodeToString(bytes);
	}

	Ticket revoked() {
		return new Ticket(this.id, this.code, this.categoryId, this.category, this.seat, TicketStatus.REVOKED);
	}

}
