package com.runlayer.spring.ai;

import com.runlayer.sdk.RunlayerBlockedException;

import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;

/**
 * A Runlayer block delivered to the model as a tool result ({@link DenialMode#FEEDBACK}): Spring AI's
 * {@code DefaultToolExecutionExceptionProcessor} sends {@link #getMessage()} to the model, which says that the call
 * was blocked by Runlayer policy and why. The cause is the {@link RunlayerBlockedException}, so listing that type in
 * the processor's rethrow list fails the chat call with it.
 */
public class RunlayerToolExecutionException extends ToolExecutionException {

	private static final long serialVersionUID = 1L;

	private final String feedback;

	/**
	 * Creates the exception.
	 * @param toolDefinition the blocked tool
	 * @param cause the block
	 */
	public RunlayerToolExecutionException(ToolDefinition toolDefinition, RunlayerBlockedException cause) {
		super(toolDefinition, cause);
		this.feedback = feedback(toolDefinition.name(), cause);
	}

	static String feedback(String toolName, RunlayerBlockedException block) {
		if (block.outage()) {
			return "Tool '" + toolName + "' was blocked by Runlayer: the policy check is unavailable and the failure"
					+ " mode is closed (" + block.reason() + "). Do not retry it now.";
		}
		return switch (block.stage()) {
			case PRE_TOOL -> "Tool call '" + toolName + "' was blocked by Runlayer policy: " + block.reason();
			case POST_TOOL -> "The output of tool '" + toolName + "' was blocked by Runlayer policy: " + block.reason();
			case MCP_SOURCE -> "The MCP server of tool '" + toolName + "' was blocked by Runlayer policy: "
					+ block.reason();
		};
	}

	@Override
	public String getMessage() {
		return this.feedback;
	}

	/**
	 * The Runlayer block.
	 * @return the cause
	 */
	public RunlayerBlockedException getBlock() {
		return (RunlayerBlockedException) getCause();
	}

}
