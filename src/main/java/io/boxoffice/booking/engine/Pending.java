package io.boxoffice.booking.engine;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.boxoffice.booking.Views.Outcome;
import io.boxoffice.booking.engine.Allotment.Ask;
import io.boxoffice.booking.engine.Sales.Key;
import io.boxoffice.booking.store.Idempotency.KeyOf;
import org.jspecify.annotations.Nullable;

/**
 * A sale waiting in its event's lane: a one-step booking or a hold of what {@code ask}
 * asks for, or the confirmation of a hold; answered once the batch it was decided in
 * committed.
 */
final class Pending {

	enum Kind {

		BOOK, HOLD, CONFIRM

	}

	private final Kind kind;

	private final UUID customerId;

	private final Instant requestedAt;

	private final @Nullable Key key;

	private final @Nullable Ask ask;

	private final @Nullable UUID holdId;

	/** The id of the booking or hold it would make. */
	private final UUID id = UUID.randomUUID();

	final CompletableFuture<Outcome<?>> result = new CompletableFuture<>();

	/** Batches that decided it: more than one when it lost a seat to another instance. */
	int rounds;

	private Pending(Kind kind, UUID customerId, Instant requestedAt, @Nullable Key key, @Nullable Ask ask,
			@Nullable UUID holdId) {
		this.kind = kind;
		this.customerId = customerId;
		this.requestedAt = requestedAt;
		this.key = key;
		this.ask = ask;
		this.holdId = holdId;
	}

	static Pending book(Ask ask, Instant requestedAt, @Nullable Key key) {
		return new Pending(Kind.BOOK, ask.customerId(), requestedAt, key, ask, null);
	}

	static Pending hold(Ask ask, Instant requestedAt, @Nullable Key key) {
		return new Pending(Kind.HOLD, ask.customerId(), requestedAt, key, ask, null);
	}

	static Pending confirm(UUID customerId, UUID holdId, Instant requestedAt, @Nullable Key key) {
		return new Pending(Kind.CONFIRM, customerId, requestedAt, key, null, holdId);
	}

	Kind kind() {
		return this.kind;
	}

	UUID customerId() {
		return this.customerId;
	}

	Instant requestedAt() {
		return this.requestedAt;
	}

	@Nullable Key key() {
		return this.key;
	}

	@Nullable KeyOf keyOf() {
		return (this.key != null) ? new KeyOf(this.customerId, this.key.value()) : null;
	}

	/** What a booking or hold asks for. */
	Ask ask() {
		return Objects.requireNonNull(this.ask, "a confirmation asks for a hold");
	}

	/** The hold a confirmation confirms. */
	UUID holdId() {
		return Objects.requireNonNull(this.holdId, "only a confirmation has a hold");
	}

	UUID id() {
		return this.id;
	}

}
