package io.boxoffice.faults;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy between the service and PostgreSQL that can lose a COMMIT's
 * acknowledgement: it forwards the COMMIT of a transaction that ran a given statement,
 * lets the server carry it out, and then cuts the connection instead of relaying the
 * reply. Optionally the database then stays unreachable (every connection cut, new ones
 * refused) until {@link #reachable()}.
 *
 * <p>
 * It reads the PostgreSQL wire protocol from the client: a simple Query ('Q'), or the
 * extended protocol's Bind ('B') of a statement Parsed ('P') before, named or unnamed,
 * ended by Sync ('S'). The JDBC URL must disable SSL and GSS encryption
 * ({@link #jdbcUrl(String)} does).
 */
final class CommitCutter implements AutoCloseable {

	private static final Pattern HOST_PORT = Pattern.compile("//([^:/]+):(\\d+)/");

	private final ServerSocket server;

	private final String host;

	private final int port;

	private final Set<Link> links = ConcurrentHashMap.newKeySet();

	private final AtomicInteger cuts = new AtomicInteger();

	/** What the transaction to cut runs; none when disarmed. */
	private volatile @Nullable String marker;

	/** Transactions running the marker to let through before the one cut. */
	private final AtomicInteger skip = new AtomicInteger();

	private volatile boolean thenUnreachable;

	private volatile boolean unreachable;

	CommitCutter(String targetJdbcUrl) {
		Matcher target = HOST_PORT.matcher(targetJdbcUrl);
		if (!target.find()) {
			throw new IllegalArgumentException("No host and port in " + targetJdbcUrl);
		}
		this.host = target.group(1);
		this.port = Integer.parseInt(target.group(2));
		try {
			this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread acceptor = new Thread(this::accept, "commit-cutter");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** The target's JDBC URL with this proxy in between. */
	String jdbcUrl(String targetJdbcUrl) {
		String url = HOST_PORT.matcher(targetJdbcUrl).replaceFirst("//127.0.0.1:" + this.server.getLocalPort() + "/");
		return url + (url.contains("?") ? "&" : "?") + "sslmode=disable&gssEncMode=disable";
	}

	/**
	 * Cuts the acknowledgement of the COMMIT of the next transaction that runs a
	 * statement containing {@code marker}, after letting {@code skip} such transactions
	 * through.
	 */
	void cutCommitOf(String marker, int skip, boolean thenUnreachable) {
		this.skip.set(skip);
		this.thenUnreachable = thenUnreachable;
		this.marker = marker;
	}

	/** Acknowledgements cut so far. */
	int cuts() {
		return this.cuts.get();
	}

	/** Forwards new connections again. */
	void reachable() {
		this.unreachable = false;
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		this.links.forEach(Link::close);
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				if (this.unreachable) {
					client.close();
					continue;
				}
				Link link = new Link(client, new Socket(this.host, this.port));
				this.links.add(link);
				link.start();
			}
			catch (IOException ex) {
				// closed, or the target refused: the client sees its connection fail
			}
		}
	}

	/** Whether this transaction, which ran the marker, is the one to cut. */
	private boolean takeCut() {
		if (this.marker == null) {
			return false;
		}
		if (this.skip.getAndDecrement() > 0) {
			return false;
		}
		this.marker = null;
		return true;
	}

	private void cut(Link link) {
		this.cuts.incrementAndGet();
		if (this.thenUnreachable) {
			this.unreachable = true;
			this.links.forEach(Link::close);
		}
		link.close();
	}

	private final class Link {

		private final Socket client;

		private final Socket upstream;

		/** Set once the COMMIT to cut was forwarded: the server's replies are dropped. */
		private volatile boolean swallow;

		Link(Socket client, Socket upstream) {
			this.client = client;
			this.upstream = upstream;
		}

		void start() {
			Thread up = new Thread(this::clientToServer, "commit-cutter-up");
			up.setDaemon(true);
			up.start();
			Thread down = new Thread(this::serverToClient, "commit-cutter-down");
			down.setDaemon(true);
			down.start();
		}

		void close() {
			CommitCutter.this.links.remove(this);
			try {
				this.client.close();
			}
			catch (IOException ex) {
				// already closed
			}
			try {
				this.upstream.close();
			}
			catch (IOException ex) {
				// already closed
			}
		}

		private void clientToServer() {
			Map<String, String> statements = new HashMap<>();
			boolean ranMarker = false;
			boolean committing = false;
			try {
				DataInputStream in = new DataInputStream(new BufferedInputStream(this.client.getInputStream()));
				DataOutputStream out = new DataOutputStream(new BufferedOutputStream(this.upstream.getOutputStream()));
				// the startup message has no type byte
				int length = in.readInt();
				out.writeInt(length);
				out.write(in.readNBytes(length - 4));
				out.flush();
				while (true) {
					byte type = in.readByte();
					length = in.readInt();
					byte[] body = in.readNBytes(length - 4);
					String sql = null;
					if (type == 'Q') {
						sql = cString(body, 0);
					}
					else if (type == 'P') {
						// only remembered: a statement runs when it is bound
						String name = cString(body, 0);
						statements.put(name, cString(body, name.getBytes(StandardCharsets.UTF_8).length + 1));
					}
					else if (type == 'B') {
						String portal = cString(body, 0);
						sql = statements.get(cString(body, portal.getBytes(StandardCharsets.UTF_8).length + 1));
					}
					if (sql != null) {
						String marker = CommitCutter.this.marker;
						if (marker != null && sql.contains(marker)) {
							ranMarker = true;
						}
						String statement = sql.trim().toUpperCase(java.util.Locale.ROOT);
						if (statement.equals("COMMIT")) {
							committing = ranMarker;
							ranMarker = false;
						}
						else if (statement.equals("ROLLBACK")) {
							ranMarker = false;
						}
					}
					boolean endsCommit = committing && (type == 'S' || type == 'Q');
					if (endsCommit) {
						committing = false;
						if (takeCut()) {
							this.swallow = true;
						}
					}
					out.writeByte(type);
					out.writeInt(length);
					out.write(body);
					if (in.available() == 0 || this.swallow) {
						out.flush();
					}
					if (this.swallow) {
						return;
					}
				}
			}
			catch (IOException ex) {
				close();
			}
		}

		private void serverToClient() {
			try {
				DataInputStream in = new DataInputStream(new BufferedInputStream(this.upstream.getInputStream()));
				DataOutputStream out = new DataOutputStream(new BufferedOutputStream(this.client.getOutputStream()));
				while (true) {
					byte type = in.readByte();
					int length = in.readInt();
					byte[] body = in.readNBytes(length - 4);
					if (this.swallow) {
						if (type == 'Z') {
							// the server has carried the COMMIT out; its client never
							// hears
							cut(this);
							return;
						}
						continue;
					}
					out.writeByte(type);
					out.writeInt(length);
					out.write(body);
					if (in.available() == 0) {
						out.flush();
					}
				}
			}
			catch (IOException ex) {
				close();
			}
		}

		private static String cString(byte[] body, int from) {
			int end = from;
			while (end < body.length && body[end] != 0) {
				end++;
			}
			return new String(body, from, end - from, StandardCharsets.UTF_8);
		}

	}

}
