package com.runlayer.sdk.hooks;

/**
 * What a cursor-route answer means (see "Answers and decisions" in docs/protocol.md).
 */
public sealed interface McpSourceDecision {

	/**
	 * The source is allowed ({@code permission} is {@code allow} or null).
	 */
	record Allow() implements McpSourceDecision {
	}

	/**
	 * The source is denied.
	 * @param userMessage the reason shown to the user
	 * @param agentMessage the message for the model, may be null
	 */
	record Deny(String userMessage, String agentMessage) implements McpSourceDecision {
	}

	/**
	 * The answer broke the protocol (missing {@code permission}, or a value other than allow, deny or null): an
	 * outage, so it blocks in closed mode and allows in open mode.
	 * @param problem what was wrong
	 */
	record Invalid(String problem) implements McpSourceDecision {
	}

}
