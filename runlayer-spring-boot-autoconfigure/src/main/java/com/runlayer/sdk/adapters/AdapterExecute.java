package com.runlayer.sdk.adapters;

import java.util.Map;

/**
 * The {@code execute} entry of a map-shaped tool (Vercel AI, OpenAI Agents or Google ADK style): runs the tool with
 * its input and whatever extra context arguments the framework passes (run context, tool call details, ...).
 *
 * <p>{@link RunlayerAdapters} wraps a value of this type in Runlayer enforcement; the wrapper is again an
 * {@code AdapterExecute}, so the framework calls it exactly as before.
 */
@FunctionalInterface
public interface AdapterExecute {

	/**
	 * Runs the tool.
	 * @param input the tool input (after a Runlayer rewrite, the rewritten input); never null
	 * @param context extra context arguments, passed through unchanged; may be empty
	 * @return the tool output (any JSON-serialisable value, or {@code null})
	 * @throws Exception any failure of the tool; a wrapper reports it to Runlayer and rethrows it unchanged
	 */
	Object execute(Map<String, Object> input, Object... context) throws Exception;

}
