package io.boxoffice.booking.engine;

import java.util.concurrent.ThreadFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/** Threads of the sale's own pools: named for thread dumps, never holding the JVM up. */
final class Daemons {

	private Daemons() {
	}

	static ThreadFactory named(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

}
