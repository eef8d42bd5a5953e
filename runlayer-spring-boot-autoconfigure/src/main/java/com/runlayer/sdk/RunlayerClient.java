package com.runlayer.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import com.runlayer.sdk.auth.AgentAccountAuthentication;
import com.runlayer.sdk.auth.AuthMode;
import com.runlayer.sdk.auth.HookAuthentication;
import com.runlayer.sdk.auth.RunlayerSubject;
import com.runlayer.sdk.auth.RunlayerSubjectResolver;
import com.runlayer.sdk.auth.TokenCacheStats;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.enforcement.ToolEnforcementOptions;
import com.runlayer.sdk.events.EventDispatcher;
import com.runlayer.sdk.hooks.HookPayloads;
import com.runlayer.sdk.hooks.HookResponses;
import com.runlayer.sdk.hooks.OutputTruncator;
import com.runlayer.sdk.hooks.ToolOutputs;
import com.runlayer.sdk.observe.RunlayerObserver;
import com.runlayer.sdk.transport.HookEndpoint;
import com.runlayer.sdk.transport.HookTransport;
import com.runlayer.sdk.transport.RetryPolicy;
import com.runlayer.sdk.transport.TransportSettings;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Runlayer client: pre-tool enforcement with argument rewriting, post-tool output scanning, failed-tool
 * telemetry, lifecycle events, preflight, transcript-bearing Stop and direct MCP source enforcement.
 *
 * <p>Create it with {@link #fromEnv()} (the {@code RUNLAYER_*} environment variables), {@link #fromEnv(Consumer)}
 * (environment plus overrides) or {@link #builder()}. Immutable and thread-safe; one instance per application.
 * Enforcement is fail-closed by default: every outage (transport error, timeout, 5xx, 408 or 429 after the retries,
 * malformed or unexpected answer) of an enforcement call blocks with {@link RunlayerBlockedException#outage()} true,
 * unless the failure mode is {@link EnforcementFailureMode#OPEN}; any other 4xx is Runlayer's definitive refusal and
 * blocks in every mode with {@code outage()} false. Telemetry is best-effort and never throws, except the strict helpers
 * ({@link #emitEventStrict}, {@link #sendPreflight}, {@link #emitTranscriptStop}). {@link #toString()} never shows a
 * secret. Close it to flush queued events.
 */
public final class RunlayerClient implements AutoCloseable {

	/** Default hook client name: the first-party SDK name Runlayer workspaces already allowlist. */
	public static final String DEFAULT_CLIENT = "python-sdk";

	/** Default cap of the serialized tool output sent to Runlayer. */
	public static final long DEFAULT_MAX_TOOL_OUTPUT_BYTES = 65536;

	/** Default bound of a Runlayer response body. */
	public static final long DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

	/** Default bound of the serialized tool input. */
	public static final long DEFAULT_MAX_TOOL_INPUT_BYTES = 1024 * 1024;

	/** Default cap of each payload field of a lifecycle event, e.g. a prompt ({@code runlayer.events.max-field-bytes}). */
	public static final long DEFAULT_EVENT_MAX_FIELD_BYTES = 65536;

	/** Largest accepted call timeout ({@code runlayer.timeout}, {@code runlayer.events.shutdown-timeout}): 10 minutes. */
	public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

	/**
	 * Largest accepted size bound ({@code runlayer.max-tool-output-bytes}, {@code max-tool-input-bytes},
	 * {@code max-response-bytes}, {@code events.max-field-bytes}): 64 MiB.
	 */
	public static final long MAX_SIZE_BOUND = 64L * 1024 * 1024;

	/** Largest accepted event backlog in bytes ({@code runlayer.events.queue-max-bytes}): 1 GiB. */
	public static final long MAX_EVENT_QUEUE_BYTES = 1024L * 1024 * 1024;

	/** Largest accepted event backlog in events ({@code runlayer.events.queue-capacity}): 1,000,000. */
	public static final int MAX_EVENT_QUEUE_CAPACITY = 1_000_000;

	private static final String SDK_VERSION = readSdkVersion();

	private final ClientSettings options;

	private final String baseUrl;

	private final HookAuthentication authentication;

	private final HookTransport transport;

	private final HookTransport tokenTransport;

	private final GuardedTransport guarded;

	private final JsonMapper jsonMapper;

	private final EventDispatcher dispatcher;

	private final String userAgent;

	private final ToolEnforcer tools;

	private final McpSourceEnforcer mcpSources;

	private final ClientEvents events;

	private final Preflight preflight;

	private volatile boolean closed;

	private final CallSubjects subjects;

	private RunlayerClient(ClientSettings b, URI baseUri, HookAuthentication authentication) {
		this.options = b.copy();
		this.baseUrl = stripTrailingSlash(baseUri.toString());
		this.authentication = authentication;
		this.jsonMapper = (b.jsonMapper != null) ? b.jsonMapper : JsonMapper.builder().build();
		this.userAgent = "Runlayer-Java-SDK/" + SDK_VERSION + ((b.clientVersion != null) ? " " + b.clientVersion : "");
		TransportSettings settings = new TransportSettings(this.baseUrl, b.timeout, b.maxResponseBytes,
				new RetryPolicy(b.maxRetries), this.userAgent, b.compression, b.sslContext);
		this.transport = new HookTransport(settings, authentication);
		if (authentication instanceof AgentAccountAuthentication agent) {
			this.tokenTransport = new HookTransport(settings, null);
			agent.useTransport(this.tokenTransport);
		}
		else {
			this.tokenTransport = null;
		}
		HookPayloads payloads = new HookPayloads(this.jsonMapper, b.client, b.clientVersion);
		HookResponses responses = new HookResponses(this.jsonMapper, b.client);
		// Jackson 3 writes a bean without visible properties as {} by default: Runlayer would scan an empty object
		// while the tool gets the real one, so such inputs and outputs are refused (fail-closed) instead.
		OutputTruncator truncator = new OutputTruncator(
				this.jsonMapper.rebuild().enable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build());
		ToolOutputs outputs = new ToolOutputs(this.jsonMapper);
		RunlayerObserver observer = CompositeObserver.of(b.observers);
		this.dispatcher = (b.dispatcherFactory != null) ? b.dispatcherFactory.apply(observer)
				: new EventDispatcher(EventDispatcher.DEFAULT_LANES, b.eventQueueCapacity, b.eventQueueMaxBytes, observer);
		EnforcementReporter reporter = new EnforcementReporter(observer, responses);
		this.subjects = new CallSubjects(b.subjectResolver, authentication.supportsSubjects(), authentication.mode());
		// event fields are capped with the tool-output rule, on the plain mapper (events never refused empty beans)
		this.guarded = new GuardedTransport(this.transport, authentication, this.options.circuitBreaker);
		this.events = new ClientEvents(this.guarded, payloads, observer, this.dispatcher, this.options,
				new OutputTruncator(this.jsonMapper), b.eventMaxFieldBytes, this.subjects);
		this.tools = new ToolEnforcer(this.options, this.baseUrl, this.guarded, payloads, responses, truncator,
				outputs, reporter, this.events, this.subjects);
		this.mcpSources = new McpSourceEnforcer(this.options, authentication, this.jsonMapper, this.guarded,
				payloads, responses, reporter);
		this.preflight = new Preflight(this.events);
	}

	/**
	 * Creates a client from the {@code RUNLAYER_*} environment variables.
	 * @return the client
	 * @throws RunlayerConfigurationException naming the property and environment variable when the configuration
	 * is incomplete or invalid
	 */
	public static RunlayerClient fromEnv() {
		return fromEnv((b) -> {
		});
	}

	/**
	 * Creates a client from the {@code RUNLAYER_*} environment variables, then applies overrides.
	 * @param overrides changes applied to the builder after the environment was read
	 * @return the client
	 * @throws RunlayerConfigurationException when the configuration is incomplete or invalid
	 */
	public static RunlayerClient fromEnv(Consumer<Builder> overrides) {
		return fromEnvironment(System.getenv(), overrides);
	}

	/**
	 * Creates a client from a given environment map (for tests and custom environment sources), then applies
	 * overrides.
	 * @param environment the environment variables
	 * @param overrides changes applied to the builder after the environment was read
	 * @return the client
	 * @throws RunlayerConfigurationException when the configuration is incomplete or invalid
	 */
	public static RunlayerClient fromEnvironment(Map<String, String> environment, Consumer<Builder> overrides) {
		Builder builder = builder().environment(environment);
		overrides.accept(builder);
		return builder.build();
	}

	/**
	 * Starts a builder with the documented defaults and nothing read from the environment.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The SDK version.
	 * @return the version, e.g. {@code 0.1.0}
	 */
	public static String sdkVersion() {
		return SDK_VERSION;
	}

	// ---------------------------------------------------------------------------------------------------------
	// Tool enforcement

	/**
	 * Runs a tool under Runlayer enforcement: tool/pre (deny throws, {@code modified_args} replaces the input),
	 * the tool, then tool/post (blocked output throws, {@code modified_output} is returned instead of the raw output).
	 * If the tool throws, a {@code PostToolUseFailure} is sent and the original exception is rethrown unchanged
	 * (the same instance, checked exceptions included).
	 * @param call the call
	 * @param execute the tool body
	 * @return the tool output, or the masked output
	 * @throws RunlayerBlockedException when Runlayer blocks, or on an outage in closed mode
	 * @throws RunlayerException when the call is invalid (no session id, no tool name, unserializable input)
	 */
	public Object runTool(ToolCall call, ToolExecution execute) {
		Objects.requireNonNull(execute, "execute");
		ToolInvocation invocation = beginTool(call);
		Object output;
		try {
			output = execute.execute(invocation.input());
		}
		catch (Throwable ex) {
			invocation.fail(ex);
			throw sneakyThrow(ex);
		}
		return invocation.complete(output);
	}

	/**
	 * Runs the pre-tool decision and returns the invocation to run the tool with.
	 * @param call the call
	 * @return the invocation
	 * @throws RunlayerBlockedException on a deny, or on an outage in closed mode
	 * @throws RunlayerException when the call is invalid
	 */
	public ToolInvocation beginTool(ToolCall call) {
		return beginTool(call, null);
	}

	/**
	 * Runs the pre-tool decision with a per-tool failure mode.
	 * @param call the call
	 * @param failureModeOverride the failure mode for this tool, or null for the client's
	 * @return the invocation
	 * @throws RunlayerBlockedException on a deny, or on an outage in closed mode
	 * @throws RunlayerException when the call is invalid
	 */
	public ToolInvocation beginTool(ToolCall call, EnforcementFailureMode failureModeOverride) {
		requireOpen();
		return this.tools.begin(call, failureModeOverride);
	}

	/**
	 * Resumes a tool call whose pre-tool decision was made earlier, elsewhere: for runtimes that report a tool's
	 * result in a separate hook (a Claude {@code PostToolUse} or {@code PostToolUseFailure} hook, possibly in another
	 * process). The returned invocation runs the post-tool scan ({@link ToolInvocation#complete(Object)}) or reports
	 * the failure; pass the tool use id of the pre-tool call so that Runlayer can pair them. No pre-tool call is made.
	 * @param call the call as the tool ran it
	 * @return the invocation; not enforced when the filters skip the tool
	 * @throws RunlayerException when the call is invalid
	 */
	public ToolInvocation resumeTool(ToolCall call) {
		return this.tools.resume(call, null);
	}

	/**
	 * Whether this client enforces a tool, using its filter options and its own base URL.
	 * @param tool the tool
	 * @return {@code false} when the filters skip it
	 */
	public boolean shouldEnforceTool(ToolDescriptor tool) {
		return this.tools.shouldEnforce(tool);
	}

	// ---------------------------------------------------------------------------------------------------------
	// Direct MCP source enforcement

	/**
	 * Checks a direct MCP source on the configured cursor route before the MCP call.
	 * @param check the check
	 * @throws RunlayerBlockedException (stage MCP_SOURCE) when denied, or on an outage in closed mode
	 * @throws RunlayerConfigurationException when the route path is not configured, or the client uses agent
	 * authentication (the route needs a user API key)
	 */
	public void enforceMcpSource(McpSourceCheck check) {
		enforceMcpSource(check, null);
	}

	/**
	 * Checks a direct MCP source with a per-call failure mode.
	 * @param check the check
	 * @param failureModeOverride the failure mode, or null for the client's
	 * @throws RunlayerBlockedException (stage MCP_SOURCE) when denied, or on an outage in closed mode
	 * @throws RunlayerConfigurationException when the route is not usable with this configuration
	 */
	public void enforceMcpSource(McpSourceCheck check, EnforcementFailureMode failureModeOverride) {
		requireOpen();
		this.mcpSources.enforce(check, failureModeOverride);
	}

	// ---------------------------------------------------------------------------------------------------------
	// Lifecycle telemetry

	/**
	 * Emits a lifecycle event, best-effort: never throws; failures are logged at DEBUG (WARN with debug on).
	 * {@code payload.timestamp} is stamped now unless given.
	 * @param eventName the event name, e.g. {@code UserPromptSubmit}
	 * @param sessionId the session id
	 * @param payload extra payload fields, may be null
	 */
	public void emitEvent(String eventName, String sessionId, Map<String, Object> payload) {
		this.events.emitEvent(eventName, sessionId, payload);
	}

	/**
	 * Emits a lifecycle event and waits for Runlayer to accept it.
	 * @param eventName the event name
	 * @param sessionId the session id
	 * @param payload extra payload fields, may be null
	 * @throws RunlayerException when the event was not accepted (says why: status, bounded body excerpt)
	 */
	public void emitEventStrict(String eventName, String sessionId, Map<String, Object> payload) {
		this.events.emitEventStrict(eventName, sessionId, payload);
	}

	/**
	 * Emits a {@code UserPromptSubmit}, best-effort.
	 * @param sessionId the session id
	 * @param prompt the prompt
	 */
	public void emitUserPromptSubmit(String sessionId, String prompt) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("prompt", prompt);
		emitEvent(HookPayloads.USER_PROMPT_SUBMIT, sessionId, payload);
	}

	/**
	 * Emits a bare {@code Stop}, best-effort.
	 * @param sessionId the session id
	 */
	public void emitStop(String sessionId) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("stop_hook_active", false);
		emitEvent(HookPayloads.STOP, sessionId, payload);
	}

	/**
	 * Sends a transcript-bearing {@code Stop}, strict: the lines are sent newline-terminated, chunked at 1 MiB
	 * on line boundaries, at most 4 MiB (oldest lines dropped first, counted as {@code transcript_dropped_bytes}).
	 * @param stop the stop
	 * @throws RunlayerException when a chunk was not accepted
	 */
	public void emitTranscriptStop(TranscriptStop stop) {
		this.events.emitTranscriptStop(stop);
	}

	/**
	 * Sends the strict preflight sequence for a fresh synthetic session: {@code SessionStart},
	 * {@code UserPromptSubmit}, {@code Stop}, each waiting for the previous one.
	 * @param prompt the prompt of the synthetic session
	 * @return the session id and each event's round trip
	 * @throws RunlayerException naming the event that failed and why
	 */
	public PreflightResult sendPreflight(String prompt) {
		return this.preflight.send(prompt);
	}

	// ---------------------------------------------------------------------------------------------------------
	// Accessors (no secrets)

	/**
	 * The base URL, without a trailing slash.
	 * @return the base URL
	 */
	public String baseUrl() {
		return this.baseUrl;
	}

	/**
	 * The authentication mode (never the credential).
	 * @return the mode
	 */
	public AuthMode authMode() {
		return this.authentication.mode();
	}

	/**
	 * The hook client name.
	 * @return the client name
	 */
	public String client() {
		return this.options.client;
	}

	/**
	 * The agent runtime version.
	 * @return the version, or null
	 */
	public String clientVersion() {
		return this.options.clientVersion;
	}

	/**
	 * The User-Agent header value: {@code Runlayer-Java-SDK/<version>}, then the client version when set.
	 * @return the User-Agent
	 */
	public String userAgent() {
		return this.userAgent;
	}

	/**
	 * The enforcement failure mode.
	 * @return the mode
	 */
	public EnforcementFailureMode enforcementFailureMode() {
		return this.options.failureMode;
	}

	/**
	 * The failure mode of a tool's calls: its {@code runlayer.tools.<name>.failure-mode}, else the per-call one (e.g.
	 * the annotation's), else the client's.
	 * @param toolName the tool's resolved name
	 * @param callOverride the per-call failure mode, or null
	 * @return the failure mode
	 */
	public EnforcementFailureMode enforcementFailureMode(String toolName, EnforcementFailureMode callOverride) {
		return this.options.policyFor(toolName, callOverride).failureMode();
	}

	/**
	 * The global mode (enforce or monitor); a tool may have its own ({@link #toolSettings()}).
	 * @return the mode
	 */
	public RunlayerMode mode() {
		return this.options.mode;
	}

	/**
	 * The mode a tool's calls run in: its own setting, else the global mode.
	 * @param toolName the tool's resolved name
	 * @return the mode
	 */
	public RunlayerMode mode(String toolName) {
		return this.options.policyFor(toolName, null).mode();
	}

	/**
	 * The per-tool settings, by tool name.
	 * @return the settings; unmodifiable
	 */
	public Map<String, ToolSettings> toolSettings() {
		return this.options.tools;
	}

	/**
	 * The circuit breaker settings.
	 * @return the settings
	 */
	public CircuitBreakerSettings circuitBreaker() {
		return this.options.circuitBreaker;
	}

	/**
	 * The state of an endpoint's circuit breaker.
	 * @param endpoint the endpoint
	 * @return the state ({@link CircuitState#DISABLED} when the breakers are off)
	 */
	public CircuitState circuitState(HookEndpoint endpoint) {
		return this.guarded.state(endpoint);
	}

	/**
	 * Closes every circuit breaker and forgets the recorded calls, e.g. between tests or after an operator fixed the
	 * connection to Runlayer.
	 */
	public void resetCircuitBreakers() {
		this.guarded.reset();
	}

	/**
	 * Whether {@code UserPromptSubmit} carries the prompt text ({@code runlayer.telemetry.prompts}).
	 * @return the flag
	 */
	public boolean sendsPrompts() {
		return this.options.telemetryPrompts;
	}

	/**
	 * The effective timeout of an endpoint's calls.
	 * @param endpoint the endpoint
	 * @return the timeout override if set, else the endpoint's default
	 */
	public Duration transportTimeout(HookEndpoint endpoint) {
		return this.transport.settings().timeout(endpoint);
	}

	/**
	 * The cap of the serialized tool output.
	 * @return bytes
	 */
	public long maxToolOutputBytes() {
		return this.options.maxToolOutputBytes;
	}

	/**
	 * The tool enforcement filter options.
	 * @return the options
	 */
	public ToolEnforcementOptions toolEnforcement() {
		return this.options.toolEnforcement;
	}

	/**
	 * The direct MCP source enforcement path.
	 * @return the path, or null when not configured
	 */
	public String directMcpSourceEnforcementPath() {
		return this.options.directMcpSourceEnforcementPath;
	}

	/**
	 * Whether debug logging of swallowed telemetry failures is on.
	 * @return the flag
	 */
	public boolean debug() {
		return this.options.debug;
	}

	/**
	 * The JSON mapper the client uses.
	 * @return the mapper
	 */
	public JsonMapper jsonMapper() {
		return this.jsonMapper;
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
		return Optional.ofNullable(this.subjects.resolve(null, sessionId));
	}

	/**
	 * Where the end user of each call comes from, for diagnostics: the resolver's source (followed by
	 * {@code +static} when a static subject is the fallback), {@code static} or {@code none}.
	 * @return the description, never a subject
	 */
	public String subjectSource() {
		return this.subjects.source();
	}

	/**
	 * Figures of the per-user on-behalf-of token cache.
	 * @return the figures, or empty without agent-account credentials
	 */
	public Optional<TokenCacheStats> subjectTokenCache() {
		return (this.authentication instanceof AgentAccountAuthentication agent)
				? Optional.of(agent.tokenCacheStats()) : Optional.empty();
	}

	/**
	 * The event dispatcher (internal).
	 * @return the dispatcher
	 */
	public EventDispatcher eventDispatcher() {
		return this.dispatcher;
	}

	/**
	 * Closes the client for good. New enforcement calls ({@code runTool}, {@code beginTool},
	 * {@code enforceMcpSource}) fail at once with a {@link RunlayerException} "Runlayer client closed", whatever the
	 * failure mode; enforcement calls in flight end at once as outages (blocked in closed mode, allowed in open mode);
	 * queued events are flushed (bounded by the configured shutdown timeout); then the HTTP resources are released and
	 * no thread of the client is left running (Java 17's JDK {@code HttpClient} selector thread ends once the client
	 * is garbage collected). Idempotent.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			this.guarded.abortEnforcementInFlight();
			this.dispatcher.close(this.options.eventShutdownTimeout);
		}
		finally {
			this.guarded.close();
			if (this.tokenTransport != null) {
				this.tokenTransport.close();
			}
		}
	}

	/**
	 * Whether {@link #close()} was called.
	 * @return the flag
	 */
	public boolean isClosed() {
		return this.closed;
	}

	private void requireOpen() {
		if (this.closed) {
			throw new RunlayerException("Runlayer client closed");
		}
	}

	@Override
	public String toString() {
		return "RunlayerClient[baseUrl=" + this.baseUrl + ", auth=" + this.authentication.mode() + ", client="
				+ this.options.client + ", clientVersion=" + this.options.clientVersion + ", failureMode="
				+ this.options.failureMode + ", mode=" + this.options.mode.value() + ", timeout=" + this.options.timeout + ", maxToolOutputBytes="
				+ this.options.maxToolOutputBytes + "]";
	}

	// ---------------------------------------------------------------------------------------------------------
	// Internals

	/**
	 * Checks a required text argument of the public API (shared by the collaborators).
	 * @param value the value
	 * @param field the field name used in the message
	 * @throws RunlayerException when the value is null or blank
	 */
	static void requireText(String value, String field) {
		if (value == null || value.isBlank()) {
			throw new RunlayerException(field + " is required and must not be blank");
		}
	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> RuntimeException sneakyThrow(Throwable ex) throws E {
		throw (E) ex;
	}

	private static String stripTrailingSlash(String url) {
		String result = url;
		while (result.endsWith("/")) {
			result = result.substring(0, result.length() - 1);
		}
		return result;
	}

	private static String readSdkVersion() {
		try (InputStream in = RunlayerClient.class.getResourceAsStream("runlayer-sdk.properties")) {
			if (in != null) {
				Properties properties = new Properties();
				properties.load(in);
				String version = properties.getProperty("version");
				if (version != null && !version.isBlank() && !version.startsWith("${")) {
					return version.trim();
				}
			}
		}
		catch (IOException ex) {
			// fall through
		}
		return "unknown";
	}

	/**
	 * Builder of {@link RunlayerClient}. Options mirror the Python SDK's {@code from_env} options. Not thread-safe.
	 */
	public static final class Builder {

		private final ClientSettings settings = new ClientSettings();

		private Builder() {
		}

		/**
		 * Reads the {@code RUNLAYER_*} variables of an environment map (see {@link RunlayerSetting}).
		 * @param environment the environment
		 * @return this builder
		 * @throws RunlayerConfigurationException when a variable has an invalid value
		 */
		public Builder environment(Map<String, String> environment) {
			this.settings.readEnvironment(environment);
			return this;
		}

		/**
		 * Sets the Runlayer base URL (https unless insecure transport is allowed).
		 * @param baseUrl the URL
		 * @return this builder
		 */
		public Builder baseUrl(String baseUrl) {
			this.settings.baseUrl = baseUrl;
			return this;
		}

		/**
		 * Sets the user or organization API key.
		 * @param apiKey the key
		 * @return this builder
		 */
		public Builder apiKey(String apiKey) {
			this.settings.apiKey = apiKey;
			return this;
		}

		/**
		 * Sets the agent account client id.
		 * @param clientId the id
		 * @return this builder
		 */
		public Builder agentClientId(String clientId) {
			this.settings.agentClientId = clientId;
			return this;
		}

		/**
		 * Sets the agent account client secret.
		 * @param clientSecret the secret
		 * @return this builder
		 */
		public Builder agentClientSecret(String clientSecret) {
			this.settings.agentClientSecret = clientSecret;
			return this;
		}

		/**
		 * Sets the subject token for on-behalf-of token exchange.
		 * @param subjectToken the subject token
		 * @return this builder
		 */
		public Builder agentSubjectToken(String subjectToken) {
			this.settings.agentSubjectToken = subjectToken;
			return this;
		}

		/**
		 * Sets the subject token type URN.
		 * @param subjectTokenType the URN
		 * @return this builder
		 */
		public Builder agentSubjectTokenType(String subjectTokenType) {
			this.settings.agentSubjectTokenType = subjectTokenType;
			return this;
		}

		/**
		 * Sets the hook client name (default {@code python-sdk}).
		 * @param client the name
		 * @return this builder
		 */
		public Builder client(String client) {
			this.settings.client = client;
			return this;
		}

		/**
		 * Sets the agent runtime version (control characters are stripped).
		 * @param clientVersion the version
		 * @return this builder
		 */
		public Builder clientVersion(String clientVersion) {
			this.settings.clientVersion = clientVersion;
			return this;
		}

		/**
		 * Sets one timeout for every Runlayer call, replacing the per-kind defaults (30 s, 5 s, 10 s).
		 * @param timeout the timeout, or null for the defaults
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			this.settings.timeout = timeout;
			return this;
		}

		/**
		 * Sets the cap of the serialized tool output sent to Runlayer (default 65536).
		 * @param bytes the cap
		 * @return this builder
		 */
		public Builder maxToolOutputBytes(long bytes) {
			this.settings.maxToolOutputBytes = bytes;
			return this;
		}

		/**
		 * Sets the bound of a Runlayer response body (default 1 MiB); a larger body is an outage.
		 * @param bytes the bound
		 * @return this builder
		 */
		public Builder maxResponseBytes(long bytes) {
			this.settings.maxResponseBytes = bytes;
			return this;
		}

		/**
		 * Sets the bound of the serialized tool input (default 1 MiB); a larger input is rejected before the tool
		 * runs.
		 * @param bytes the bound
		 * @return this builder
		 */
		public Builder maxToolInputBytes(long bytes) {
			this.settings.maxToolInputBytes = bytes;
			return this;
		}

		/**
		 * Sets the enforcement failure mode (default closed).
		 * @param mode the mode
		 * @return this builder
		 */
		public Builder enforcementFailureMode(EnforcementFailureMode mode) {
			this.settings.failureMode = mode;
			return this;
		}

		/**
		 * Sets the mode: {@link RunlayerMode#ENFORCE enforce} (default) applies decisions, {@link RunlayerMode#MONITOR
		 * monitor} only reports them.
		 * @param mode the mode
		 * @return this builder
		 */
		public Builder mode(RunlayerMode mode) {
			this.settings.mode = mode;
			return this;
		}

		/**
		 * Sets one tool's settings (enforce, mode, failure mode, timeouts), which win over the annotation and the
		 * client's defaults.
		 * @param toolName the tool's resolved name
		 * @param settings the settings
		 * @return this builder
		 */
		public Builder tool(String toolName, ToolSettings settings) {
			this.settings.tools.put(Objects.requireNonNull(toolName, "toolName"),
					Objects.requireNonNull(settings, "settings"));
			return this;
		}

		/**
		 * Sets the circuit breakers in front of the Runlayer endpoints (default on, see
		 * {@link CircuitBreakerSettings#defaults()}).
		 * @param settings the settings
		 * @return this builder
		 */
		public Builder circuitBreaker(CircuitBreakerSettings settings) {
			this.settings.circuitBreaker = settings;
			return this;
		}

		/**
		 * Sets the redactor applied to every outgoing tool input, output and prompt.
		 * @param redactor the redactor, or null for none
		 * @return this builder
		 */
		public Builder payloadRedactor(RunlayerPayloadRedactor redactor) {
			this.settings.redactor = redactor;
			return this;
		}

		/**
		 * Whether {@code UserPromptSubmit} carries the prompt text (default true); false sends an empty prompt.
		 * @param send the flag
		 * @return this builder
		 */
		public Builder telemetryPrompts(boolean send) {
			this.settings.telemetryPrompts = send;
			return this;
		}

		/**
		 * Allows a non-https base URL (local development only).
		 * @param allow the flag
		 * @return this builder
		 */
		public Builder allowInsecureTransport(boolean allow) {
			this.settings.allowInsecureTransport = allow;
			return this;
		}

		/**
		 * Sets the direct MCP source enforcement route path, e.g. {@code /api/v1/hooks/cursor}.
		 * @param path the path
		 * @return this builder
		 */
		public Builder directMcpSourceEnforcementPath(String path) {
			this.settings.directMcpSourceEnforcementPath = path;
			return this;
		}

		/**
		 * Logs swallowed telemetry failures at WARN.
		 * @param debug the flag
		 * @return this builder
		 */
		public Builder debug(boolean debug) {
			this.settings.debug = debug;
			return this;
		}

		/**
		 * Sends the stack trace of a failed tool as the {@code output} of its {@code PostToolUseFailure} telemetry
		 * (bounded by the output cap) instead of only the exception type and message. Default off: stack traces
		 * can carry internal details.
		 * @param failureStackTraces the flag
		 * @return this builder
		 */
		public Builder failureStackTraces(boolean failureStackTraces) {
			this.settings.failureStackTraces = failureStackTraces;
			return this;
		}

		/**
		 * Sets the working directory sent as {@code cwd} in tool payloads of calls that give none
		 * ({@link ToolCall#cwd()}). Default none: a service's own working directory rarely says where a tool acts,
		 * so nothing is sent unless set.
		 * @param cwd the directory, or null
		 * @return this builder
		 */
		public Builder cwd(String cwd) {
			this.settings.cwd = cwd;
			return this;
		}

		/**
		 * Sets the tool enforcement filter options.
		 * @param options the options
		 * @return this builder
		 */
		public Builder toolEnforcement(ToolEnforcementOptions options) {
			this.settings.toolEnforcement = options;
			return this;
		}

		/**
		 * Sets how many times a retryable enforcement call is retried, 0 to 2 (default 2).
		 * @param retries the count
		 * @return this builder
		 */
		public Builder maxRetries(int retries) {
			this.settings.maxRetries = retries;
			return this;
		}

		/**
		 * Enables gzip request compression for bodies over 16 KiB (default off); when Runlayer
		 * rejects a compressed body it is resent once uncompressed and compression stops for the client.
		 * @param compression the flag
		 * @return this builder
		 */
		public Builder compression(boolean compression) {
			this.settings.compression = compression;
			return this;
		}

		/**
		 * Sets the TLS context (e.g. trusting a private CA). Certificates are always verified.
		 * @param sslContext the context, or null for the JDK default
		 * @return this builder
		 */
		public Builder sslContext(SSLContext sslContext) {
			this.settings.sslContext = sslContext;
			return this;
		}

		/**
		 * Sets the JSON mapper used for tool inputs and outputs.
		 * @param jsonMapper the mapper, or null for a default one
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.settings.jsonMapper = jsonMapper;
			return this;
		}

		/**
		 * Adds an observer (metrics, traces, health).
		 * @param observer the observer
		 * @return this builder
		 */
		public Builder observer(RunlayerObserver observer) {
			this.settings.observers.add(Objects.requireNonNull(observer, "observer"));
			return this;
		}

		/**
		 * Sets how best-effort events are dispatched (internal).
		 * @param factory creates the dispatcher from the client's observer
		 * @return this builder
		 */
		public Builder eventDispatcher(java.util.function.Function<RunlayerObserver, EventDispatcher> factory) {
			this.settings.dispatcherFactory = factory;
			return this;
		}

		/**
		 * Sets the bound of the best-effort event backlog (default 10000); when it is full the newest event is
		 * dropped and reported to {@link RunlayerObserver#telemetryDropped(String)}. Ignored when a custom
		 * {@link #eventDispatcher dispatcher} is set.
		 * @param capacity the bound, at least 1
		 * @return this builder
		 */
		public Builder eventQueueCapacity(int capacity) {
			this.settings.eventQueueCapacity = capacity;
			return this;
		}

		/**
		 * Sets the bound of the best-effort event backlog in bytes (default 16 MiB, at most 1 GiB): each queued event
		 * counts its serialized body; an event that would pass the bound is dropped and reported to
		 * {@link RunlayerObserver#telemetryDropped(String)}. Ignored when a custom {@link #eventDispatcher dispatcher}
		 * is set.
		 * @param bytes the bound, at least 1
		 * @return this builder
		 */
		public Builder eventQueueMaxBytes(long bytes) {
			this.settings.eventQueueMaxBytes = bytes;
			return this;
		}

		/**
		 * Sets the cap of each payload field of a lifecycle event (default 64 KiB, at most 64 MiB): a longer field is
		 * sent truncated with the same marker and {@code payload.truncation} entry as tool output.
		 * @param bytes the cap, at least 1
		 * @return this builder
		 */
		public Builder eventMaxFieldBytes(long bytes) {
			this.settings.eventMaxFieldBytes = bytes;
			return this;
		}

		/**
		 * Sets how long {@link RunlayerClient#close()} waits for queued events (default 5 s).
		 * @param timeout the timeout
		 * @return this builder
		 */
		public Builder eventShutdownTimeout(Duration timeout) {
			this.settings.eventShutdownTimeout = timeout;
			return this;
		}

		/**
		 * Sets where each call's end user (subject) comes from; consulted on the caller's thread for each
		 * enforcement and event call that has no subject of its own. Needs agent-account credentials.
		 * @param resolver the resolver, or null for none (the static subject, or none)
		 * @return this builder
		 */
		public Builder subjectResolver(RunlayerSubjectResolver resolver) {
			this.settings.subjectResolver = resolver;
			return this;
		}

		/**
		 * Sets the bounds of the per-user on-behalf-of token cache (default 10000 users, 30 minutes idle).
		 * @param maxSize how many users' tokens are cached at most, at least 1
		 * @param idleExpiry how long an unused user's token stays cached, positive
		 * @return this builder
		 */
		public Builder subjectTokenCache(int maxSize, Duration idleExpiry) {
			this.settings.subjectCacheMaxSize = maxSize;
			this.settings.subjectCacheIdleExpiry = idleExpiry;
			return this;
		}

		/**
		 * Validates the options and builds the client.
		 * @return the client
		 * @throws RunlayerConfigurationException naming the property and environment variable of the first
		 * problem
		 */
		public RunlayerClient build() {
			URI base = this.settings.validate();
			return new RunlayerClient(this.settings, base, this.settings.authentication());
		}

		@Override
		public String toString() {
			return this.settings.describe();
		}

	}

}
