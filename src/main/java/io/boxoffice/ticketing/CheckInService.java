package io.boxoffice.ticketing;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.boxoffice.booking.Views.TicketView;
import io.boxoffice.event.EventService;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Sql;
import io.boxoffice.ticketing.TicketRepository.Scanned;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Check-in at the gates by the event's organizer. Exactly one scan of a ticket admits it,
 * however many gates and instances scan it at once: the admitting scan is one guarded
 * UPDATE, with no lock taken before it. The others learn when and at which gate it was
 * admitted. A scanner that retries with the Idempotency-Key of the admitting scan gets
 * its answer again; every other answer is the same on a retry anyway.
 * <p>
 * Metrics: {@code boxoffice.checkins{result=ADMITTED|ALREADY_CHECKED_IN|TICKET_REVOKED|
 * NOT_FOUND|REPLAYED}}.
 */
@Service
public class CheckInService {

	private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

	/** A ticket code as the service issues them: URL-safe base64, with room to spare. */
	private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{1,100}");

	private static final int MAX_GATE = 64;

	private final TicketRepository tickets;

	private final EventService events;

	private final Clock clock;

	private final Map<String, Counter> results = new HashMap<>();

	CheckInService(TicketRepository tickets, EventService events, Clock clock, MeterRegistry registry) {
		this.tickets = tickets;
		this.events = events;
		this.clock = clock;
		for (String result : new String[] { "ADMITTED", "ALREADY_CHECKED_IN", "TICKET_REVOKED", "NOT_FOUND",
				"REPLAYED" }) {
			this.results.put(result,
					Counter.builder("boxoffice.checkins")
						.description("Check-in scans by result")
						.tag("result", result)
						.register(registry));
		}
	}

	/**
	 * Scans a ticket at a gate.
	 * @param key the scanner's Idempotency-Key, if it sent one
	 * @return the admitting scan's answer, this scan's or, for a retry with its key, the
	 * first
	 * @throws BoxofficeException ALREADY_CHECKED_IN (members {@code checkedInAt},
	 * {@code gate}), TICKET_REVOKED, NOT_FOUND (no such code in this event, or another
	 * organizer's event), VALIDATION_FAILED, IDEMPOTENCY_KEY_REUSED
	 */
	public CheckIn checkIn(UUID organizerId, UUID eventId, String code, @Nullable String gate, @Nullable String key) {
		validate(gate, key);
		if (!CODE.matcher(code).matches()) {
			throw notFound();
		}
		Instant now = Sql.now(this.clock);
		Optional<TicketView> admitted;
		try {
			admitted = this.tickets.admit(organizerId, eventId, code, gate, now, key);
		}
		catch (DuplicateKeyException ex) {
			// this account's key admitted another ticket already
			throw keyReused();
		}
		if (admitted.isPresent()) {
			count("ADMITTED");
			return new CheckIn(new CheckInView("ADMITTED", admitted.get(), now, gate), false);
		}
		Scanned scanned = this.tickets.find(organizerId, eventId, code).orElse(null);
		if (key != null) {
			String keyed = this.tickets.codeCheckedInWith(organizerId, key).orElse(null);
			if (keyed != null && !keyed.equals(code)) {
				throw keyReused();
			}
		}
		if (scanned == null) {
			count("NOT_FOUND");
			throw notFound();
		}
		Instant checkedInAt = scanned.checkedInAt();
		if (key != null && checkedInAt != null && key.equals(scanned.key())
				&& organizerId.equals(scanned.checkedInBy())) {
			if (!java.util.Objects.equals(gate, scanned.gate())) {
				throw keyReused();
			}
			count("REPLAYED");
			TicketView ticket = scanned.ticket();
			return new CheckIn(new CheckInView("ADMITTED",
					new TicketView(ticket.id(), ticket.code(), ticket.category(), ticket.seat(), "CHECKED_IN"),
					checkedInAt, scanned.gate()), true);
		}
		if (scanned.ticket().status().equals("REVOKED")) {
			count("TICKET_REVOKED");
			throw new BoxofficeException(ErrorCode.TICKET_REVOKED,
					"This ticket was revoked: its booking or its event was cancelled");
		}
		if (checkedInAt == null) {
			throw new IllegalStateException("Ticket " + scanned.ticket().id() + " neither admitted nor refused");
		}
		count("ALREADY_CHECKED_IN");
		Map<String, Object> members = new HashMap<>();
		members.put("checkedInAt", checkedInAt.toString());
		members.put("gate", scanned.gate());
		throw new BoxofficeException(ErrorCode.ALREADY_CHECKED_IN, "This ticket was checked in at " + checkedInAt
				+ ((scanned.gate() != null) ? " at gate " + scanned.gate() : ""), members);
	}

	/**
	 * The event's tickets (valid and checked in), how many are checked in, and by gate.
	 */
	public CheckInCounts counts(UUID organizerId, UUID eventId) {
		this.events.getOwn(organizerId, eventId);
		TicketRepository.Counts counts = this.tickets.counts(eventId);
		return new CheckInCounts(counts.tickets(), counts.checkedIn(), this.tickets.checkedInByGate(eventId));
	}

	/**
	 * The code of a ticket of this customer's, for its QR image.
	 * @throws BoxofficeException NOT_FOUND for anyone else, or an unknown code
	 */
	public String codeOf(UUID customerId, String code) {
		if (CODE.matcher(code).matches() && this.tickets.customerOf(code).filter(customerId::equals).isPresent()) {
			return code;
		}
		throw BoxofficeException.notFound("Ticket");
	}

	private static void validate(@Nullable String gate, @Nullable String key) {
		if (gate != null && (gate.isBlank() || gate.codePointCount(0, gate.length()) > MAX_GATE
				|| !gate.codePoints().allMatch(CheckInService::printable))) {
			throw BoxofficeException.invalid("gate", "must be 1 to " + MAX_GATE + " printable characters");
		}
		if (key != null && !VALID_KEY.matcher(key).matches()) {
			throw BoxofficeException.invalid("Idempotency-Key", "must be 1 to 255 printable ASCII characters");
		}
	}

	private static boolean printable(int codePoint) {
		int type = Character.getType(codePoint);
		return type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
				&& type != Character.UNASSIGNED && type != Character.PRIVATE_USE && type != Character.LINE_SEPARATOR
				&& type != Character.PARAGRAPH_SEPARATOR;
	}

	private static BoxofficeException notFound() {
		return new BoxofficeException(ErrorCode.NOT_FOUND, "No ticket with this code in this event");
	}

	private static BoxofficeException keyReused() {
		return new BoxofficeException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
				"This Idempotency-Key was used with a different check-in");
	}

	private void count(String result) {
		Counter counter = this.results.get(result);
		if (counter != null) {
			counter.increment();
		}
	}

	/** The answer to a check-in, and whether it is the first answer given again. */
	public record CheckIn(CheckInView view, boolean replayed) {
	}

	/** {@code 200} of a check-in: the ticket was admitted, when and at which gate. */
	public record CheckInView(String result, TicketView ticket, Instant checkedInAt, @Nullable String gate) {
	}

	/** Tickets that are valid or checked in, how many are checked in, and per gate. */
	public record CheckInCounts(long tickets, long checkedIn, Map<String, Long> byGate) {
	}

}
