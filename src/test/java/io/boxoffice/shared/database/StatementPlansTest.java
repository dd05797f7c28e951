package io.boxoffice.shared.database;

import java.util.List;
import java.util.UUID;

import io.boxoffice.shared.Sql;
import io.boxoffice.support.BoxofficeTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service's connections plan a prepared statement for the values it is given, each
 * time it runs. PostgreSQL otherwise switches to a generic plan after five runs and keeps
 * it: made while a fresh database's sale tables were nearly empty, the lookup of holds'
 * items by hold went on scanning the whole table as an on-sale filled it (about 2,100
 * tickets/s of holds and confirmations fell to 145).
 */
@BoxofficeTest
class StatementPlansTest {

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private TransactionTemplate tx;

	@Test
	void aStatementIsPlannedForTheValuesGivenEveryTimeItRuns() {
		UUID id = UUID.randomUUID();
		// one transaction: every statement on one of the service's connections, whose
		// prepared statements pg_prepared_statements shows; a lookup whose generic plan
		// costs what a plan for the value does, so PostgreSQL would switch to it
		Plans plans = this.tx.execute(status -> {
			this.jdbc.sql("CREATE TEMPORARY TABLE plan_probe (id uuid PRIMARY KEY) ON COMMIT DROP").update();
			for (int i = 0; i < 12; i++) {
				assertThat(this.jdbc.sql("SELECT id FROM plan_probe WHERE id = :id")
					.param("id", id)
					.query(UUID.class)
					.list()).isEmpty();
			}
			return this.jdbc.sql("""
					SELECT generic_plans AS generic, custom_plans AS custom FROM pg_prepared_statements
					 WHERE statement LIKE 'SELECT id FROM plan_probe%'
					""").query(Plans.class).single();
		});
		// the driver prepares a statement on the server from its fifth run on a
		// connection: the last 8 of the 12 runs
		assertThat(plans).isEqualTo(new Plans(0, 8));
	}

	@Test
	void setBasedInsertsUseGenericPlansAndTheStatementsAfterThemArePlannedForTheirValuesAgain() {
		Plans[] plans = this.tx.execute(status -> {
			this.jdbc.sql("CREATE TEMPORARY TABLE plan_probe (id uuid PRIMARY KEY) ON COMMIT DROP").update();
			Sql.withGenericPlans(this.jdbc, () -> {
				for (int i = 0; i < 12; i++) {
					this.jdbc.sql("INSERT INTO plan_probe SELECT * FROM unnest(CAST(:ids AS uuid[]))")
						.param("ids", Sql.array(List.of(UUID.randomUUID(), UUID.randomUUID())))
						.update();
				}
			});
			for (int i = 0; i < 12; i++) {
				// a statement of its own: the first test's may have run on this
				// connection
				this.jdbc.sql("SELECT count(*) FROM plan_probe WHERE id = :id")
					.param("id", UUID.randomUUID())
					.query(Long.class)
					.single();
			}
			return new Plans[] { plans("INSERT INTO plan_probe%"), plans("SELECT count(*) FROM plan_probe%") };
		});
		assertThat(plans).containsExactly(new Plans(8, 0), new Plans(0, 8));
	}

	/**
	 * The foreign keys of the tables the sale engine inserts into under generic plans are
	 * checked at commit, planned for their values (a check runs under the setting of the
	 * statement that fires it), and still refuse a row that points nowhere.
	 */
	@Test
	void foreignKeysOfTheBatchInsertsAreCheckedAtCommit() {
		List<String> immediate = this.jdbc
			.sql("""
					SELECT conname FROM pg_constraint
					 WHERE contype = 'f' AND NOT condeferred
					   AND conrelid IN (CAST('hold' AS regclass), CAST('hold_item' AS regclass), CAST('booking' AS regclass),
					                    CAST('booking_item' AS regclass), CAST('ticket' AS regclass))
					""")
			.query(String.class)
			.list();
		assertThat(immediate).isEmpty();

		UUID nowhere = UUID.randomUUID();
		assertThatThrownBy(() -> this.tx
			.executeWithoutResult(status -> Sql.withGenericPlans(this.jdbc, () -> this.jdbc.sql("""
					INSERT INTO booking_item (booking_id, position, category_id, quantity)
					SELECT * FROM unnest(CAST(:bookings AS uuid[]), CAST('{0}' AS int[]), CAST(:categories AS uuid[]),
					                     CAST('{1}' AS int[]))
					""")
				.param("bookings", Sql.array(List.of(nowhere)))
				.param("categories", Sql.array(List.of(nowhere)))
				.update())))
			.isInstanceOf(DataIntegrityViolationException.class)
			.hasMessageContaining("booking_item_");
		assertThat(this.jdbc.sql("SELECT count(*) FROM booking_item WHERE booking_id = :id")
			.param("id", nowhere)
			.query(Long.class)
			.single()).isZero();
	}

	private Plans plans(String statement) {
		return this.jdbc.sql("""
				SELECT generic_plans AS generic, custom_plans AS custom FROM pg_prepared_statements
				 WHERE statement LIKE :statement
				""").param("statement", statement).query(Plans.class).single();
	}

	private record Plans(long generic, long custom) {
	}

}
