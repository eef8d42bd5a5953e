package com.runlayer.sdk;

import java.util.Locale;

/**
 * Whether Runlayer's decisions are applied to tool calls, or only reported.
 *
 * <p>In {@link #MONITOR} every call still goes through tool/pre and tool/post with its real payloads, but nothing is
 * applied: the tool runs with its original arguments, its original output is handed on, and an outage never blocks.
 * Each decision that would have changed the call (deny, rewrite, block, mask, an outage in closed failure mode) is
 * logged at INFO, reported to the observers with {@code applied == false} and published as a decision event.
 */
public enum RunlayerMode {

	/** Apply every decision (the default). */
	ENFORCE,

	/** Report every decision, apply none. */
	MONITOR;

	/**
	 * Parses {@code enforce} or {@code monitor}, case-insensitively.
	 * @param value the text
	 * @return the mode
	 * @throws RunlayerConfigurationException when the value is neither
	 */
	public static RunlayerMode parse(String value) {
		if (value != null) {
			String v = value.trim().toLowerCase(Locale.ROOT);
			if (v.equals("enforce")) {
				return ENFORCE;
			}
			if (v.equals("monitor")) {
				return MONITOR;
			}
		}
		throw new RunlayerConfigurationException(null,
				"The Runlayer mode (runlayer.mode) must be 'enforce' or 'monitor', got '" + value + "'");
	}

	/**
	 * The lower-case name, as written in configuration and used as a tag value.
	 * @return e.g. {@code monitor}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
