package com.runlayer.sdk.events;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers best-effort lifecycle events. Failures never reach the emitter.
 *
 * <p>Internal API of the SDK. Thread-safe.
 */
public class EventDispatcher implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EventDispatcher.class);

	/**
	 * Submits one event delivery.
	 * @param sessionId the session the event belongs to (deliveries of one session keep their order)
	 * @param eventName the event name, for diagnostics
	 * @param delivery the delivery; it reports its own outcome
	 */
	public void submit(String sessionId, String eventName, Runnable delivery) {
		try {
			delivery.run();
		}
		catch (RuntimeException ex) {
			logger.debug("Runlayer event {} failed", eventName, ex);
		}
	}

	/**
	 * Waits until every event of a session submitted so far was delivered or failed.
	 * @param sessionId the session
	 * @param timeout the longest wait
	 */
	public void awaitSession(String sessionId, Duration timeout) {
	}

	/**
	 * Flushes queued events within a bounded time, then stops.
	 * @param timeout the longest wait
	 */
	public void close(Duration timeout) {
	}

	@Override
	public void close() {
		close(Duration.ofSeconds(5));
	}

}
