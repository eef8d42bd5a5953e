package com.runlayer.sdk.adapters;

import java.util.Objects;
import java.util.function.Function;

import com.runlayer.sdk.EnforcementFailureMode;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerSession;
import com.runlayer.sdk.RunlayerSessionIds;
import com.runlayer.sdk.ToolCallIdentity;

/**
 * Options of the map-tool adapters in {@link RunlayerAdapters}, mirroring the Python SDK's adapter option
 * dictionaries ({@code client}, {@code session_id}, ...).
 *
 * <p>The session id of a call is, in this order: what {@code sessionIdResolver} returns for the call's context
 * arguments, {@code sessionId}, {@link RunlayerSession#current()}; each trimmed, blank meaning none (the rule of
 * {@link RunlayerSessionIds}). Immutable.
 *
 * @param client the Runlayer client; required
 * @param sessionId the session (conversation) id, or null to resolve it per call
 * @param sessionIdResolver reads the session id from a call's extra context arguments, or null
 * @param toolType the tool type sent to Runlayer; {@code function} when null
 * @param mcpServerName the MCP server name when the tools front an MCP server (used by the enforcement filters),
 * or null
 * @param toolUrl the MCP server URL when the tools front an MCP server (used by the enforcement filters), or null
 * @param failureMode the failure mode for these tools, or null for the client's
 */
public record AdapterOptions(RunlayerClient client, String sessionId, Function<Object[], String> sessionIdResolver,
		String toolType, String mcpServerName, String toolUrl, EnforcementFailureMode failureMode) {

	/** The tool type used when none is given. */
	public static final String DEFAULT_TOOL_TYPE = "function";

	/**
	 * Checks the client and applies the default tool type.
	 * @param client the Runlayer client; required
	 * @param sessionId the session (conversation) id, or null to resolve it per call
	 * @param sessionIdResolver reads the session id from a call's extra context arguments, or null
	 * @param toolType the tool type sent to Runlayer; {@code function} when null
	 * @param mcpServerName the MCP server name when the tools front an MCP server (used by the enforcement filters), or null
	 * @param toolUrl the MCP server URL when the tools front an MCP server (used by the enforcement filters), or null
	 * @param failureMode the failure mode for these tools, or null for the client's
	 */
	public AdapterOptions {
		Objects.requireNonNull(client, "client");
		toolType = (toolType == null || toolType.isBlank()) ? DEFAULT_TOOL_TYPE : toolType;
	}

	/**
	 * Options with a client and a fixed session id.
	 * @param client the client
	 * @param sessionId the session id, or null to use {@link RunlayerSession#current()}
	 * @return the options
	 */
	public static AdapterOptions of(RunlayerClient client, String sessionId) {
		return new AdapterOptions(client, sessionId, null, null, null, null, null);
	}

	/**
	 * Starts a builder.
	 * @param client the client
	 * @return a new builder
	 */
	public static Builder builder(RunlayerClient client) {
		return new Builder(client);
	}

	String resolveSessionId(Object[] context) {
		String resolved = (this.sessionIdResolver != null)
				? RunlayerSessionIds.normalize(this.sessionIdResolver.apply((context != null) ? context : new Object[0]))
				: null;
		// the shared rule: the adapter's own id (resolver, then fixed), then the current RunlayerSession
		return RunlayerSessionIds.resolve((resolved != null) ? resolved : this.sessionId, null);
	}

	/**
	 * The identity of a tool wrapped with these options.
	 * @param toolName the tool name
	 * @return the identity (name, type, MCP server, URL, failure mode), text trimmed
	 */
	ToolCallIdentity identity(String toolName) {
		return new ToolCallIdentity(toolName, this.toolType, this.mcpServerName, this.toolUrl, this.failureMode);
	}

	/**
	 * Builder of {@link AdapterOptions}. Not thread-safe.
	 */
	public static final class Builder {

		private final RunlayerClient client;

		private String sessionId;

		private Function<Object[], String> sessionIdResolver;

		private String toolType;

		private String mcpServerName;

		private String toolUrl;

		private EnforcementFailureMode failureMode;

		private Builder(RunlayerClient client) {
			this.client = client;
		}

		/**
		 * Sets a fixed session id.
		 * @param sessionId the session id
		 * @return this builder
		 */
		public Builder sessionId(String sessionId) {
			this.sessionId = sessionId;
			return this;
		}

		/**
		 * Sets how the session id is read from a call's extra context arguments.
		 * @param resolver the resolver; returning null or blank falls back to the fixed id, then the current scope
		 * @return this builder
		 */
		public Builder sessionIdResolver(Function<Object[], String> resolver) {
			this.sessionIdResolver = resolver;
			return this;
		}

		/**
		 * Sets the tool type (default {@code function}).
		 * @param toolType the tool type
		 * @return this builder
		 */
		public Builder toolType(String toolType) {
			this.toolType = toolType;
			return this;
		}

		/**
		 * Sets the MCP server name of the tools.
		 * @param mcpServerName the server name
		 * @return this builder
		 */
		public Builder mcpServerName(String mcpServerName) {
			this.mcpServerName = mcpServerName;
			return this;
		}

		/**
		 * Sets the MCP server URL of the tools.
		 * @param toolUrl the URL
		 * @return this builder
		 */
		public Builder toolUrl(String toolUrl) {
			this.toolUrl = toolUrl;
			return this;
		}

		/**
		 * Sets the failure mode for these tools.
		 * @param failureMode the mode, or null for the client's
		 * @return this builder
		 */
		public Builder failureMode(EnforcementFailureMode failureMode) {
			this.failureMode = failureMode;
			return this;
		}

		/**
		 * Builds the options.
		 * @return the options
		 */
		public AdapterOptions build() {
			return new AdapterOptions(this.client, this.sessionId, this.sessionIdResolver, this.toolType,
					this.mcpServerName, this.toolUrl, this.failureMode);
		}

	}

}
