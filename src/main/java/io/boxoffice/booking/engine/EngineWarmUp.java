package io.boxoffice.booking.engine;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.boxoffice.booking.SaleEngineWarmUp;
import io.boxoffice.booking.Views.Outcome;
import io.boxoffice.booking.engine.Allotment.Ask;
import io.boxoffice.booking.engine.Allotment.Line;
import io.boxoffice.booking.engine.BatchTransaction.Result;
import io.boxoffice.event.Category;
import io.boxoffice.event.Event;
import io.boxoffice.event.EventService;
import io.boxoffice.event.NewEvent;
import io.boxoffice.event.NewEvent.NewCategory;
import io.boxoffice.shared.Sql;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the sale engine's batches for a while in one transaction that is rolled back: an
 * account and a general-admission event of its own, one-ticket bookings decided and
 * written in batches as a flash sale's are, and their answers turned into JSON. The
 * rollback takes every row back, so nothing is left; what stays is the compiled code of
 * the engine's path, which a freshly started instance otherwise runs interpreted for its
 * first buyers.
 */
@Component
class EngineWarmUp implements SaleEngineWarmUp {

	/** Bookings decided together: a batch of a flash sale at 64 connections. */
	private static final int BATCH = 64;

	private final EventService events;

	private final BatchTransaction transaction;

	private final TransactionTemplate tx;

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Clock clock;

	EngineWarmUp(EventService events, BatchTransaction transaction, PlatformTransactionManager transactions,
			JdbcClient jdbc, JsonMapper json, Clock clock) {
		this.events = events;
		this.transaction = transaction;
		this.tx = new TransactionTemplate(transactions);
		this.jdbc = jdbc;
		this.json = json;
		this.clock = clock;
	}

	@Override
	public int run(Duration duration) {
		Integer booked = this.tx.execute((status) -> {
			status.setRollbackOnly();
			UUID customer = UUID.randomUUID();
			Instant now = Sql.now(this.clock);
			this.jdbc.sql(
					"INSERT INTO account (id, email, password_hash, role, created_at) VALUES (?, ?, '-', 'CUSTOMER', ?)")
				.params(customer, "warm-up-" + customer + "@boxoffice.invalid", now.atOffset(java.time.ZoneOffset.UTC))
				.update();
			Event event = this.events.create(customer,
					new NewEvent("Warm-up", null, now.plus(Duration.ofDays(1)), null, null, null, null,
							List.of(new NewCategory("GA", "Warm-up", BigDecimal.ONE, "EUR", 10_000_000, null))));
			Category category = event.categories().get(0);
			Ask ask = new Ask(customer, List.of(Line.pool(category, 1)));
			long deadline = System.nanoTime() + duration.toNanos();
			int decided = 0;
			while (System.nanoTime() < deadline) {
				List<Pending> batch = new ArrayList<>(BATCH);
				for (int i = 0; i < BATCH; i++) {
					batch.add(Pending.book(ask, Sql.now(this.clock), null));
				}
				Result result = this.transaction.run(event.id(), batch, false);
				result.answers.forEach(Runnable::run);
				for (Pending pending : batch) {
					if (pending.result.getNow(null) instanceof Outcome.Created<?> created) {
						this.json.writeValueAsString(created.view());
					}
				}
				decided += batch.size();
			}
			return decided;
		});
		return (booked != null) ? booked : 0;
	}

}
