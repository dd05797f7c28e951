package io.boxoffice.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.boxoffice.support.Api.Response;
import org.jspecify.annotations.Nullable;

/**
 * A client on one loopback address of its own (127.0.0.2, 127.0.0.3, ...), as seen by the
 * service: one HTTP/1.1 exchange per request over a socket bound to that address, so
 * tests can be several clients (an attacker and an account's owner) on one host.
 */
public final class Loopback {

	private final InetAddress from;

	private final int port;

	public Loopback(String from, int port) {
		try {
			this.from = InetAddress.getByName(from);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.port = port;
	}

	public Response post(String path, @Nullable String token, Object body) {
		return send("POST", path, token, Map.of("Content-Type", "application/json"), Api.json(body));
	}

	public Response get(String path, @Nullable String token, Map<String, String> headers) {
		return send("GET", path, token, headers, "");
	}

	public Response send(String method, String path, @Nullable String token, Map<String, String> headers, String body) {
		byte[] content = body.getBytes(StandardCharsets.UTF_8);
		StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
				+ "Connection: close\r\nContent-Length: " + content.length + "\r\n");
		if (token != null) {
			head.append("Authorization: Bearer ").append(token).append("\r\n");
		}
		headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
		head.append("\r\n");
		try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), this.port, this.from, 0)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(head.toString().getBytes(StandardCharsets.UTF_8));
			out.write(content);
			out.flush();
			return parse(socket.getInputStream());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Response parse(InputStream in) throws IOException {
		byte[] bytes = in.readAllBytes();
		int split = indexOf(bytes, 0);
		String[] lines = new String(bytes, 0, split, StandardCharsets.ISO_8859_1).split("\r\n");
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
					List.of(lines[i].substring(colon + 1).trim()));
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		int at = split + 4;
		if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", List.of("")).get(0))) {
			while (true) {
				int end = lineEnd(bytes, at);
				int size = Integer.parseInt(new String(bytes, at, end - at, StandardCharsets.ISO_8859_1).trim(), 16);
				if (size == 0) {
					break;
				}
				body.write(bytes, end + 2, size);
				at = end + 2 + size + 2;
			}
		}
		else {
			body.write(bytes, at, bytes.length - at);
		}
		return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, body.toString(StandardCharsets.UTF_8));
	}

	/** Where the head ends ({@code CRLF CRLF}). */
	private static int indexOf(byte[] bytes, int from) {
		for (int i = from; i + 3 < bytes.length; i++) {
			if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
				return i;
			}
		}
		throw new IllegalStateException("No end of the response head");
	}

	private static int lineEnd(byte[] bytes, int from) {
		for (int i = from; i + 1 < bytes.length; i++) {
			if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
				return i;
			}
		}
		throw new IllegalStateException("No end of a chunk size line");
	}

}
