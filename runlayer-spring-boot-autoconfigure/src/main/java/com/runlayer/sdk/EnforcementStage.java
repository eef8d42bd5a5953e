package com.runlayer.sdk;

/**
 * The enforcement point at which Runlayer made (or could not make) a decision.
 */
public enum EnforcementStage {

	/** Before the tool runs: {@code POST /api/v1/hooks/tool/pre}. */
	PRE_TOOL,

	/** After the tool ran: {@code POST /api/v1/hooks/tool/post}. */
	POST_TOOL,

	/** Direct MCP source enforcement on the cursor route. */
	MCP_SOURCE

}
