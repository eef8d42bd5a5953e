package com.runlayer.sdk;

import java.time.Duration;

/**
 * The circuit breaker in front of each Runlayer endpoint (tool/pre, tool/post, events, MCP source). Only outages
 * count as failures (transport errors, timeouts, 5xx, 429, oversized answers, token failures); an answer, even a deny
 * or a definitive 4xx, counts as a success. When the failure rate of the last {@code slidingWindowSize} calls reaches
 * {@code failureRateThreshold}, the breaker opens: calls to that endpoint are outages at once (blocked in closed
 * failure mode, passed in open mode) without waiting for a timeout. After {@code waitInOpenState} it lets
 * {@code permittedCallsInHalfOpenState} probe calls through; their success closes it again, a failure reopens it.
 *
 * @param enabled whether the breakers are on (default true)
 * @param slidingWindowSize how many recent calls are judged, also the minimum before the breaker can open (default 5)
 * @param failureRateThreshold the percentage of outages among them that opens it (default 100: a run of 5 outages)
 * @param waitInOpenState how long it stays open before probing (default 30 s)
 * @param permittedCallsInHalfOpenState how many probe calls go through when half-open (default 1)
 */
public record CircuitBreakerSettings(boolean enabled, int slidingWindowSize, float failureRateThreshold,
		Duration waitInOpenState, int permittedCallsInHalfOpenState) {

	private static final CircuitBreakerSettings DEFAULTS = new CircuitBreakerSettings(true, 5, 100f,
			Duration.ofSeconds(30), 1);

	private static final CircuitBreakerSettings DISABLED = new CircuitBreakerSettings(false, 5, 100f,
			Duration.ofSeconds(30), 1);

	/**
	 * Checks the values.
	 * @param enabled whether the breakers are on (default true)
	 * @param slidingWindowSize how many recent calls are judged, also the minimum before the breaker can open (default 5)
	 * @param failureRateThreshold the percentage of outages among them that opens it (default 100: a run of 5 outages)
	 * @param waitInOpenState how long it stays open before probing (default 30 s)
	 * @param permittedCallsInHalfOpenState how many probe calls go through when half-open (default 1)
	 * @throws RunlayerConfigurationException naming the property of the first invalid value
	 */
	public CircuitBreakerSettings {
		if (slidingWindowSize < 1) {
			throw new RunlayerConfigurationException(null,
					"runlayer.circuit-breaker.sliding-window-size must be at least 1, got " + slidingWindowSize);
		}
		if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
			throw new RunlayerConfigurationException(null,
					"runlayer.circuit-breaker.failure-rate-threshold must be above 0 and at most 100, got "
							+ failureRateThreshold);
		}
		if (waitInOpenState == null || waitInOpenState.isNegative() || waitInOpenState.isZero()) {
			throw new RunlayerConfigurationException(null,
					"runlayer.circuit-breaker.wait-in-open-state must be positive, got " + waitInOpenState);
		}
		if (permittedCallsInHalfOpenState < 1) {
			throw new RunlayerConfigurationException(null,
					"runlayer.circuit-breaker.permitted-calls-in-half-open-state must be at least 1, got "
							+ permittedCallsInHalfOpenState);
		}
	}

	/**
	 * The documented defaults: on, opens after 5 outages in a row, probes once after 30 s.
	 * @return the defaults
	 */
	public static CircuitBreakerSettings defaults() {
		return DEFAULTS;
	}

	/**
	 * No breaker: every call waits for its own timeout.
	 * @return the disabled settings
	 */
	public static CircuitBreakerSettings disabled() {
		return DISABLED;
	}

}
