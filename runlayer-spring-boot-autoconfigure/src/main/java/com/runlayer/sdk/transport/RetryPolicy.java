package com.runlayer.sdk.transport;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The retry rule (docs/protocol.md, "Retries"), in one place.
 *
 * <ul>
 * <li>a call's wall budget is its timeout, at most 28 s ({@link #callBudget(Duration)}), so that an answer comes
 * before the common 30 s kill ceiling of agent hosts;</li>
 * <li>at most {@code maxRetries} (default 2) retries, all inside the call's budget; no attempt after the first
 * (retry, uncompressed resend, resend with a refreshed token) starts with less than 2 s left;</li>
 * <li>5xx: retried after about 0.2 s, then 1 s, each times a jitter in [0.75, 1.25];</li>
 * <li>429: retried only with a numeric {@code Retry-After} (seconds) that leaves at least 2 s of budget; the wait is
 * exactly that;</li>
 * <li>any other 4xx: final;</li>
 * <li>transport errors: retried for {@link HookEndpoint.RetryClass#FULL}; for
 * {@link HookEndpoint.RetryClass#UNSENT_ONLY} (tool/post) only when the request provably was not sent;</li>
 * <li>events ({@link HookEndpoint.RetryClass#NONE}): never.</li>
 * </ul>
 *
 * @param maxRetries retries after the first attempt, 0 to 2
 */
public record RetryPolicy(int maxRetries) {

	/** No attempt after the first starts with less than this much budget left. */
	public static final Duration MIN_ATTEMPT_BUDGET = Duration.ofSeconds(2);

	/** The longest wall budget of one call, retries included, whatever its timeout. */
	public static final Duration MAX_CALL_BUDGET = Duration.ofSeconds(28);

	private static final long[] BACKOFF_MILLIS = { 200, 1000 };

	private static final Pattern NUMERIC_SECONDS = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

	/** The default policy: two retries. */
	public static final RetryPolicy DEFAULT = new RetryPolicy(2);

	/**
	 * Validates the retry count.
	 * @param maxRetries retries after the first attempt, 0 to 2
	 */
	public RetryPolicy {
		if (maxRetries < 0 || maxRetries > 2) {
			throw new IllegalArgumentException("maxRetries must be 0, 1 or 2");
		}
	}

	/**
	 * The wall budget of one call: its timeout, at most {@link #MAX_CALL_BUDGET}.
	 * @param timeout the call's timeout
	 * @return the budget
	 */
	public static Duration callBudget(Duration timeout) {
		return (timeout.compareTo(MAX_CALL_BUDGET) > 0) ? MAX_CALL_BUDGET : timeout;
	}

	/**
	 * Whether another attempt may start with this much budget left.
	 * @param remaining the budget left
	 * @return the flag
	 */
	public static boolean mayStartAnotherAttempt(Duration remaining) {
		return remaining.compareTo(MIN_ATTEMPT_BUDGET) >= 0;
	}

	/**
	 * How long to wait before retrying after a status, or {@code null} when the status is final.
	 * @param endpoint the endpoint
	 * @param attempt the attempt that just failed (0 for the first)
	 * @param status the HTTP status
	 * @param retryAfter the Retry-After header value, may be null
	 * @param remaining the budget left
	 * @return the wait, or null for no retry
	 */
	public Duration retryAfterStatus(HookEndpoint endpoint, int attempt, int status, String retryAfter,
			Duration remaining) {
		if (endpoint.retryClass() != HookEndpoint.RetryClass.FULL || attempt >= this.maxRetries) {
			return null;
		}
		Duration wait;
		if (status == 429) {
			wait = parseRetryAfterSeconds(retryAfter);
			if (wait == null) {
				return null;
			}
		}
		else if (status >= 500 && status <= 599) {
			wait = backoff(attempt);
		}
		else {
			return null;
		}
		return fits(wait, remaining) ? wait : null;
	}

	/**
	 * How long to wait before retrying after a transport error, or {@code null} for no retry.
	 * @param endpoint the endpoint
	 * @param attempt the attempt that just failed (0 for the first)
	 * @param error the error
	 * @param remaining the budget left
	 * @return the wait, or null for no retry
	 */
	public Duration retryAfterError(HookEndpoint endpoint, int attempt, Throwable error, Duration remaining) {
		if (attempt >= this.maxRetries) {
			return null;
		}
		boolean retryable = switch (endpoint.retryClass()) {
			case FULL -> true;
			case UNSENT_ONLY -> provablyUnsent(error);
			case NONE -> false;
		};
		if (!retryable) {
			return null;
		}
		Duration wait = backoff(attempt);
		return fits(wait, remaining) ? wait : null;
	}

	/**
	 * Whether an error proves the request never left this process: connection refused or connect timeout.
	 * @param error the error
	 * @return the flag
	 */
	public static boolean provablyUnsent(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
				return true;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return false;
	}

	private static boolean fits(Duration wait, Duration remaining) {
		return remaining.minus(wait).compareTo(MIN_ATTEMPT_BUDGET) >= 0;
	}

	private static Duration backoff(int attempt) {
		long base = BACKOFF_MILLIS[Math.min(attempt, BACKOFF_MILLIS.length - 1)];
		double jitter = ThreadLocalRandom.current().nextDouble(0.75, 1.25);
		return Duration.ofMillis((long) (base * jitter));
	}

	/**
	 * Parses a numeric Retry-After; the HTTP-date form, NaN, infinities and negatives are ignored.
	 * @param value the header value
	 * @return the wait, or null
	 */
	static Duration parseRetryAfterSeconds(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String text = value.trim();
		if (!NUMERIC_SECONDS.matcher(text).matches()) {
			// digits (with an optional fraction or exponent) only: no Java suffixes such as "5d", no hex floats
			return null;
		}
		try {
			double seconds = Double.parseDouble(text);
			if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds < 0) {
				return null;
			}
			return Duration.ofMillis((long) (seconds * 1000));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
