package com.runlayer.sdk.enforcement;

/**
 * What the enforcement filters know about a tool call.
 *
 * @param toolName the tool name, e.g. {@code mcp__github__list_repos}
 * @param toolType the tool type, e.g. {@code function} or {@code mcp}; may be null
 * @param mcpServerName the MCP server name, when the tool fronts an MCP server; may be null
 * @param toolUrl the MCP server URL, when known; may be null
 */
public record ToolDescriptor(String toolName, String toolType, String mcpServerName, String toolUrl) {

	/**
	 * A descriptor for a plain tool.
	 * @param toolName the tool name
	 * @return the descriptor
	 */
	public static ToolDescriptor of(String toolName) {
		return new ToolDescriptor(toolName, null, null, null);
	}

}
