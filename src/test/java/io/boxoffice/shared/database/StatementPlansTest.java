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
 * tickets/s of holds and confirmations fell to 145). The sale engine's set-based inserts
 * are the exception, in a window of generic plans made with sequential scans off.
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
	 * A foreign key check of a row inserted with generic plans is planned generic too,
	 * and that plan is kept until the table is analysed again. Made while the table was
	 * small, as on a fresh database, it would scan the whole table for every row as an
	 * on-sale fills it; with sequential scans off it looks the key up in the index.
	 */
	@Test
	void aLookupByKeyPlannedForGenericPlansUsesTheIndexEvenOnASmallTable() {
		String[] plans = this.tx.execute(status -> {
			this.jdbc.sql("CREATE TEMPORARY TABLE plan_parent (id uuid PRIMARY KEY) ON COMMIT DROP").update();
			this.jdbc.sql("INSERT INTO plan_parent SELECT gen_random_uuid() FROM generate_series(1, 20)").update();
			this.jdbc.sql("ANALYZE plan_parent").update();
			// the lookup of a foreign key check
			String lookup = "(uuid) AS SELECT 1 FROM plan_parent x WHERE id = $1 FOR KEY SHARE OF x";
			this.jdbc.sql("PREPARE lookup_generic " + lookup).update();
			this.jdbc.sql("PREPARE lookup_in_window " + lookup).update();
			this.jdbc.sql("SET LOCAL plan_cache_mode = force_generic_plan").update();
			String generic = explain("lookup_generic");
			this.jdbc.sql("SET LOCAL plan_cache_mode = force_custom_plan").update();
			String[] inWindow = new String[1];
			Sql.withGenericPlans(this.jdbc, () -> inWindow[0] = explain("lookup_in_window"));
			this.jdbc.sql("DEALLOCATE lookup_generic").update();
			this.jdbc.sql("DEALLOCATE lookup_in_window").update();
			return new String[] { generic, inWindow[0],
					this.jdbc.sql("SHOW enable_seqscan").query(String.class).single() };
		});
		assertThat(plans[0]).startsWith("LockRows").contains("Seq Scan on plan_parent");
		assertThat(plans[1]).startsWith("LockRows").contains("Index Scan using plan_parent_pkey");
		assertThat(plans[2]).isEqualTo("on");
	}

	/**
	 * The foreign keys still refuse a row inserted with generic plans that points
	 * nowhere.
	 */
	@Test
	void foreignKeysRefuseARowInsertedWithGenericPlansThatPointsNowhere() {
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

	private String explain(String prepared) {
		return String.join("\n",
				this.jdbc.sql("EXPLAIN EXECUTE " + prepared + "('" + UUID.randomUUID() + "')")
					.query(String.class)
					.list());
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
