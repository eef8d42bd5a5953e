package com.runlayer.spring.ai;

import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerException;

import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;

/**
 * A Runlayer error of a tool call delivered to the model as the tool result ({@link DenialMode#FEEDBACK}): Spring
 * AI's {@code DefaultToolExecutionExceptionProcessor} sends {@link #getMessage()} to the model. For a block it is
 * Runlayer's message for the model ({@link RunlayerBlockedException#agentMessage()}) when it gave one, otherwise that
 * the call was blocked by Runlayer policy and why; for another Runlayer error (no session id, input that is not
 * JSON) it says that the tool could not be run and why. The cause is the {@link RunlayerException} (a
 * {@link RunlayerBlockedException} for blocks), so listing that type in the processor's rethrow list fails the chat
 * call with it.
 */
public class RunlayerToolExecutionException extends ToolExecutionException {

	private static final long serialVersionUID = 1L;

	/** What the model is told. */
	private final String feedback;

	/**
	 * Creates the exception for a block.
	 * @param toolDefinition the blocked tool
	 * @param cause the block
	 */
	public RunlayerToolExecutionException(ToolDefinition toolDefinition, RunlayerBlockedException cause) {
		this(toolDefinition, (RunlayerException) cause);
	}

	/**
	 * Creates the exception for any Runlayer error of a tool call.
	 * @param toolDefinition the tool
	 * @param cause the error
	 */
	public RunlayerToolExecutionException(ToolDefinition toolDefinition, RunlayerException cause) {
		super(toolDefinition, cause);
		this.feedback = (cause instanceof RunlayerBlockedException block) ? feedback(toolDefinition.name(), block)
				: "Tool '" + toolDefinition.name() + "' was not run: " + cause.getMessage();
	}

	static String feedback(String toolName, RunlayerBlockedException block) {
		if (block.agentMessage() != null) {
			// Runlayer's own message for the model (agent_message) is what the model is told
			return block.agentMessage();
		}
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
	 * @return the cause when it is a block, else null
	 */
	public RunlayerBlockedException getBlock() {
		return (getCause() instanceof RunlayerBlockedException block) ? block : null;
	}

	/**
	 * The Runlayer error.
	 * @return the cause
	 */
	public RunlayerException getRunlayerException() {
		return (RunlayerException) getCause();
	}

}
