package com.runlayer.sdk;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.runlayer.sdk.auth.AgentAccountAuthentication;
import com.runlayer.sdk.auth.AuthMode;
import com.runlayer.sdk.auth.RunlayerSubject;
import com.runlayer.sdk.auth.TokenCacheStats;
import com.runlayer.sdk.enforcement.ToolEnforcementOptions;
import com.runlayer.sdk.events.EventDispatcher;
import com.runlayer.sdk.transport.HookEndpoint;
import tools.jackson.databind.json.JsonMapper;

/**
 * The read-only side of {@link RunlayerClient}: its configuration and state, never a secret. Kept apart from the
 * client's behaviour so that each file stays readable (the same arrangement as the JDK's {@code StringBuilder} and
 * its package-private base); only {@link RunlayerClient} extends it, and these methods are part of its public API.
 */
abstract class ClientAccessors {

	final ClientParts parts;

	ClientAccessors(ClientParts parts) {
		this.parts = parts;
	}

	/**
	 * The base URL, without a trailing slash.
	 * @return the base URL
	 */
	public String baseUrl() {
		return this.parts.baseUrl;
	}

	/**
	 * The authentication mode (never the credential).
	 * @return the mode
	 */
	public AuthMode authMode() {
		return this.parts.authentication.mode();
	}

	/**
	 * The hook client name.
	 * @return the client name
	 */
	public String client() {
		return this.parts.options.client;
	}

	/**
	 * The agent runtime version.
	 * @return the version, or null
	 */
	public String clientVersion() {
		return this.parts.options.clientVersion;
	}

	/**
	 * The User-Agent header value: {@code Runlayer-Java-SDK/<version>}, then the client version when set.
	 * @return the User-Agent
	 */
	public String userAgent() {
		return this.parts.userAgent;
	}

	/**
	 * The enforcement failure mode.
	 * @return the mode
	 */
	public EnforcementFailureMode enforcementFailureMode() {
		return this.parts.options.failureMode;
	}

	/**
	 * The failure mode of a tool's calls: its {@code runlayer.tools.<name>.failure-mode}, else the per-call one (e.g.
	 * the annotation's), else the client's.
	 * @param toolName the tool's resolved name
	 * @param callOverride the per-call failure mode, or null
	 * @return the failure mode
	 */
	public EnforcementFailureMode enforcementFailureMode(String toolName, EnforcementFailureMode callOverride) {
		return this.parts.options.policyFor(toolName, callOverride).failureMode();
	}

	/**
	 * The global mode (enforce or monitor); a tool may have its own ({@link #toolSettings()}).
	 * @return the mode
	 */
	public RunlayerMode mode() {
		return this.parts.options.mode;
	}

	/**
	 * The mode a tool's calls run in: its own setting, else the global mode.
	 * @param toolName the tool's resolved name
	 * @return the mode
	 */
	public RunlayerMode mode(String toolName) {
		return this.parts.options.policyFor(toolName, null).mode();
	}

	/**
	 * The per-tool settings, by tool name.
	 * @return the settings; unmodifiable
	 */
	public Map<String, ToolSettings> toolSettings() {
		return this.parts.options.tools;
	}

	/**
	 * The circuit breaker settings.
	 * @return the settings
	 */
	public CircuitBreakerSettings circuitBreaker() {
		return this.parts.options.circuitBreaker;
	}

	/**
	 * The state of an endpoint's circuit breaker.
	 * @param endpoint the endpoint
	 * @return the state ({@link CircuitState#DISABLED} when the breakers are off)
	 */
	public CircuitState circuitState(HookEndpoint endpoint) {
		return this.parts.guarded.state(endpoint);
	}

	/**
	 * Closes every circuit breaker and forgets the recorded calls, e.g. between tests or after an operator fixed the
	 * connection to Runlayer.
	 */
	public void resetCircuitBreakers() {
		this.parts.guarded.reset();
	}

	/**
	 * Whether {@code UserPromptSubmit} carries the prompt text ({@code runlayer.telemetry.prompts}).
	 * @return the flag
	 */
	public boolean sendsPrompts() {
		return this.parts.options.telemetryPrompts;
	}

	/**
	 * The effective timeout of an endpoint's calls.
	 * @param endpoint the endpoint
	 * @return the timeout override if set, else the endpoint's default
	 */
	public Duration transportTimeout(HookEndpoint endpoint) {
		return this.parts.transport.settings().timeout(endpoint);
	}

	/**
	 * The cap of the serialized tool output.
	 * @return bytes
	 */
	public long maxToolOutputBytes() {
		return this.parts.options.maxToolOutputBytes;
	}

	/**
	 * The tool enforcement filter options.
	 * @return the options
	 */
	public ToolEnforcementOptions toolEnforcement() {
		return this.parts.options.toolEnforcement;
	}

	/**
	 * The direct MCP source enforcement path.
	 * @return the path, or null when not configured
	 */
	public String directMcpSourceEnforcementPath() {
		return this.parts.options.directMcpSourceEnforcementPath;
	}

	/**
	 * Whether debug logging of swallowed telemetry failures is on.
	 * @return the flag
	 */
	public boolean debug() {
		return this.parts.options.debug;
	}

	/**
	 * The JSON mapper the client uses.
	 * @return the mapper
	 */
	public JsonMapper jsonMapper() {
		return this.parts.jsonMapper;
	}

	/**
	 * The end user a call of this session would act for, resolved now on the calling thread: the subject resolver's
	 * answer, if any. Adapters that start a call on one thread and run it on another capture it with this and pass
	 * it on with {@link ToolCall#withSubject}.
	 * @param sessionId the session id
	 * @return the resolver's subject, or empty (the static subject, or none, applies)
	 * @throws RunlayerException when the resolver fails
	 */
	public Optional<RunlayerSubject> resolveSubject(String sessionId) {
		return Optional.ofNullable(this.parts.subjects.resolve(null, sessionId));
	}

	/**
	 * Where the end user of each call comes from, for diagnostics: the resolver's source (followed by
	 * {@code +static} when a static subject is the fallback), {@code static} or {@code none}.
	 * @return the description, never a subject
	 */
	public String subjectSource() {
		return this.parts.subjects.source();
	}

	/**
	 * Figures of the per-user on-behalf-of token cache.
	 * @return the figures, or empty without agent-account credentials
	 */
	public Optional<TokenCacheStats> subjectTokenCache() {
		return (this.parts.authentication instanceof AgentAccountAuthentication agent)
				? Optional.of(agent.tokenCacheStats()) : Optional.empty();
	}

	/**
	 * The event dispatcher (internal).
	 * @return the dispatcher
	 */
	public EventDispatcher eventDispatcher() {
		return this.parts.dispatcher;
	}

}
