package com.runlayer.spring.ai;

import java.util.Objects;

import io.modelcontextprotocol.spec.McpSchema;

import org.springframework.ai.mcp.McpConnectionInfo;
import org.springframework.ai.mcp.McpToolNamePrefixGenerator;

/**
 * A {@link McpToolNamePrefixGenerator} decorator that records which connection each MCP tool name belongs to, so
 * that Runlayer can enforce MCP tools with their server name and URL. Names are exactly the delegate's.
 *
 * <p>The connection name is the client's {@code title} (Spring AI sets it to the connection name for sync clients),
 * else the client name without the {@code "<spring.ai.mcp.client.name> - "} prefix (async clients).
 */
public final class RunlayerMcpToolNamePrefixGenerator implements McpToolNamePrefixGenerator {

	private final McpToolNamePrefixGenerator delegate;

	private final McpToolSources sources;

	private final String clientName;

	/**
	 * Creates the decorator.
	 * @param delegate the generator that decides the names
	 * @param sources the registry to record into
	 * @param clientName the configured MCP client name ({@code spring.ai.mcp.client.name}), or null
	 */
	public RunlayerMcpToolNamePrefixGenerator(McpToolNamePrefixGenerator delegate, McpToolSources sources,
			String clientName) {
		this.delegate = Objects.requireNonNull(delegate, "delegate");
		this.sources = Objects.requireNonNull(sources, "sources");
		this.clientName = clientName;
	}

	@Override
	public String prefixedToolName(McpConnectionInfo connectionInfo, McpSchema.Tool tool) {
		String name = this.delegate.prefixedToolName(connectionInfo, tool);
		this.sources.register(name, connectionName(connectionInfo));
		return name;
	}

	String connectionName(McpConnectionInfo connectionInfo) {
		if (connectionInfo == null || connectionInfo.clientInfo() == null) {
			return null;
		}
		McpSchema.Implementation client = connectionInfo.clientInfo();
		if (client.title() != null && !client.title().isBlank()) {
			return client.title();
		}
		String name = client.name();
		if (name == null) {
			return null;
		}
		if (this.clientName != null && name.startsWith(this.clientName + " - ")) {
			return name.substring(this.clientName.length() + 3);
		}
		int sep = name.lastIndexOf(" - ");
		return (sep >= 0) ? name.substring(sep + 3) : name;
	}

	/**
	 * The decorated generator.
	 * @return the delegate
	 */
	public McpToolNamePrefixGenerator getDelegate() {
		return this.delegate;
	}

}
