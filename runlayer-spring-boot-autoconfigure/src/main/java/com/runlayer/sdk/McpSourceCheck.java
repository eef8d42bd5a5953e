package com.runlayer.sdk;

import java.util.Map;

/**
 * A direct MCP source check: may this agent call this MCP server (by URL or launch command)?
 *
 * @param generationId the per-call id (e.g. the tool use id); required
 * @param sessionId the session id, sent as {@code conversation_id}; required
 * @param toolName the tool name, e.g. {@code mcp__github__list_repos}; required
 * @param url the remote MCP server URL (exclusive with {@code command})
 * @param command the local MCP server launch command (exclusive with {@code url})
 * @param mcpServerName the configured server name, may be null
 * @param toolInput the tool input, may be null
 */
public record McpSourceCheck(String generationId, String sessionId, String toolName, String url, String command,
		String mcpServerName, Map<String, Object> toolInput) {

	/**
	 * A check by URL.
	 * @param generationId the per-call id
	 * @param sessionId the session id
	 * @param toolName the tool name
	 * @param url the server URL
	 * @return the check
	 */
	public static McpSourceCheck ofUrl(String generationId, String sessionId, String toolName, String url) {
		return new McpSourceCheck(generationId, sessionId, toolName, url, null, null, null);
	}

	/**
	 * A check by launch command.
	 * @param generationId the per-call id
	 * @param sessionId the session id
	 * @param toolName the tool name
	 * @param command the launch command
	 * @return the check
	 */
	public static McpSourceCheck ofCommand(String generationId, String sessionId, String toolName, String command) {
		return new McpSourceCheck(generationId, sessionId, toolName, null, command, null, null);
	}

}
