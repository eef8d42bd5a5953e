package com.runlayer.spring.ai;

import java.util.List;
import java.util.function.Function;

import io.modelcontextprotocol.client.transport.ServerParameters;

import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpSseClientProperties;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpStdioClientProperties;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpStreamableHttpClientProperties;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Resolves an MCP client connection name to its URL (streamable HTTP or SSE) or launch command (stdio) from Spring
 * AI's MCP client properties. Loaded only when spring-ai-autoconfigure-mcp-client-common is on the classpath.
 */
public final class McpClientServers implements Function<String, McpServerInfo> {

	private final ObjectProvider<McpStreamableHttpClientProperties> streamableHttp;

	private final ObjectProvider<McpSseClientProperties> sse;

	private final ObjectProvider<McpStdioClientProperties> stdio;

	/**
	 * Creates the resolver.
	 * @param streamableHttp the streamable HTTP connections
	 * @param sse the SSE connections
	 * @param stdio the stdio connections
	 */
	public McpClientServers(ObjectProvider<McpStreamableHttpClientProperties> streamableHttp,
			ObjectProvider<McpSseClientProperties> sse, ObjectProvider<McpStdioClientProperties> stdio) {
		this.streamableHttp = streamableHttp;
		this.sse = sse;
		this.stdio = stdio;
	}

	@Override
	public McpServerInfo apply(String connection) {
		McpStreamableHttpClientProperties http = this.streamableHttp.getIfAvailable();
		McpStreamableHttpClientProperties.ConnectionParameters p = (http != null) ? http.getConnections().get(connection)
				: null;
		if (p != null && p.url() != null) {
			return new McpServerInfo(connection, join(p.url(), (p.endpoint() != null) ? p.endpoint() : "/mcp"), null);
		}
		McpSseClientProperties sseProperties = this.sse.getIfAvailable();
		McpSseClientProperties.SseParameters s = (sseProperties != null) ? sseProperties.getConnections().get(connection)
				: null;
		if (s != null && s.url() != null) {
			return new McpServerInfo(connection, join(s.url(), (s.sseEndpoint() != null) ? s.sseEndpoint() : "/sse"),
					null);
		}
		McpStdioClientProperties stdioProperties = this.stdio.getIfAvailable();
		if (stdioProperties != null) {
			try {
				ServerParameters parameters = stdioProperties.toServerParameters().get(connection);
				if (parameters != null && parameters.getCommand() != null) {
					List<String> args = parameters.getArgs();
					String command = parameters.getCommand()
							+ ((args != null && !args.isEmpty()) ? " " + String.join(" ", args) : "");
					return new McpServerInfo(connection, null, command);
				}
			}
			catch (RuntimeException ex) {
				// an unreadable servers-configuration resource: the connection is still known by name
			}
		}
		return null;
	}

	private static String join(String url, String endpoint) {
		String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
		if (endpoint.isEmpty()) {
			return base;
		}
		return base + (endpoint.startsWith("/") ? endpoint : "/" + endpoint);
	}

}
