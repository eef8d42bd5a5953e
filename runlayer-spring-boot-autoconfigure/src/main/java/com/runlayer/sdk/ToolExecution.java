package com.runlayer.sdk;

import java.util.Map;

/**
 * The tool body that {@link RunlayerClient#runTool(ToolCall, ToolExecution)} runs once Runlayer allowed it.
 */
@FunctionalInterface
public interface ToolExecution {

	/**
	 * Runs the tool.
	 * @param toolInput the input to use: the caller's input, or the arguments Runlayer rewrote
	 * @return the tool output (any JSON-serialisable value, or {@code null})
	 * @throws Exception any failure of the tool; it is reported to Runlayer and rethrown unchanged
	 */
	Object execute(Map<String, Object> toolInput) throws Exception;

}
