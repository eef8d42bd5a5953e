package com.runlayer.sdk;

import java.util.Locale;

/**
 * What an enforcement call does when Runlayer cannot give a valid answer (outage, timeout, non-2xx, malformed or
 * unexpected response).
 */
public enum EnforcementFailureMode {

	/** Block the call (the default): nothing runs unless Runlayer allowed it. */
	CLOSED,

	/** Allow the call and log a WARN; only for agents that must keep working while Runlayer is down. */
	OPEN;

	/**
	 * Parses {@code closed} or {@code open}, case-insensitively.
	 * @param value the text to parse
	 * @return the mode
	 * @throws RunlayerConfigurationException naming the setting when the value is neither
	 */
	public static EnforcementFailureMode parse(String value) {
		if (value != null) {
			String v = value.trim().toLowerCase(Locale.ROOT);
			if (v.equals("closed")) {
				return CLOSED;
			}
			if (v.equals("open")) {
				return OPEN;
			}
		}
		throw new RunlayerConfigurationException(RunlayerSetting.ENFORCEMENT_FAILURE_MODE,
				"Enforcement failure mode must be 'closed' or 'open', got '" + value + "'");
	}

}
