package io.boxoffice.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Server-Sent Events client, as a browser's {@code EventSource} reads a stream: each
 * event (name and data) and each comment line, in the order they arrived, read on a
 * thread of its own.
 */
final class EventStream implements AutoCloseable {

	/** How long a test waits for the next thing on a stream: correctness, not speed. */
	static final Duration PATIENCE = Duration.ofSeconds(60);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Received END = new Received(null, null, false);

	private final HttpResponse<Stream<String>> response;

	private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

	private EventStream(HttpResponse<Stream<String>> response) {
		this.response = response;
		if (response.statusCode() == 200) {
			Thread reader = new Thread(this::read, "event-stream-reader");
			reader.setDaemon(true);
			reader.start();
		}
	}

	static EventStream open(int port, String path) {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Accept", "text/event-stream")
			.GET()
			.build();
		try {
			return new EventStream(http.send(request, HttpResponse.BodyHandlers.ofLines()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	int status() {
		return this.response.statusCode();
	}

	@Nullable String contentType() {
		return header("Content-Type");
	}

	@Nullable String header(String name) {
		return this.response.headers().firstValue(name).orElse(null);
	}

	/** The whole body of an answer that is not a stream, such as a problem. */
	JsonNode body() {
		try (Stream<String> lines = this.response.body()) {
			return JSON.readTree(lines.collect(Collectors.joining("\n")));
		}
	}

	private void read() {
		String name = null;
		StringBuilder data = new StringBuilder();
		try (Stream<String> lines = this.response.body()) {
			Iterator<String> iterator = lines.iterator();
			while (iterator.hasNext()) {
				String line = iterator.next();
				if (line.startsWith(":")) {
					this.received.add(new Received(null, line.substring(1), true));
				}
				else if (line.startsWith("event:")) {
					name = line.substring("event:".length()).strip();
				}
				else if (line.startsWith("data:")) {
					data.append(line.substring("data:".length()));
				}
				else if (line.isEmpty() && (name != null || !data.isEmpty())) {
					this.received.add(new Received(name, data.toString(), false));
					name = null;
					data.setLength(0);
				}
			}
		}
		catch (RuntimeException ex) {
			// closed by the test, or by the server
		}
		this.received.add(END);
	}

	/** The next event or comment; fails when none comes within {@link #PATIENCE}. */
	Received next() {
		try {
			Received next = this.received.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
			if (next == null) {
				throw new AssertionError("Nothing arrived on the stream within " + PATIENCE);
			}
			if (next == END) {
				this.received.add(END);
				throw new AssertionError("The stream ended");
			}
			return next;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The data of the next event, which must have this name (comments are skipped). */
	JsonNode nextDocument(String name) {
		Received next = next();
		while (next.comment()) {
			next = next();
		}
		if (!name.equals(next.name())) {
			throw new AssertionError("Expected an event " + name + " but got " + next);
		}
		return JSON.readTree(next.data());
	}

	/** Reads events of this name until one matches, and returns it. */
	JsonNode awaitDocument(String name, Predicate<JsonNode> wanted) {
		while (true) {
			JsonNode document = nextDocument(name);
			if (wanted.test(document)) {
				return document;
			}
		}
	}

	@Override
	public void close() {
		this.response.body().close();
	}

	record Received(@Nullable String name, @Nullable String data, boolean comment) {
	}

}
