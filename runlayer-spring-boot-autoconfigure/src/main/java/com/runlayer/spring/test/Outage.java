package com.runlayer.spring.test;

import java.time.Duration;
import java.util.Objects;

/**
 * A scripted Runlayer failure: an error status, a Runlayer that stays silent for a while, a connection closed without
 * an answer, or a 200 whose body is not a valid answer. The SDK treats each as an outage: a blocked call in the closed
 * failure mode, an allowed one in the open mode.
 *
 * <p>Immutable.
 */
public final class Outage {

	/** What kind of failure. */
	enum Kind {

		STATUS, DELAY, RESET, MALFORMED

	}

	private final Kind kind;

	private final int status;

	private final Duration delay;

	private Outage(Kind kind, int status, Duration delay) {
		this.kind = kind;
		this.status = status;
		this.delay = delay;
	}

	/**
	 * Answers with an HTTP error status and a {@code {"detail": ...}} body. 5xx (and 429) are retried by the SDK where
	 * the endpoint allows it; other 4xx are final.
	 * @param status an error status, 400 to 599
	 * @return the outage
	 */
	public static Outage status(int status) {
		if (status < 400 || status > 599) {
			throw new IllegalArgumentException("An outage status must be 400 to 599, got " + status);
		}
		return new Outage(Kind.STATUS, status, null);
	}

	/**
	 * Answers nothing for the given time, then closes the connection without an answer: a Runlayer that hangs. Set
	 * {@code runlayer.timeout} below the delay to see the client's timeout.
	 * @param delay how long to stay silent
	 * @return the outage
	 */
	public static Outage delay(Duration delay) {
		Objects.requireNonNull(delay, "delay");
		if (delay.isNegative()) {
			throw new IllegalArgumentException("The delay must not be negative");
		}
		return new Outage(Kind.DELAY, 0, delay);
	}

	/**
	 * Closes the connection without an answer (the client sees a transport error).
	 * @return the outage
	 */
	public static Outage connectionReset() {
		return new Outage(Kind.RESET, 0, null);
	}

	/**
	 * Answers HTTP 200 with a body that is not a valid Runlayer answer.
	 * @return the outage
	 */
	public static Outage malformedAnswer() {
		return new Outage(Kind.MALFORMED, 200, null);
	}

	Kind kind() {
		return this.kind;
	}

	int statusCode() {
		return this.status;
	}

	Duration delayTime() {
		return this.delay;
	}

	@Override
	public String toString() {
		return switch (this.kind) {
			case STATUS -> "Outage[status " + this.status + "]";
			case DELAY -> "Outage[silent for " + this.delay + ", then connection closed]";
			case RESET -> "Outage[connection closed without an answer]";
			case MALFORMED -> "Outage[200 with a malformed answer]";
		};
	}

}
