package com.runlayer.spring.ai;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.auth.AuthMode;
import com.runlayer.spring.aop.ToolCallIdentityResolver;

import org.springframework.ai.tool.ToolCallback;

/**
 * Wraps Spring AI tool callbacks so that every call is enforced by Runlayer, for hand-built {@code ChatClient}s,
 * custom tool loops and direct {@link ToolCallback#call} use. The auto-configured {@code ToolCallingManager} already
 * does this for every request of the auto-configured {@code ChatClient.Builder}.
 *
 * <pre>{@code
 * ChatClient chat = ChatClient.builder(chatModel)
 *     .defaultToolCallbacks(RunlayerToolCallbacks.wrap(runlayer, ToolCallbacks.from(new TicketTools())))
 *     .build();
 * }</pre>
 *
 * <p>Wrapping is idempotent: a callback that is already a {@link RunlayerToolCallback} is returned as is. A
 * {@code ChatClient} that carries the {@link RunlayerAdvisor} needs no wrapping: the advisor wraps each request's
 * tools.
 */
public final class RunlayerToolCallbacks {

	private RunlayerToolCallbacks() {
	}

	/**
	 * Wraps callbacks with the default options (feedback denials, MCP source enforcement when possible).
	 * @param client the Runlayer client
	 * @param callbacks the callbacks
	 * @return the wrapped callbacks, in the same order
	 */
	public static ToolCallback[] wrap(RunlayerClient client, ToolCallback... callbacks) {
		return wrap(client, Options.defaults(), callbacks);
	}

	/**
	 * Wraps callbacks.
	 * @param client the Runlayer client
	 * @param options the options
	 * @param callbacks the callbacks
	 * @return the wrapped callbacks, in the same order
	 */
	public static ToolCallback[] wrap(RunlayerClient client, Options options, ToolCallback... callbacks) {
		Objects.requireNonNull(callbacks, "callbacks");
		return wrap(client, options, List.of(callbacks)).toArray(new ToolCallback[0]);
	}

	/**
	 * Wraps a list of callbacks.
	 * @param client the Runlayer client
	 * @param options the options
	 * @param callbacks the callbacks
	 * @return the wrapped callbacks, in the same order
	 */
	public static List<ToolCallback> wrap(RunlayerClient client, Options options, List<ToolCallback> callbacks) {
		Objects.requireNonNull(client, "client");
		Objects.requireNonNull(options, "options");
		List<ToolCallback> wrapped = new ArrayList<>(callbacks.size());
		for (ToolCallback callback : callbacks) {
			wrapped.add(wrap(client, options, callback));
		}
		return wrapped;
	}

	static ToolCallback wrap(RunlayerClient client, Options options, ToolCallback callback) {
		if (callback == null || callback instanceof RunlayerToolCallback
				|| DecoratedCallbacks.innermost(callback) instanceof RunlayerToolCallback) {
			// a decorated RunlayerToolCallback is enforced by itself: wrapping it again would enforce it twice
			return callback;
		}
		return new RunlayerToolCallback(callback, client, options);
	}

	/**
	 * Why direct MCP source enforcement is off for a client, or null when it is on.
	 * @param client the client
	 * @param options the options
	 * @return the reason, or null
	 */
	public static String mcpSourceEnforcementOffReason(RunlayerClient client, Options options) {
		if (!options.mcpSourceEnforcement()) {
			return "runlayer.spring-ai.mcp-source-enforcement=false";
		}
		if (client.authMode() != AuthMode.API_KEY) {
			return "the client uses agent-account authentication (" + client.authMode()
					+ "); the direct MCP source route accepts only a user API key (runlayer.api-key)";
		}
		if (client.directMcpSourceEnforcementPath() == null) {
			return "no route path is configured (runlayer.direct-mcp-source-enforcement-path /"
					+ " RUNLAYER_DIRECT_MCP_SOURCE_ENFORCEMENT_PATH, e.g. /api/v1/hooks/cursor)";
		}
		return null;
	}

	/**
	 * Options of the wrappers.
	 *
	 * @param onDeny how a block (or another Runlayer error of a tool call) reaches Spring AI; null means
	 * {@link DenialMode#FEEDBACK}
	 * @param mcpSourceEnforcement check MCP tools' server on the direct MCP source route before the call (only
	 * effective with a user API key and a configured route path)
	 * @param mcpToolSources the MCP server behind each MCP tool name; null when unknown (MCP tools are then enforced
	 * by tool name only and no source check runs)
	 * @param identities resolves tool identities and session ids; null means
	 * {@link ToolCallIdentityResolver#defaults()} (the auto-configuration passes the application's resolver)
	 */
	public record Options(DenialMode onDeny, boolean mcpSourceEnforcement, McpToolSources mcpToolSources,
			ToolCallIdentityResolver identities) {

		/**
		 * Defaults a null denial mode to feedback and a null resolver to the defaults.
		 * @param onDeny how a block (or another Runlayer error of a tool call) reaches Spring AI; null means {@link DenialMode#FEEDBACK}
		 * @param mcpSourceEnforcement check MCP tools' server on the direct MCP source route before the call (only effective with a user API key and a configured route path)
		 * @param mcpToolSources the MCP server behind each MCP tool name; null when unknown (MCP tools are then enforced by tool name only and no source check runs)
		 * @param identities resolves tool identities and session ids; null means {@link ToolCallIdentityResolver#defaults()} (the auto-configuration passes the application's resolver)
		 */
		public Options {
			onDeny = (onDeny != null) ? onDeny : DenialMode.FEEDBACK;
			identities = (identities != null) ? identities : ToolCallIdentityResolver.defaults();
		}

		/**
		 * Options with the default identity resolver.
		 * @param onDeny how a block reaches Spring AI; null means {@link DenialMode#FEEDBACK}
		 * @param mcpSourceEnforcement check MCP tools' server on the direct MCP source route
		 * @param mcpToolSources the MCP server behind each MCP tool name, or null
		 */
		public Options(DenialMode onDeny, boolean mcpSourceEnforcement, McpToolSources mcpToolSources) {
			this(onDeny, mcpSourceEnforcement, mcpToolSources, null);
		}

		/**
		 * Feedback denials, MCP source enforcement on, no MCP source registry.
		 * @return the defaults
		 */
		public static Options defaults() {
			return new Options(DenialMode.FEEDBACK, true, null, null);
		}

	}

}
