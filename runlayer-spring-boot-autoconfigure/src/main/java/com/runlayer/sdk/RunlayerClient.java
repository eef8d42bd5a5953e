package com.runlayer.sdk;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.hooks.HookPayloads;

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
public final class RunlayerClient extends ClientAccessors implements AutoCloseable {

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

	private volatile boolean closed;

	private RunlayerClient(ClientParts parts) {
		super(parts);
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
		return ClientParts.SDK_VERSION;
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
		return this.parts.tools.begin(call, failureModeOverride);
	}

	/**
	 * Resumes a tool call whose pre-tool decision was made earlier, elsewhere: for runtimes that report a tool's
	 * result in a separate hook (a Claude {@code PostToolUse} or {@code PostToolUseFailure} hook, possibly in another
	 * process). The returned invocation runs the post-tool scan ({@link ToolInvocation#complete(Object)}) or reports
	 * the failure; pass the tool use id of the pre-tool call so that Runlayer can pair them. No pre-tool call is made.
	 * The call acts for the same end user as {@link #beginTool(ToolCall)} would (the call's subject, else the subject
	 * resolver's, else the static subject); a resolver failure makes the scan an outage.
	 * @param call the call as the tool ran it
	 * @return the invocation; not enforced when the filters skip the tool
	 * @throws RunlayerException when the call is invalid
	 */
	public ToolInvocation resumeTool(ToolCall call) {
		return this.parts.tools.resume(call, null);
	}

	/**
	 * Whether this client enforces a tool, using its filter options and its own base URL.
	 * @param tool the tool
	 * @return {@code false} when the filters skip it
	 */
	public boolean shouldEnforceTool(ToolDescriptor tool) {
		return this.parts.tools.shouldEnforce(tool);
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
		this.parts.mcpSources.enforce(check, failureModeOverride);
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
		this.parts.events.emitEvent(eventName, sessionId, payload);
	}

	/**
	 * Emits a lifecycle event and waits for Runlayer to accept it.
	 * @param eventName the event name
	 * @param sessionId the session id
	 * @param payload extra payload fields, may be null
	 * @throws RunlayerException when the event was not accepted (says why: status, bounded body excerpt)
	 */
	public void emitEventStrict(String eventName, String sessionId, Map<String, Object> payload) {
		this.parts.events.emitEventStrict(eventName, sessionId, payload);
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
		this.parts.events.emitTranscriptStop(stop);
	}

	/**
	 * Sends the strict preflight sequence for a fresh synthetic session: {@code SessionStart},
	 * {@code UserPromptSubmit}, {@code Stop}, each waiting for the previous one.
	 * @param prompt the prompt of the synthetic session
	 * @return the session id and each event's round trip
	 * @throws RunlayerException naming the event that failed and why
	 */
	public PreflightResult sendPreflight(String prompt) {
		return this.parts.preflight.send(prompt);
	}

	/**
	 * Closes the client for good. New enforcement calls ({@code runTool}, {@code beginTool},
	 * {@code enforceMcpSource}) fail at once with a {@link RunlayerException} "Runlayer client closed", whatever the
	 * failure mode; enforcement calls in flight end at once as outages (blocked in closed mode, allowed in open mode),
	 * and no enforcement request starts any more (the tool/post of a call already running is not sent: in open mode
	 * its output is returned unscanned);
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
			this.parts.guarded.abortEnforcementInFlight();
			this.parts.dispatcher.close(this.parts.options.eventShutdownTimeout);
		}
		finally {
			this.parts.releaseTransports();
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
		return this.parts.describe();
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

	/**
	 * Builder of {@link RunlayerClient}. Options mirror the Python SDK's {@code from_env} options; the option setters
	 * ({@code baseUrl}, {@code apiKey}, {@code timeout}, ...) each return this builder. Not thread-safe.
	 */
	public static final class Builder extends ClientBuilderOptions {

		private Builder() {
		}

		@Override
		Builder self() {
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
			return new RunlayerClient(new ClientParts(this.settings, base, this.settings.authentication()));
		}

		@Override
		public String toString() {
			return this.settings.describe();
		}

	}

}
