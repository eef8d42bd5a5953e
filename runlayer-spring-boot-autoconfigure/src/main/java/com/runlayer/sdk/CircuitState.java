package com.runlayer.sdk;

/**
 * The state of the circuit breaker in front of one Runlayer endpoint.
 */
public enum CircuitState {

	/** Calls go through (the normal state). */
	CLOSED,

	/** Runlayer had a run of outages: calls are outages at once until the wait is over. */
	OPEN,

	/** The wait is over: probe calls go through and decide whether it closes or opens again. */
	HALF_OPEN,

	/** The breaker is switched off: every call waits for its own timeout. */
	DISABLED

}
