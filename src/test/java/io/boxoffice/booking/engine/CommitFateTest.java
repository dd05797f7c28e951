package io.boxoffice.booking.engine;

import java.time.OffsetDateTime;

import io.boxoffice.booking.engine.Commits.Fate;
import io.boxoffice.booking.engine.Commits.Transaction;
import io.boxoffice.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the service concludes about a transaction whose COMMIT went unacknowledged, asked
 * of the real database. A server that started after the transaction (a restart, or a
 * standby promoted in a failover) may have given its id to another transaction if its
 * COMMIT never reached the log, so its "committed" proves nothing.
 */
class CommitFateTest extends IntegrationTest {

	@Autowired
	Commits commits;

	@Autowired
	TransactionTemplate tx;

	@Test
	void aCommittedTransactionIsCommittedOnTheServerThatRanIt() {
		Transaction committed = transaction(false);

		assertThat(this.commits.fateOf(committed)).isEqualTo(Fate.COMMITTED);
	}

	@Test
	void aCommittedIdOnAServerThatStartedSinceIsNotTakenAsProof() {
		Transaction committed = transaction(false);
		Transaction onAnEarlierServer = new Transaction(committed.xid(), committed.serverStarted().minusMinutes(1));

		assertThat(this.commits.fateOf(onAnEarlierServer)).isEqualTo(Fate.UNKNOWN);
	}

	@Test
	void aRolledBackTransactionIsRolledBackWhicheverServerAnswers() {
		Transaction rolledBack = transaction(true);

		assertThat(this.commits.fateOf(rolledBack)).isEqualTo(Fate.ROLLED_BACK);
		assertThat(this.commits.fateOf(new Transaction(rolledBack.xid(), rolledBack.serverStarted().minusMinutes(1))))
			.isEqualTo(Fate.ROLLED_BACK);
	}

	/** A transaction that was given an id, and the start of the server that gave it. */
	private Transaction transaction(boolean rollBack) {
		return this.tx.execute(status -> {
			Transaction transaction = this.jdbc
				.sql("SELECT pg_current_xact_id()::text AS xid, pg_postmaster_start_time() AS started")
				.query((row, n) -> new Transaction(row.getString("xid"),
						row.getObject("started", OffsetDateTime.class)))
				.single();
			if (rollBack) {
				status.setRollbackOnly();
			}
			return transaction;
		});
	}

}
