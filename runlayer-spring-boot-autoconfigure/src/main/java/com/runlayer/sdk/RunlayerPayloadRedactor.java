package com.runlayer.sdk;

import java.util.Map;

/**
 * Changes what leaves the service before it is serialised: every tool input (tool/pre, tool/post and failure
 * telemetry), every tool output (tool/post, the {@code output} of failure telemetry) and every prompt
 * ({@code UserPromptSubmit}). Use it to drop or mask a field Runlayer must never see. It only changes what is sent:
 * the tool still runs with its own arguments and its own output is handed on (unless Runlayer rewrites or masks
 * them). Runlayer then judges the redacted payload, so keep enforcement payloads complete unless you must not.
 *
 * <p>All methods default to sending the value unchanged. Implementations must be thread-safe and must not modify the
 * given values (return a copy). An exception thrown here fails the call like an unserializable input (the tool does
 * not run), never sends the unredacted value. In Spring, a bean of this type is picked up.
 */
public interface RunlayerPayloadRedactor {

	/** Sends everything unchanged. */
	RunlayerPayloadRedactor NONE = new RunlayerPayloadRedactor() {
	};

	/**
	 * The tool input to send.
	 * @param toolName the tool's resolved name
	 * @param input the arguments; unmodifiable
	 * @return the arguments to send, may be the same map
	 */
	default Map<String, Object> redactToolInput(String toolName, Map<String, Object> input) {
		return input;
	}

	/**
	 * The tool output to send.
	 * @param toolName the tool's resolved name
	 * @param output the output, may be null
	 * @return the output to send, may be the same object
	 */
	default Object redactToolOutput(String toolName, Object output) {
		return output;
	}

	/**
	 * The prompt text to send in {@code UserPromptSubmit}.
	 * @param sessionId the session id
	 * @param prompt the prompt, may be null
	 * @return the prompt to send, may be the same text
	 */
	default String redactPrompt(String sessionId, String prompt) {
		return prompt;
	}

}
