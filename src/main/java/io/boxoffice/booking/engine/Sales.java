package io.boxoffice.booking.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import io.boxoffice.booking.Expiry;
import io.boxoffice.booking.Views.Outcome;
import io.boxoffice.booking.Views.Replay;
import io.boxoffice.booking.store.Idempotency;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventService;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.shared.Sql;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The frame every hold, booking and confirmation runs in: one transaction with the event
 * share-locked (a cancellation waits for it, and it for a cancellation) and the
 * Idempotency-Key claimed; a sale short of tickets, of named seats or of the customer's
 * limit is tried once more after every due hold of the event was expired, so that its
 * refusal is decided on what is actually available. A COMMIT whose acknowledgement is
 * lost is answered by what became of it ({@link Commits}).
 */
@Component
public class Sales {

	private final EventService events;

	private final Idempotency idempotency;

	private final Expiry expiry;

	private final PlatformTransactionManager transactions;

	private final TransactionTemplate tx;

	private final Commits commits;

	private final JsonMapper json;

	private final Clock clock;

	Sales(EventService events, Idempotency idempotency, Expiry expiry, PlatformTransactionManager transactions,
			Commits commits, JsonMapper json, Clock clock) {
		this.events = events;
		this.idempotency = idempotency;
		this.expiry = expiry;
		this.transactions = transactions;
		this.tx = new TransactionTemplate(transactions);
		this.commits = commits;
		this.json = json;
		this.clock = clock;
	}

	@FunctionalInterface
	public interface Sale<V> {

		/**
		 * @return the view of what the sale created
		 */
		V apply(Event event, Instant now);

	}

	/** An Idempotency-Key and the fingerprint of the request it came with. */
	public record Key(String value, String fingerprint) {

		static @Nullable Key of(@Nullable String header, String operation, Object request, JsonMapper json) {
			String key = Idempotency.checkedKey(header);
			return (key != null) ? new Key(key, Idempotency.fingerprint(operation, json.writeValueAsString(request)))
					: null;
		}

	}

	public @Nullable Key key(@Nullable String header, String operation, Object request) {
		return Key.of(header, operation, request, this.json);
	}

	public <V> Outcome<V> run(UUID eventId, UUID accountId, @Nullable Key key, Sale<V> sale) {
		return run(eventId, accountId, key, this.tx, sale);
	}

	/**
	 * Like {@link #run(UUID, UUID, Key, Sale)} in transactions of the given isolation.
	 */
	public <V> Outcome<V> run(UUID eventId, UUID accountId, @Nullable Key key, int isolation, Sale<V> sale) {
		TransactionTemplate isolated = new TransactionTemplate(this.transactions);
		isolated.setIsolationLevel(isolation);
		return run(eventId, accountId, key, isolated, sale);
	}

	private <V> Outcome<V> run(UUID eventId, UUID accountId, @Nullable Key key, TransactionTemplate tx, Sale<V> sale) {
		Supplier<Outcome<V>> attempt = () -> this.commits.execute(tx, status -> once(eventId, accountId, key, sale));
		try {
			return attempt.get();
		}
		catch (BoxofficeException ex) {
			// pools and tallies count an expired hold until it is marked expired (seats
			// take lapsed claims over by themselves, except in a category with a waiting
			// list, whose line gets them first); whoever marked them, this pass or the
			// sweeper since the attempt, the refusal is decided again on what is left
			boolean shortOfSomething = ex.code() == ErrorCode.SOLD_OUT || ex.code() == ErrorCode.LIMIT_EXCEEDED
					|| ex.code() == ErrorCode.SEATS_UNAVAILABLE;
			if (shortOfSomething) {
				this.expiry.expireDue(eventId);
				return attempt.get();
			}
			throw ex;
		}
	}

	private <V> Outcome<V> once(UUID eventId, UUID accountId, @Nullable Key key, Sale<V> sale) {
		Event event = this.events.getForSale(eventId);
		if (key != null) {
			Optional<Replay> replay = this.idempotency.claim(accountId, key.value(), key.fingerprint());
			if (replay.isPresent()) {
				return Outcome.replayed(replay.get());
			}
		}
		V created = sale.apply(event, Sql.now(this.clock));
		if (key != null) {
			this.idempotency.complete(accountId, key.value(), Replay.created(this.json.writeValueAsString(created)));
		}
		return Outcome.created(created);
	}

}
