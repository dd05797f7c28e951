package io.boxoffice.live;

import java.io.IOException;
import java.util.BitSet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open stream. It holds no thread while it waits: a change or a due heartbeat marks
 * what is owed, and a sender thread, one at a time per subscriber, writes the document
 * built from the feed's latest state. What is owed is at most one bit per seat, so a slow
 * reader costs bounded memory and gets the newest state (coalesced) when it catches up,
 * never a backlog.
 */
final class Subscriber {

	private final SseEmitter emitter;

	private final Feed feed;

	private final @Nullable String category;

	private final Executor sender;

	private final Counter sent;

	private final Consumer<Subscriber> onClose;

	/** Owed: the whole document (the first one). */
	private boolean full = true;

	/** Owed: the parts of the document that changed (seat indexes). */
	private final BitSet changed = new BitSet();

	/** Owed: a comment line, as nothing was written for a while. */
	private boolean heartbeat;

	/** A sender is writing; it writes whatever becomes owed meanwhile too. */
	private boolean sending;

	private boolean closed;

	private final AtomicBoolean released = new AtomicBoolean();

	/** When the stream was last written, from {@link System#nanoTime()}. */
	private volatile long lastWrite = System.nanoTime();

	Subscriber(SseEmitter emitter, Feed feed, @Nullable String category, Executor sender, Counter sent,
			Consumer<Subscriber> onClose) {
		this.emitter = emitter;
		this.feed = feed;
		this.category = category;
		this.sender = sender;
		this.sent = sent;
		this.onClose = onClose;
	}

	Feed feed() {
		return this.feed;
	}

	SseEmitter emitter() {
		return this.emitter;
	}

	/** Sends what is owed, the first document when the feed has one. */
	void start() {
		schedule();
	}

	void changed(BitSet which) {
		synchronized (this) {
			this.changed.or(which);
		}
		schedule();
	}

	/** Owes a comment line when nothing was written for {@code quietNanos}. */
	void heartbeatIfQuiet(long quietNanos, long now) {
		if (now - this.lastWrite < quietNanos) {
			return;
		}
		synchronized (this) {
			this.heartbeat = true;
		}
		schedule();
	}

	/**
	 * Stops writing and gives the subscriber's place up (once, however often called).
	 */
	void close() {
		synchronized (this) {
			this.closed = true;
		}
		if (this.released.compareAndSet(false, true)) {
			this.onClose.accept(this);
		}
	}

	private void schedule() {
		synchronized (this) {
			if (this.sending || this.closed) {
				return;
			}
			this.sending = true;
		}
		try {
			this.sender.execute(this::drain);
		}
		catch (RejectedExecutionException ex) {
			// shutting down: the stream is being completed
			synchronized (this) {
				this.sending = false;
			}
		}
	}

	private void drain() {
		while (true) {
			SseEmitter.SseEventBuilder event;
			boolean document;
			synchronized (this) {
				Object owed = (this.closed) ? null : this.feed.render(this.full, this.changed, this.category);
				document = owed != null;
				if (owed != null) {
					this.full = false;
					this.changed.clear();
					this.heartbeat = false;
					event = SseEmitter.event().name(this.feed.name()).data(owed, MediaType.APPLICATION_JSON);
				}
				else if (this.heartbeat && !this.closed) {
					this.heartbeat = false;
					event = SseEmitter.event().comment("");
				}
				else {
					this.changed.clear();
					this.sending = false;
					return;
				}
			}
			try {
				this.emitter.send(event);
				this.lastWrite = System.nanoTime();
				if (document) {
					this.sent.increment();
				}
			}
			catch (IOException | IllegalStateException ex) {
				// the client went away, or the stream ended (timeout, shutdown)
				synchronized (this) {
					this.sending = false;
				}
				close();
				return;
			}
		}
	}

}
