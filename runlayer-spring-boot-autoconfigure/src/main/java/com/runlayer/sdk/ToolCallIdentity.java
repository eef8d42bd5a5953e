package com.runlayer.sdk;

import java.util.Map;

import com.runlayer.sdk.enforcement.ToolDescriptor;

/**
 * Who a tool is to Runlayer, whichever way its call arrives: the name and type policies are written against, the
 * MCP server it fronts, and what happens when Runlayer cannot answer. Resolved once per tool by one resolver (in a
 * Spring application {@code com.runlayer.spring.aop.ToolCallIdentityResolver}) and used for every call of it.
 *
 * <p>Text is trimmed and blank means absent; a missing type is {@value #DEFAULT_TOOL_TYPE}.
 *
 * @param toolName the tool name sent to Runlayer; required
 * @param toolType the tool type, e.g. {@code function}, {@code shell}, {@code mcp}
 * @param mcpServerName the MCP server the tool fronts, or null
 * @param toolUrl the URL of that MCP server, or null
 * @param failureMode the tool's own failure mode, or null for the client's ({@code runlayer.enforcement-failure-mode})
 */
public record ToolCallIdentity(String toolName, String toolType, String mcpServerName, String toolUrl,
		EnforcementFailureMode failureMode) {

	/** The type of a tool that names none. */
	public static final String DEFAULT_TOOL_TYPE = "function";

	/**
	 * Normalises the text fields.
	 * @param toolName the tool name sent to Runlayer; required
	 * @param toolType the tool type, e.g. {@code function}, {@code shell}, {@code mcp}
	 * @param mcpServerName the MCP server the tool fronts, or null
	 * @param toolUrl the URL of that MCP server, or null
	 * @param failureMode the tool's own failure mode, or null for the client's ({@code runlayer.enforcement-failure-mode})
	 * @throws RunlayerException when the tool name is blank
	 */
	public ToolCallIdentity {
		toolName = RunlayerSessionIds.normalize(toolName);
		if (toolName == null) {
			throw new RunlayerException("A tool needs a non-blank name to be enforced by Runlayer");
		}
		toolType = RunlayerSessionIds.normalize(toolType);
		toolType = (toolType != null) ? toolType : DEFAULT_TOOL_TYPE;
		mcpServerName = RunlayerSessionIds.normalize(mcpServerName);
		toolUrl = RunlayerSessionIds.normalize(toolUrl);
	}

	/**
	 * A plain function tool with the client's failure mode.
	 * @param toolName the name
	 * @return the identity
	 */
	public static ToolCallIdentity of(String toolName) {
		return new ToolCallIdentity(toolName, null, null, null, null);
	}

	/**
	 * What the enforcement filters look at.
	 * @return the descriptor
	 */
	public ToolDescriptor descriptor() {
		return new ToolDescriptor(this.toolName, this.toolType, this.mcpServerName, this.toolUrl);
	}

	/**
	 * One call of this tool.
	 * @param sessionId the session id
	 * @param input the tool input
	 * @param toolUseId the call id, or null for a generated one
	 * @return the call
	 */
	public ToolCall call(String sessionId, Map<String, Object> input, String toolUseId) {
		return new ToolCall(sessionId, this.toolName, this.toolType, input, toolUseId, this.mcpServerName,
				this.toolUrl);
	}

	/**
	 * A copy with another failure mode.
	 * @param mode the mode, or null for the client's
	 * @return the copy
	 */
	public ToolCallIdentity withFailureMode(EnforcementFailureMode mode) {
		return new ToolCallIdentity(this.toolName, this.toolType, this.mcpServerName, this.toolUrl, mode);
	}

}
