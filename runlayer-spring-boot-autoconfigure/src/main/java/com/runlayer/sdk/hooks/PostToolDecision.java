package com.runlayer.sdk.hooks;

/**
 * What a tool/post answer means (protocol section 2.3).
 */
public sealed interface PostToolDecision {

	/**
	 * The output passes unchanged.
	 */
	record Pass() implements PostToolDecision {
	}

	/**
	 * The output is replaced by a sanitized one.
	 * @param modifiedOutput the replacement text, possibly JSON text; may be empty
	 */
	record Mask(String modifiedOutput) implements PostToolDecision {
	}

	/**
	 * The output is blocked.
	 * @param reason the reason
	 */
	record Block(String reason) implements PostToolDecision {
	}

	/**
	 * The answer broke the protocol (missing or non-boolean {@code blocked}, non-string {@code modified_output}):
	 * an outage.
	 * @param problem what was wrong
	 */
	record Invalid(String problem) implements PostToolDecision {
	}

}
