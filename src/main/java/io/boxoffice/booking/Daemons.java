package io.boxoffice.booking;

import java.util.concurrent.ThreadFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/** Threads of the sale's own pools: named for thread dumps, never holding the JVM up. */
public final class Daemons {

	private Daemons() {
	}

	public static ThreadFactory named(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

}
