package io.boxoffice.booking.engine;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.boxoffice.booking.BookingProperties;
import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.ErrorCode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a sale's transaction so that its buyer is never told that nothing was booked when
 * it was. The transaction's id is read just before COMMIT; if the connection breaks
 * before COMMIT's acknowledgement arrives, the database is asked whether that transaction
 * committed ({@code pg_xact_status}) until it answers or {@code outcome-wait} runs out.
 * Committed: the sale's own answer stands. Rolled back: 503 UNAVAILABLE, nothing was
 * done. Not learned in time: 503 OUTCOME_UNKNOWN.
 */
@Component
public class Commits {

	private static final Logger log = LoggerFactory.getLogger(Commits.class);

	/** Between two questions while the database does not answer yet. */
	private static final long PAUSE_MILLIS = 50;

	private final JdbcClient jdbc;

	private final BookingProperties properties;

	/**
	 * Asks on threads of their own, so that a question stuck waiting for a connection
	 * does not hold its buyer past the wait.
	 */
	private final ExecutorService askers = Executors.newCachedThreadPool(Daemons.named("commit-outcome-"));

	Commits(JdbcClient jdbc, BookingProperties properties) {
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/** What became of a transaction whose COMMIT went unacknowledged. */
	enum Fate {

		COMMITTED, ROLLED_BACK, UNKNOWN

	}

	/**
	 * Executes the callback in a transaction of the template and commits it.
	 * @return the callback's result, also when COMMIT's acknowledgement was lost but the
	 * transaction is known to have committed
	 * @throws BoxofficeException UNAVAILABLE when it is known to have rolled back,
	 * OUTCOME_UNKNOWN when that could not be learned in time; any failure before COMMIT,
	 * or a COMMIT the database refused, is thrown as it is
	 */
	public <T> T execute(TransactionTemplate tx, TransactionCallback<T> callback) {
		Attempt<T> attempt = new Attempt<>();
		try {
			// every sale's callback returns what it made, so a null is a bug
			return Objects.requireNonNull(tx.execute(status -> {
				attempt.xid = null;
				T result = callback.doInTransaction(status);
				attempt.result = result;
				attempt.xid = currentXid();
				return result;
			}));
		}
		catch (RuntimeException ex) {
			Transaction xid = attempt.xid;
			if (xid == null || refusedByDatabase(ex)) {
				// failed before COMMIT, or wrote nothing, or the database answered no
				throw ex;
			}
			Fate fate = fateOf(xid);
			log.warn("COMMIT of transaction {} went unacknowledged ({}); it {}", xid.xid(), ex.toString(),
					switch (fate) {
						case COMMITTED -> "committed";
						case ROLLED_BACK -> "was rolled back";
						case UNKNOWN -> "may or may not have committed: the database did not answer in time";
					});
			return switch (fate) {
				case COMMITTED -> Objects.requireNonNull(attempt.result);
				case ROLLED_BACK -> throw new BoxofficeException(ErrorCode.UNAVAILABLE,
						"The connection to the database broke while committing and the database rolled back; "
								+ "nothing was held, booked or changed. Retry later");
				case UNKNOWN -> throw new BoxofficeException(ErrorCode.OUTCOME_UNKNOWN,
						"The connection to the database broke while committing and whether it took could not be "
								+ "learned in time; retry with the same Idempotency-Key, or read your bookings");
			};
		}
	}

	/**
	 * The transaction, read last before COMMIT; none when it wrote nothing, as then there
	 * is nothing whose fate matters.
	 */
	private @Nullable Transaction currentXid() {
		return this.jdbc.sql("""
				SELECT pg_current_xact_id_if_assigned()::text AS xid, pg_postmaster_start_time() AS started
				WHERE pg_current_xact_id_if_assigned() IS NOT NULL
				""")
			.query((row, n) -> new Transaction(row.getString("xid"), row.getObject("started", OffsetDateTime.class)))
			.optional()
			.orElse(null);
	}

	/**
	 * A transaction's id, and the start of the server process that gave it out. A server
	 * that started since (a restart, or a standby promoted in a failover) may have given
	 * the same id to another transaction, if the first's COMMIT never reached its log.
	 */
	record Transaction(String xid, OffsetDateTime serverStarted) {
	}

	/**
	 * Asks the database what became of the transaction until it says committed or
	 * aborted, or {@code outcome-wait} runs out. A transaction still in progress is one
	 * whose COMMIT the server is still carrying out: it is asked again.
	 */
	Fate fateOf(Transaction transaction) {
		long deadline = System.nanoTime() + this.properties.outcomeWait().toNanos();
		while (true) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return Fate.UNKNOWN;
			}
			Future<Status> asked = this.askers.submit(() -> this.jdbc
				.sql("SELECT pg_xact_status(CAST(:xid AS xid8)) AS status, pg_postmaster_start_time() AS started")
				.param("xid", transaction.xid())
				.query((row, n) -> new Status(row.getString("status"), row.getObject("started", OffsetDateTime.class)))
				.single());
			try {
				Status answer = asked.get(left, TimeUnit.NANOSECONDS);
				String status = answer.status();
				if ("committed".equals(status)) {
					// by the server that gave the id out, or one that restarted since:
					// then a
					// COMMIT that never reached the log may have left the id to another
					// transaction, and "committed" may be that one's
					return answer.serverStarted().isEqual(transaction.serverStarted()) ? Fate.COMMITTED : Fate.UNKNOWN;
				}
				if ("aborted".equals(status)) {
					return Fate.ROLLED_BACK;
				}
				if (status == null) {
					// too old to be known: cannot happen within a request's wait
					return Fate.UNKNOWN;
				}
			}
			catch (TimeoutException ex) {
				asked.cancel(true);
				return Fate.UNKNOWN;
			}
			catch (ExecutionException ex) {
				if (hasState(ex, "22023")) {
					// "transaction ID is in the future": the server restarted without the
					// transaction in its log, so its COMMIT never became durable
					return Fate.ROLLED_BACK;
				}
				// the database does not answer yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return Fate.UNKNOWN;
			}
			pause();
		}
	}

	/**
	 * Whether the database itself refused the COMMIT (a serialization failure, say): its
	 * answer arrived, so the transaction rolled back and the failure is thrown as it is.
	 * A broken connection (SQLState class 08) or a server going down (57P) says nothing.
	 */
	private static boolean refusedByDatabase(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				return !sql.getSQLState().startsWith("08") && !sql.getSQLState().startsWith("57P");
			}
		}
		return false;
	}

	private static boolean hasState(Throwable ex, String state) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && state.equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	private static void pause() {
		try {
			Thread.sleep(PAUSE_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Status(@Nullable String status, OffsetDateTime serverStarted) {
	}

	/** What one execution learned before its COMMIT. */
	private static final class Attempt<T> {

		volatile @Nullable Transaction xid;

		volatile @Nullable T result;

	}

}
