package com.runlayer.spring.ai;

/**
 * What Runlayer needs to know about the MCP server behind a Spring AI MCP tool.
 *
 * @param name the connection name, e.g. {@code github} for {@code spring.ai.mcp.client.streamable-http.connections.github.url}
 * @param url the server URL (base URL plus endpoint) of an HTTP connection; null for stdio connections or when unknown
 * @param command the launch command of a stdio connection; null otherwise
 */
public record McpServerInfo(String name, String url, String command) {

}
