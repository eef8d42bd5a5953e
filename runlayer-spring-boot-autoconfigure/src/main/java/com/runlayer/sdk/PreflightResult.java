package com.runlayer.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of a successful preflight: the synthetic session and each event's round trip.
 *
 * @param sessionId the synthetic session id (UUIDv4)
 * @param events the events sent, in order
 * @param completedAt when the preflight finished
 */
public record PreflightResult(String sessionId, List<SentEvent> events, Instant completedAt) {

	/**
	 * Copies the event list.
	 * @param sessionId the synthetic session id (UUIDv4)
	 * @param events the events sent, in order
	 * @param completedAt when the preflight finished
	 */
	public PreflightResult {
		events = List.copyOf(events);
	}

	/**
	 * One event of the preflight.
	 *
	 * @param eventName the event name
	 * @param roundTrip the time from sending to the 2xx answer
	 */
	public record SentEvent(String eventName, Duration roundTrip) {
	}

}
