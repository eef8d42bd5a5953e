package com.runlayer.spring.ai;

/**
 * How a Runlayer block (a pre-tool deny, a blocked output, a denied MCP source, or an outage in closed failure mode)
 * reaches Spring AI.
 */
public enum DenialMode {

	/**
	 * The tool result tells the model that the call was blocked by Runlayer policy and why, through Spring AI's
	 * {@code ToolExecutionException} path; the conversation continues. With
	 * {@code spring.ai.tools.throw-exception-on-error=true} the chat call fails with that exception instead.
	 */
	FEEDBACK,

	/** The chat call fails with {@link com.runlayer.sdk.RunlayerBlockedException}. */
	EXCEPTION

}
