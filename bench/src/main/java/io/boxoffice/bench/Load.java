package io.boxoffice.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP load generator: {@code connections} clients, each on its own virtual thread
 * with one keep-alive connection, each sending its next one-ticket booking as soon as the last is
 * answered, round-robin over the instances. Latency is measured per answer, split by outcome.
 * <p>
 * It speaks HTTP/1.1 over a plain blocking {@link Socket} rather than through the JDK's
 * {@code HttpClient}: the generator shares two cores with the service and PostgreSQL, and that
 * client spends much CPU per request and funnels every connection through one selector thread,
 * which chokes at a thousand connections. A virtual thread blocked on a socket costs nothing
 * while it waits, and a request here is one prebuilt {@code write}.
 */
final class Load {

	/** One general-admission ticket: the flash-sale request. */
	static final Supplier<String> ONE_TICKET = () -> "{\"items\":[{\"category\":\"GA\",\"quantity\":1}]}";

	/** The longest latency the histograms hold; a longer one is recorded as this. */
	private static final long LONGEST_NANOS = TimeUnit.SECONDS.toNanos(60);

	private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

	/** How long one read may block: a server that stops answering ends in an error, not a hung bench. */
	private static final int READ_TIMEOUT_MILLIS = 60_000;

	/** The pause after an error, so that a dead or refusing server is not retried in a hot loop. */
	private static final Duration ERROR_BACKOFF = Duration.ofMillis(10);

	/** How clients answer a {@code 503} that carries {@code Retry-After}. */
	enum Clients {

		/** Sends the next request at once, 503 or not: a crowd pressing reload. */
		RESEND_AT_ONCE("resend"),

		/**
		 * Waits the {@code Retry-After} of a 503 before its next request, as a buyer's app or a
		 * queue page does. The wait is no part of any latency.
		 */
		HONOUR_RETRY_AFTER("back off");

		private final String label;

		Clients(String label) {
			this.label = label;
		}

		String label() {
			return this.label;
		}

	}

	private Load() {
	}

	/**
	 * @param lastBookedSeconds when, after the start, the last request was booked: a sale that
	 * sells out early is measured up to then
	 */
	record Measured(Histogram booked, Histogram refused, Histogram shed, long errors, double seconds,
			double lastBookedSeconds) {

		long bookedCount() {
			return this.booked.getTotalCount();
		}

	}

	static Measured run(List<Integer> ports, String token, String eventId, int connections, Duration duration)
			throws InterruptedException {
		return run(ports, token, eventId, connections, duration, ONE_TICKET, Clients.RESEND_AT_ONCE);
	}

	/** Like {@link #run(List, String, String, int, Duration)}, each request with a body of its own. */
	static Measured run(List<Integer> ports, String token, String eventId, int connections, Duration duration,
			Supplier<String> bodies) throws InterruptedException {
		return run(ports, token, eventId, connections, duration, bodies, Clients.RESEND_AT_ONCE);
	}

	/** Like {@link #run(List, String, String, int, Duration, Supplier)}, with the given client behaviour. */
	static Measured run(List<Integer> ports, String token, String eventId, int connections, Duration duration,
			Supplier<String> bodies, Clients clients) throws InterruptedException {
		Tally tally = new Tally();
		long start = System.nanoTime();
		long deadline = start + duration.toNanos();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			int port = ports.get(i % ports.size());
			Client client = new Client(new InetSocketAddress("127.0.0.1", port),
					head(port, token, eventId), bodies, clients, tally, deadline);
			threads.add(Thread.ofVirtual().name("load-" + i).start(client::run));
		}
		for (Thread thread : threads) {
			thread.join();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		long lastBooked = tally.lastBooked.get();
		double lastBookedSeconds = (lastBooked == 0) ? seconds : (lastBooked - start) / 1e9;
		return new Measured(tally.booked, tally.refused, tally.shed, tally.errors.sum(), seconds, lastBookedSeconds);
	}

	/** The request line and headers of a booking, up to the value of its {@code Content-Length}. */
	private static byte[] head(int port, String token, String eventId) {
		return ("POST /api/v1/events/" + eventId + "/bookings HTTP/1.1\r\n" + "Host: 127.0.0.1:" + port + "\r\n"
				+ "Authorization: Bearer " + token + "\r\n" + "Content-Type: application/json\r\n"
				+ "Content-Length: ")
			.getBytes(StandardCharsets.US_ASCII);
	}

	/** What all clients of a run measured. */
	private static final class Tally {

		final Histogram booked = new ConcurrentHistogram(LONGEST_NANOS, 3);

		final Histogram refused = new ConcurrentHistogram(LONGEST_NANOS, 3);

		final Histogram shed = new ConcurrentHistogram(LONGEST_NANOS, 3);

		final LongAdder errors = new LongAdder();

		final AtomicLong lastBooked = new AtomicLong();

		void record(int status, long nanos) {
			long took = Math.min(nanos, LONGEST_NANOS);
			switch (status) {
				case 201 -> {
					this.booked.recordValue(took);
					this.lastBooked.accumulateAndGet(System.nanoTime(), Math::max);
				}
				case 409 -> this.refused.recordValue(took);
				case 503 -> this.shed.recordValue(took);
				default -> this.errors.increment();
			}
		}

	}

	/**
	 * One buyer in a closed loop on one keep-alive connection, opened again whenever the server
	 * closes it (Tomcat closes after every 503, for one).
	 */
	private static final class Client {

		private final InetSocketAddress address;

		private final byte[] head;

		private final Supplier<String> bodies;

		private final Clients behaviour;

		private final Tally tally;

		private final long deadline;

		private Socket socket;

		private OutputStream out;

		private Input in;

		/** The last body and its whole request: the same body (the one-ticket case) is not encoded again. */
		private String lastBody;

		private byte[] lastRequest;

		// What the head of the last response said.
		private long contentLength;

		private boolean chunked;

		private boolean close;

		private long retryAfterNanos;

		Client(InetSocketAddress address, byte[] head, Supplier<String> bodies, Clients behaviour, Tally tally,
				long deadline) {
			this.address = address;
			this.head = head;
			this.bodies = bodies;
			this.behaviour = behaviour;
			this.tally = tally;
			this.deadline = deadline;
		}

		void run() {
			try {
				while (System.nanoTime() < this.deadline) {
					byte[] request = request(this.bodies.get());
					try {
						if (this.socket == null) {
							connect();
						}
						// Connecting is no part of the latency: the clock starts as the request goes out.
						long sent = System.nanoTime();
						this.out.write(request);
						int status = readResponse();
						this.tally.record(status, System.nanoTime() - sent);
						if (this.close) {
							disconnect();
						}
						if (status == 503 && this.behaviour == Clients.HONOUR_RETRY_AFTER) {
							pause(this.retryAfterNanos);
						}
					}
					catch (IOException ex) {
						this.tally.errors.increment();
						disconnect();
						pause(ERROR_BACKOFF.toNanos());
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				disconnect();
			}
		}

		/** One write's worth: the prebuilt head, the body's length, a blank line, the body. */
		private byte[] request(String body) {
			if (body != this.lastBody) {
				byte[] payload = body.getBytes(StandardCharsets.UTF_8);
				byte[] length = (payload.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
				byte[] request = Arrays.copyOf(this.head, this.head.length + length.length + payload.length);
				System.arraycopy(length, 0, request, this.head.length, length.length);
				System.arraycopy(payload, 0, request, this.head.length + length.length, payload.length);
				this.lastBody = body;
				this.lastRequest = request;
			}
			return this.lastRequest;
		}

		/** Sleeps, but not past the end of the run. */
		private void pause(long nanos) throws InterruptedException {
			long wait = Math.min(nanos, this.deadline - System.nanoTime());
			if (wait > 0) {
				Thread.sleep(Duration.ofNanos(wait));
			}
		}

		private void connect() throws IOException {
			Socket socket = new Socket();
			try {
				// A request is one small write: send it now rather than wait to coalesce (Nagle).
				socket.setTcpNoDelay(true);
				socket.setSoTimeout(READ_TIMEOUT_MILLIS);
				socket.connect(this.address, CONNECT_TIMEOUT_MILLIS);
				this.out = socket.getOutputStream();
				this.in = new Input(socket.getInputStream());
				this.socket = socket;
			}
			catch (IOException ex) {
				socket.close();
				throw ex;
			}
		}

		private void disconnect() {
			if (this.socket != null) {
				try {
					this.socket.close();
				}
				catch (IOException ex) {
					// closing anyway
				}
				this.socket = null;
			}
		}

		/** Reads one whole response, body included, so the next one starts at its status line. */
		private int readResponse() throws IOException {
			int status = readHead();
			while (status < 200) {
				// An interim answer (100 Continue and the like) comes before the real one.
				status = readHead();
			}
			if (status == 204 || status == 304) {
				return status;
			}
			if (this.chunked) {
				readChunks();
			}
			else if (this.contentLength >= 0) {
				this.in.skip(this.contentLength);
			}
			else {
				// Neither a length nor chunks: the body runs until the server closes the connection.
				this.in.drain();
				this.close = true;
			}
			return status;
		}

		/** Reads a status line and its headers, keeping those that frame the body or say when to retry. */
		private int readHead() throws IOException {
			int length = this.in.readLine();
			byte[] line = this.in.line;
			if (length < 12 || !startsWith(line, length, "http/1.") || line[8] != ' ') {
				throw new ProtocolException("Not an HTTP/1.x status line: " + text(line, 0, length));
			}
			int status = digit(line[9]) * 100 + digit(line[10]) * 10 + digit(line[11]);
			if (status < 100) {
				throw new ProtocolException("Bad status: " + text(line, 0, length));
			}
			this.close = line[7] == '0'; // HTTP/1.0 closes after the response
			this.chunked = false;
			this.contentLength = -1;
			this.retryAfterNanos = 0;
			while ((length = this.in.readLine()) > 0) {
				line = this.in.line;
				if (startsWith(line, length, "content-length:")) {
					this.contentLength = number(text(line, 15, length), 10);
				}
				else if (startsWith(line, length, "transfer-encoding:")) {
					this.chunked = text(line, 18, length).toLowerCase(Locale.ROOT).endsWith("chunked");
				}
				else if (startsWith(line, length, "connection:")) {
					this.close |= text(line, 11, length).toLowerCase(Locale.ROOT).contains("close");
				}
				else if (startsWith(line, length, "retry-after:")) {
					this.retryAfterNanos = retryAfterNanos(text(line, 12, length));
				}
			}
			return status;
		}

		private void readChunks() throws IOException {
			long size;
			do {
				int length = this.in.readLine();
				String text = text(this.in.line, 0, length);
				int extension = text.indexOf(';');
				size = number((extension < 0) ? text : text.substring(0, extension).strip(), 16);
				this.in.skip(size);
				if (size > 0 && this.in.readLine() != 0) {
					throw new ProtocolException("Chunk not followed by CRLF");
				}
			}
			while (size > 0);
			while (this.in.readLine() > 0) {
				// trailer fields, up to the blank line that ends the response
			}
		}

		/** A length or chunk size: malformed, it is an error of the connection, not of the client's thread. */
		private static long number(String text, int radix) throws ProtocolException {
			try {
				long number = Long.parseLong(text, radix);
				if (number >= 0) {
					return number;
				}
			}
			catch (NumberFormatException ex) {
				// below
			}
			throw new ProtocolException("Not a length: " + text);
		}

		private static long retryAfterNanos(String value) {
			try {
				return TimeUnit.SECONDS.toNanos(Long.parseLong(value));
			}
			catch (NumberFormatException notSeconds) {
				try {
					ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
					return Math.max(0, Duration.between(Instant.now(), at.toInstant()).toNanos());
				}
				catch (DateTimeParseException notADate) {
					return 0;
				}
			}
		}

		private static int digit(byte b) throws ProtocolException {
			if (b < '0' || b > '9') {
				throw new ProtocolException("Not a digit in the status: " + (char) b);
			}
			return b - '0';
		}

		/** Whether the line starts with the given lower-case ASCII, in any case. */
		private static boolean startsWith(byte[] line, int length, String lowerCase) {
			if (length < lowerCase.length()) {
				return false;
			}
			for (int i = 0; i < lowerCase.length(); i++) {
				int b = line[i];
				if (b >= 'A' && b <= 'Z') {
					b += 'a' - 'A';
				}
				if (b != lowerCase.charAt(i)) {
					return false;
				}
			}
			return true;
		}

		private static String text(byte[] line, int from, int to) {
			return new String(line, from, to - from, StandardCharsets.ISO_8859_1).strip();
		}

	}

	/**
	 * The socket's input behind a buffer of its own, lines cut straight out of the buffer.
	 * {@link java.io.BufferedInputStream#read()} takes a lock for every byte (some 10 ns a byte
	 * here, a few µs a response), and a subclass reading its protected buffer would fill it under
	 * {@code synchronized}, which pins a virtual thread to its carrier on JDK 21.
	 */
	private static final class Input {

		private static final int LONGEST_LINE = 64 * 1024;

		private final InputStream in;

		private final byte[] buffer = new byte[8192];

		private int position;

		private int limit;

		/** The last line read, without its CR LF. */
		byte[] line = new byte[256];

		Input(InputStream in) {
			this.in = in;
		}

		/** Reads the next line into {@link #line}; returns its length. */
		int readLine() throws IOException {
			int length = 0;
			while (true) {
				if (this.position == this.limit) {
					fill();
				}
				int end = this.position;
				while (end < this.limit && this.buffer[end] != '\n') {
					end++;
				}
				int n = end - this.position;
				if (length + n > this.line.length) {
					if (length + n > LONGEST_LINE) {
						throw new ProtocolException("A line longer than " + LONGEST_LINE + " bytes");
					}
					this.line = Arrays.copyOf(this.line, Math.max(2 * this.line.length, length + n));
				}
				System.arraycopy(this.buffer, this.position, this.line, length, n);
				length += n;
				if (end < this.limit) {
					this.position = end + 1;
					break;
				}
				this.position = end;
			}
			return (length > 0 && this.line[length - 1] == '\r') ? length - 1 : length;
		}

		void skip(long bytes) throws IOException {
			while (bytes > 0) {
				if (this.position == this.limit) {
					fill();
				}
				int step = (int) Math.min(bytes, this.limit - this.position);
				this.position += step;
				bytes -= step;
			}
		}

		/** Reads up to the end of the stream. */
		void drain() throws IOException {
			this.position = this.limit;
			while (this.in.read(this.buffer) >= 0) {
				// discarded
			}
		}

		private void fill() throws IOException {
			int n = this.in.read(this.buffer);
			if (n < 0) {
				throw new EOFException("Connection closed mid-response");
			}
			this.position = 0;
			this.limit = n;
		}

	}

}
