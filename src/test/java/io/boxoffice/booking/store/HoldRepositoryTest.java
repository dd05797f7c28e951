package io.boxoffice.booking.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.boxoffice.booking.Hold;
import io.boxoffice.booking.HoldStatus;
import io.boxoffice.booking.Item;
import io.boxoffice.support.Api;
import io.boxoffice.support.IntegrationTest;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds made here are remembered once their transaction commits, so that a confirmation
 * asks the database neither for the hold's event nor for its items: what it gets must be
 * what the database holds, and a hold is still only its own customer's.
 */
class HoldRepositoryTest extends IntegrationTest {

	@Autowired
	private HoldRepository holds;

	@Autowired
	private TransactionTemplate tx;

	@Test
	void aHoldMadeHereReadsAsTheDatabaseHasIt() {
		String event = this.api.gaEvent(this.api.organizer(), 10);
		String customer = this.api.customer();
		UUID hold = UUID.fromString(hold(customer, event, 3).expectStatus(201).id());

		assertThat(this.holds.eventOf(hold, Api.accountId(customer))).contains(UUID.fromString(event));
		assertThat(this.holds.eventOf(hold, Api.accountId(this.api.customer()))).isEmpty();

		List<Hold> remembered = this.tx.execute(status -> this.holds.lockAll(List.of(hold)));
		List<Hold> read = this.tx.execute(status -> new HoldRepository(this.jdbc).lockAll(List.of(hold)));

		assertThat(read).hasSize(1);
		assertThat(read.get(0).items()).extracting(Item::category, Item::quantity, Item::seats)
			.containsExactly(Tuple.tuple("GA", 3, List.of()));
		assertThat(remembered).isEqualTo(read);
	}

	@Test
	void theItemsOfAHoldRolledBackAreNotRemembered() {
		String customer = this.api.customer();
		UUID event = UUID.fromString(this.api.gaEvent(this.api.organizer(), 10));
		UUID category = this.jdbc.sql("SELECT id FROM category WHERE event_id = :event")
			.param("event", event)
			.query(UUID.class)
			.single();
		UUID id = UUID.randomUUID();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		Hold rolledBack = new Hold(id, event, Api.accountId(customer), HoldStatus.ACTIVE, now.plusSeconds(600),
				List.of(new Item(category, "GA", 4, List.of())), BigDecimal.ZERO, "EUR", now);
		this.tx.executeWithoutResult(status -> {
			this.holds.insertAll(List.of(rolledBack));
			status.setRollbackOnly();
		});
		// the same hold committed with other items (by another instance, say), its ticket
		// taken from the pool as a sale takes it
		Hold committed = new Hold(id, event, Api.accountId(customer), HoldStatus.ACTIVE, now.plusSeconds(600),
				List.of(new Item(category, "GA", 1, List.of())), BigDecimal.ZERO, "EUR", now);
		this.tx.executeWithoutResult(status -> {
			new HoldRepository(this.jdbc).insertAll(List.of(committed));
			this.jdbc.sql("UPDATE pool SET available = available - 1, held = held + 1 WHERE category_id = :category")
				.param("category", category)
				.update();
		});

		List<Hold> read = this.tx.execute(status -> this.holds.lockAll(List.of(id)));

		assertThat(read).extracting(Hold::items).containsExactly(committed.items());
	}

}
