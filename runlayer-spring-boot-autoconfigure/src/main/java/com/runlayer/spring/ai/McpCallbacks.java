package com.runlayer.spring.ai;

import org.springframework.ai.mcp.AsyncMcpToolCallback;
import org.springframework.ai.mcp.SyncMcpToolCallback;
import org.springframework.ai.tool.ToolCallback;

/**
 * MCP callback checks, loaded only when spring-ai-mcp is on the classpath.
 */
final class McpCallbacks {

	private McpCallbacks() {
	}

	static boolean isMcp(ToolCallback callback) {
		return callback instanceof SyncMcpToolCallback || callback instanceof AsyncMcpToolCallback;
	}

	static String originalToolName(ToolCallback callback, String fallback) {
		if (callback instanceof SyncMcpToolCallback sync) {
			return sync.getOriginalToolName();
		}
		if (callback instanceof AsyncMcpToolCallback async) {
			return async.getOriginalToolName();
		}
		return fallback;
	}

}
