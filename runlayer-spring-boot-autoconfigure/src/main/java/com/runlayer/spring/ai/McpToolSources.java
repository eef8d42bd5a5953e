package com.runlayer.spring.ai;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Registry of the MCP server (connection) behind each Spring AI MCP tool name.
 *
 * <p>Spring AI's {@code SyncMcpToolCallback} and {@code AsyncMcpToolCallback} expose neither their client nor their
 * connection, so the registry is filled by {@link RunlayerMcpToolNamePrefixGenerator}, which sees every connection
 * and tool when the tool callbacks are built, and joined with the connection URLs of the MCP client properties.
 * Thread-safe.
 */
public final class McpToolSources {

	private final Map<String, String> connectionByTool = new ConcurrentHashMap<>();

	private final Function<String, McpServerInfo> servers;

	/**
	 * Creates a registry.
	 * @param servers resolves a connection name to its server info (URL or command); may return null
	 */
	public McpToolSources(Function<String, McpServerInfo> servers) {
		this.servers = Objects.requireNonNull(servers, "servers");
	}

	/**
	 * Records the connection of a tool.
	 * @param toolName the tool name the model sees (the prefixed name)
	 * @param connectionName the connection name
	 */
	public void register(String toolName, String connectionName) {
		if (toolName != null && connectionName != null && !connectionName.isBlank()) {
			this.connectionByTool.put(toolName, connectionName);
		}
	}

	/**
	 * The server behind a tool.
	 * @param toolName the tool name the model sees
	 * @return the server info, or null when the tool's connection is unknown
	 */
	public McpServerInfo lookup(String toolName) {
		String connection = this.connectionByTool.get(toolName);
		if (connection == null) {
			return null;
		}
		McpServerInfo info = this.servers.apply(connection);
		return (info != null) ? info : new McpServerInfo(connection, null, null);
	}

}
