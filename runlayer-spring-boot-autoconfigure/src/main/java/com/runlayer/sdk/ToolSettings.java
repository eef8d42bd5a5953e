package com.runlayer.sdk;

import java.time.Duration;

/**
 * Settings of one tool, by its resolved name ({@code runlayer.tools.<name>.*}). Every component is optional: null
 * keeps the client's (or the call's) value. They win over the annotation's failure mode and over the client's
 * defaults, so operators can change a tool's posture without a code change.
 *
 * @param enforce {@code false} skips the tool like the enforcement filters; null or {@code true} leaves the filters
 * to decide
 * @param mode enforce or monitor this tool; null for the client's mode
 * @param failureMode what an outage does for this tool; null for the annotation's or the client's
 * @param preTimeout the tool/pre budget of this tool; null for the client's
 * @param postTimeout the tool/post budget of this tool; null for the client's
 */
public record ToolSettings(Boolean enforce, RunlayerMode mode, EnforcementFailureMode failureMode,
		Duration preTimeout, Duration postTimeout) {

	/** Settings that change nothing. */
	public static final ToolSettings NONE = new ToolSettings(null, null, null, null, null);

	/**
	 * Checks the timeouts.
	 * @param enforce {@code false} skips the tool like the enforcement filters; null or {@code true} leaves the filters to decide
	 * @param mode enforce or monitor this tool; null for the client's mode
	 * @param failureMode what an outage does for this tool; null for the annotation's or the client's
	 * @param preTimeout the tool/pre budget of this tool; null for the client's
	 * @param postTimeout the tool/post budget of this tool; null for the client's
	 * @throws RunlayerConfigurationException when a timeout is zero or negative
	 */
	public ToolSettings {
		if (preTimeout != null && (preTimeout.isZero() || preTimeout.isNegative())) {
			throw new RunlayerConfigurationException(null, "A tool's pre-timeout must be positive, got " + preTimeout);
		}
		if (postTimeout != null && (postTimeout.isZero() || postTimeout.isNegative())) {
			throw new RunlayerConfigurationException(null,
					"A tool's post-timeout must be positive, got " + postTimeout);
		}
	}

	/**
	 * Whether these settings switch enforcement of the tool off.
	 * @return {@code true} when {@code enforce} is {@code false}
	 */
	public boolean skipped() {
		return Boolean.FALSE.equals(this.enforce);
	}

}
