package com.runlayer.sdk.hooks;

import java.util.Map;

/**
 * What a tool/pre answer means (protocol section 2.2).
 */
public sealed interface PreToolDecision {

	/**
	 * Allowed, possibly with rewritten arguments.
	 * @param modifiedArgs the arguments that replace the whole tool input, or null when unchanged
	 */
	record Allow(Map<String, Object> modifiedArgs) implements PreToolDecision {

		/**
		 * Whether Runlayer rewrote the arguments.
		 * @return the flag
		 */
		public boolean rewritten() {
			return this.modifiedArgs != null;
		}

	}

	/**
	 * Denied by policy.
	 * @param reason the reason
	 * @param agentMessage the message for the model ({@code agent_message}), may be null
	 */
	record Deny(String reason, String agentMessage) implements PreToolDecision {

		/**
		 * A deny without a message for the model.
		 * @param reason the reason
		 */
		public Deny(String reason) {
			this(reason, null);
		}

	}

	/**
	 * The answer broke the protocol (missing or unknown {@code permission}, wrong types): an outage.
	 * @param problem what was wrong
	 */
	record Invalid(String problem) implements PreToolDecision {
	}

}
