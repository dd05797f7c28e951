package io.boxoffice.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.boxoffice.support.Api;
import io.boxoffice.support.Api.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of a service that runs its own embedded PostgreSQL: the next start
 * comes up in one go, with every booking, whether the server was left running (the whole
 * process group killed) or stopped by the guard the service leaves beside it (the service
 * alone killed). The service runs as a process of its own, from the test's class path.
 */
class EmbeddedDatabaseCrashTest {

	@TempDir
	Path dataDir;

	@Test
	void startsAgainInOneGoWithEveryBookingAfterAKill() throws Exception {
		Path log = Path.of("target", "embedded-database-crash-service.log");
		Files.deleteIfExists(log);
		ServiceProcess service = ServiceProcess.fromClassPath(ServiceProcess.freePort(), log,
				List.of("boxoffice.embedded-database.data-dir=" + this.dataDir));
		try (service) {
			service.start();
			Api api = new Api(service.port());
			String eventId = api.gaEvent(api.organizer(), 10);
			String customer = api.customer();
			String bookings = "/api/v1/events/" + eventId + "/bookings";
			Response first = api.post(bookings, customer, Api.items("GA", 3)).expectStatus(201);

			// the service and everything it started killed: its server is left running
			long leftover = postmasterPid();
			service.killWithChildren();
			assertThat(ProcessHandle.of(leftover).filter(ProcessHandle::isAlive)).isPresent();

			service.start();
			assertThat(ProcessHandle.of(leftover).filter(ProcessHandle::isAlive)).isEmpty();
			assertThat(Files.readString(log)).contains("The embedded PostgreSQL " + leftover + " of " + this.dataDir
					+ " is still running from a service that did not stop cleanly");
			assertThat(api.counts(eventId, "GA")).isEqualTo(new Api.Counts(10, 7, 0, 3));
			assertThat(booking(api, first, customer)).isEqualTo(first.json());
			Response second = api.post(bookings, customer, Api.items("GA", 2)).expectStatus(201);

			// the service alone killed: the guard it leaves stops the server at once
			long guarded = postmasterPid();
			service.kill();
			assertThat(exited(guarded)).as("the server stopped by the guard").isTrue();

			service.start();
			assertThat(Files.readString(log)).doesNotContain("The embedded PostgreSQL " + guarded + " ");
			assertThat(api.counts(eventId, "GA")).isEqualTo(new Api.Counts(10, 5, 0, 5));
			assertThat(booking(api, first, customer)).isEqualTo(first.json());
			assertThat(booking(api, second, customer)).isEqualTo(second.json());
		}
	}

	private long postmasterPid() throws java.io.IOException {
		return Long.parseLong(Files.readAllLines(this.dataDir.resolve("postmaster.pid")).get(0).trim());
	}

	/** Waits for the process to end; the bound only guards against a hang. */
	private static boolean exited(long pid) throws Exception {
		CompletableFuture<ProcessHandle> exit = ProcessHandle.of(pid)
			.map(ProcessHandle::onExit)
			.orElse(CompletableFuture.completedFuture(null));
		try {
			exit.get(60, TimeUnit.SECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
	}

	private static tools.jackson.databind.JsonNode booking(Api api, Response created, String customer) {
		return api.get("/api/v1/bookings/" + created.json().get("id").asString(), customer).expectStatus(200).json();
	}

}
