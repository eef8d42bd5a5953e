package com.runlayer.sdk;

import java.time.Duration;

/**
 * The posture of one tool call once the precedence is resolved: the tool's own setting
 * ({@code runlayer.tools.<name>.*}) over the per-call value (e.g. the annotation's failure mode) over the client's
 * default. Resolved by {@link ClientSettings#policyFor(String, EnforcementFailureMode)}, the one place that knows the
 * order.
 *
 * @param mode enforce or monitor
 * @param failureMode what an outage does
 * @param preTimeout the tool/pre budget, or null for the transport's
 * @param postTimeout the tool/post budget, or null for the transport's
 */
record CallPolicy(RunlayerMode mode, EnforcementFailureMode failureMode, Duration preTimeout, Duration postTimeout) {

	boolean monitor() {
		return this.mode == RunlayerMode.MONITOR;
	}

}
