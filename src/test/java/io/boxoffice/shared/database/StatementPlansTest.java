package io.boxoffice.shared.database;

import java.util.UUID;

import io.boxoffice.support.BoxofficeTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

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

	private record Plans(long generic, long custom) {
	}

}
