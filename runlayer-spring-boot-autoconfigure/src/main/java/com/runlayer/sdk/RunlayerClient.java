package com.runlayer.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import com.runlayer.sdk.auth.AgentAccountAuthentication;
import com.runlayer.sdk.auth.AgentCredentials;
import com.runlayer.sdk.auth.ApiKeyAuthentication;
import com.runlayer.sdk.auth.AuthMode;
import com.runlayer.sdk.auth.HookAuthentication;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.enforcement.ToolEnforcement;
import com.runlayer.sdk.enforcement.ToolEnforcementOptions;
import com.runlayer.sdk.events.EventDispatcher;
import com.runlayer.sdk.hooks.BoundedJson;
import com.runlayer.sdk.hooks.HookPayloads;
import com.runlayer.sdk.hooks.HookPayloads.ToolIdentity;
import com.runlayer.sdk.hooks.HookResponses;
import com.runlayer.sdk.hooks.McpSourceDecision;
import com.runlayer.sdk.hooks.OutputTruncator;
import com.runlayer.sdk.hooks.PostToolDecision;
import com.runlayer.sdk.hooks.PreToolDecision;
import com.runlayer.sdk.hooks.ToolOutputs;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.observe.RunlayerObserver;
import com.runlayer.sdk.observe.RunlayerObserver.EnforcementScope;
import com.runlayer.sdk.transport.HookCallException;
import com.runlayer.sdk.transport.HookEndpoint;
import com.runlayer.sdk.transport.HookResponse;
import com.runlayer.sdk.transport.HookTransport;
import com.runlayer.sdk.transport.RetryPolicy;
import com.runlayer.sdk.transport.TransportSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Runlayer client: pre-tool enforcement with argument rewriting, post-tool output scanning, failed-tool
 * telemetry, lifecycle events, preflight, transcript-bearing Stop and direct MCP source enforcement.
 *
 * <p>Create it with {@link #fromEnv()} (the {@code RUNLAYER_*} environment variables), {@link #fromEnv(Consumer)}
 * (environment plus overrides) or {@link #builder()}. Immutable and thread-safe; one instance per application.
 * Enforcement is fail-closed by default: every outage, timeout, non-2xx, malformed or unexpected answer of an
 * enforcement call blocks with {@link RunlayerBlockedException#outage()} true, unless the failure mode is
 * {@link EnforcementFailureMode#OPEN}. Telemetry is best-effort and never throws, except the strict helpers
 * ({@link #emitEventStrict}, {@link #sendPreflight}, {@link #emitTranscriptStop}). {@link #toString()} never shows a
 * secret. Close it to flush queued events.
 */
public final class RunlayerClient implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RunlayerClient.class);

	/** Default hook client name (D9). */
	public static final String DEFAULT_CLIENT = "python-sdk";

	/** Default cap of the serialized tool output sent to Runlayer. */
	public static final long DEFAULT_MAX_TOOL_OUTPUT_BYTES = 65536;

	/** Default bound of a Runlayer response body. */
	public static final long DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

	/** Default bound of the serialized tool input. */
	public static final long DEFAULT_MAX_TOOL_INPUT_BYTES = 1024 * 1024;

	private static final int TRANSCRIPT_CHUNK_BYTES = 1024 * 1024;

	private static final int TRANSCRIPT_MAX_BYTES = 4 * 1024 * 1024;

	private static final String SDK_VERSION = readSdkVersion();

	private final Builder options;

	private final URI baseUri;

	private final String baseUrl;

	private final HookAuthentication authentication;

	private final HookTransport transport;

	private final HookTransport tokenTransport;

	private final JsonMapper jsonMapper;

	private final HookPayloads payloads;

	private final HookResponses responses;

	private final OutputTruncator truncator;

	private final ToolOutputs outputs;

	private final RunlayerObserver observer;

	private final EventDispatcher dispatcher;

	private final String userAgent;

	private RunlayerClient(Builder b, URI baseUri, HookAuthentication authentication) {
		this.options = b.copy();
		this.baseUri = baseUri;
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
		this.payloads = new HookPayloads(this.jsonMapper, b.client, b.clientVersion);
		this.responses = new HookResponses(this.jsonMapper);
		// Jackson 3 writes a bean without visible properties as {} by default: Runlayer would scan an empty object
		// while the tool gets the real one, so such inputs and outputs are refused (fail-closed) instead.
		this.truncator = new OutputTruncator(
				this.jsonMapper.rebuild().enable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build());
		this.outputs = new ToolOutputs(this.jsonMapper);
		this.observer = compose(b.observers);
		this.dispatcher = (b.dispatcherFactory != null) ? b.dispatcherFactory.apply(this.observer)
				: new EventDispatcher(b.eventQueueCapacity, this.observer);
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
		Objects.requireNonNull(call, "call");
		requireText(call.toolName(), "toolName");
		EnforcementFailureMode mode = (failureModeOverride != null) ? failureModeOverride
				: this.options.failureMode;
		ToolDescriptor descriptor = call.descriptor();
		if (!shouldEnforceTool(descriptor)) {
			notifySkipped(descriptor);
			return new ToolInvocation(this, call, null, call.toolInput(), null, false, false, mode);
		}
		requireText(call.sessionId(), "sessionId");
		String toolUseId = (call.toolUseId() != null && !call.toolUseId().isBlank()) ? call.toolUseId()
				: UUID.randomUUID().toString();
		ToolIdentity identity = new ToolIdentity(call.sessionId(), call.toolName(), call.toolType(), toolUseId,
				call.mcpServerName(), call.toolUrl());
		BoundedJson input = boundInput(call.toolName(), call.toolInput());
		EnforcementScope scope = startScope(EnforcementStage.PRE_TOOL, descriptor);
		PreToolDecision decision;
		try {
			HookResponse response = this.transport.postJson(HookEndpoint.TOOL_PRE,
					this.payloads.toBytes(this.payloads.preToolUse(identity, input)));
			decision = this.responses.preTool(response.body());
		}
		catch (HookCallException ex) {
			outage(scope, EnforcementStage.PRE_TOOL, call.toolName(), mode, ex.getMessage(), ex);
			return new ToolInvocation(this, call, identity, call.toolInput(), input, true, false, mode);
		}
		if (decision instanceof PreToolDecision.Invalid invalid) {
			outage(scope, EnforcementStage.PRE_TOOL, call.toolName(), mode, "Runlayer answered badly: " + invalid.problem(),
					null);
			return new ToolInvocation(this, call, identity, call.toolInput(), input, true, false, mode);
		}
		if (decision instanceof PreToolDecision.Deny deny) {
			finish(scope, EnforcementDecision.DENY, null);
			throw new RunlayerBlockedException(deny.reason(), EnforcementStage.PRE_TOOL, false);
		}
		PreToolDecision.Allow allow = (PreToolDecision.Allow) decision;
		if (allow.rewritten()) {
			finish(scope, EnforcementDecision.REWRITE, null);
			Map<String, Object> rewritten = Collections.unmodifiableMap(new LinkedHashMap<>(allow.modifiedArgs()));
			BoundedJson boundedRewrite = this.truncator.bound(rewritten, this.options.maxToolInputBytes, "tool_input");
			return new ToolInvocation(this, call, identity, rewritten, boundedRewrite, true, true, mode);
		}
		finish(scope, EnforcementDecision.ALLOW, null);
		return new ToolInvocation(this, call, identity, call.toolInput(), input, true, false, mode);
	}

	Object postTool(ToolInvocation invocation, Object output, Type declaredType) {
		ToolIdentity identity = invocation.identity();
		ToolDescriptor descriptor = invocation.call().descriptor();
		EnforcementFailureMode mode = invocation.failureMode();
		EnforcementScope scope = startScope(EnforcementStage.POST_TOOL, descriptor);
		BoundedJson response;
		try {
			response = this.truncator.bound(output, this.options.maxToolOutputBytes, "tool_response");
		}
		catch (RunlayerException ex) {
			// The output cannot be scanned, so it cannot be released (fail-closed whatever the mode).
			finish(scope, EnforcementDecision.BLOCK, null);
			throw new RunlayerBlockedException(ex.getMessage(), EnforcementStage.POST_TOOL, false, ex);
		}
		PostToolDecision decision;
		try {
			HookResponse answer = this.transport.postJson(HookEndpoint.TOOL_POST, this.payloads
				.toBytes(this.payloads.postToolUse(identity, invocation.boundedInput(), response)));
			decision = this.responses.postTool(answer.body());
		}
		catch (HookCallException ex) {
			outage(scope, EnforcementStage.POST_TOOL, identity.toolName(), mode, ex.getMessage(), ex);
			return output;
		}
		if (decision instanceof PostToolDecision.Invalid invalid) {
			outage(scope, EnforcementStage.POST_TOOL, identity.toolName(), mode,
					"Runlayer answered badly: " + invalid.problem(), null);
			return output;
		}
		if (decision instanceof PostToolDecision.Block block) {
			finish(scope, EnforcementDecision.BLOCK, null);
			throw new RunlayerBlockedException(block.reason(), EnforcementStage.POST_TOOL, false);
		}
		if (decision instanceof PostToolDecision.Mask mask) {
			try {
				Object masked = this.outputs.convert(mask.modifiedOutput(), output, declaredType);
				finish(scope, EnforcementDecision.MASK, null);
				return masked;
			}
			catch (IllegalArgumentException ex) {
				finish(scope, EnforcementDecision.BLOCK, null);
				throw new RunlayerBlockedException(ex.getMessage(), EnforcementStage.POST_TOOL, false);
			}
		}
		finish(scope, EnforcementDecision.ALLOW, null);
		return output;
	}

	void toolFailed(ToolInvocation invocation, Throwable error) {
		try {
			Map<String, BoundedJson> fields = new LinkedHashMap<>();
			long cap = this.options.maxToolOutputBytes;
			String message = error.getClass().getName()
					+ ((error.getMessage() != null) ? ": " + error.getMessage() : "");
			fields.put("error", this.truncator.bound(message, cap, "error"));
			String stdout = null;
			String stderr = null;
			Object output = null;
			if (error instanceof ToolFailureOutput details) {
				stdout = details.stdout();
				stderr = details.stderr();
				output = details.output();
			}
			if (stderr == null) {
				StringWriter trace = new StringWriter();
				error.printStackTrace(new PrintWriter(trace));
				stderr = trace.toString();
			}
			fields.put("stdout", this.truncator.bound((stdout != null) ? stdout : "", cap, "stdout"));
			fields.put("stderr", this.truncator.bound(stderr, cap, "stderr"));
			if (output != null) {
				fields.put("output", this.truncator.bound(output, cap, "output"));
			}
			boolean interrupt = error instanceof InterruptedException;
			byte[] body = this.payloads.toBytes(this.payloads.postToolUseFailure(invocation.identity(),
					invocation.boundedInput(), fields, interrupt));
			this.transport.postJson(HookEndpoint.TOOL_POST, body);
			safeObserve(() -> this.observer.telemetrySent(HookPayloads.POST_TOOL_USE_FAILURE));
		}
		catch (RuntimeException ex) {
			safeObserve(() -> this.observer.telemetryFailed(HookPayloads.POST_TOOL_USE_FAILURE, ex));
			logTelemetryFailure(HookPayloads.POST_TOOL_USE_FAILURE, ex);
		}
	}

	/**
	 * Whether this client enforces a tool, using its filter options and its own base URL.
	 * @param tool the tool
	 * @return {@code false} when the filters skip it
	 */
	public boolean shouldEnforceTool(ToolDescriptor tool) {
		return ToolEnforcement.shouldEnforceTool(tool, this.options.toolEnforcement, this.baseUrl);
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
		Objects.requireNonNull(check, "check");
		String path = this.options.directMcpSourceEnforcementPath;
		if (path == null) {
			throw new RunlayerConfigurationException(RunlayerSetting.DIRECT_MCP_SOURCE_ENFORCEMENT_PATH,
					"Direct MCP source enforcement is not configured: set the route path, e.g. /api/v1/hooks/cursor");
		}
		if (this.authentication.mode() != AuthMode.API_KEY) {
			throw new RunlayerConfigurationException(RunlayerSetting.API_KEY,
					"Direct MCP source enforcement needs a user API key (RUNLAYER_API_KEY); agent-account bearer auth"
							+ " is not accepted on this route");
		}
		requireText(check.sessionId(), "sessionId");
		requireText(check.toolName(), "toolName");
		requireText(check.generationId(), "generationId");
		boolean hasUrl = check.url() != null && !check.url().isBlank();
		boolean hasCommand = check.command() != null && !check.command().isBlank();
		if (hasUrl == hasCommand) {
			throw new RunlayerException("McpSourceCheck needs exactly one of url or command");
		}
		EnforcementFailureMode mode = (failureModeOverride != null) ? failureModeOverride : this.options.failureMode;
		ToolDescriptor descriptor = new ToolDescriptor(check.toolName(), "mcp", check.mcpServerName(),
				hasUrl ? check.url() : null);
		String inputJson;
		try {
			inputJson = (check.toolInput() != null) ? this.jsonMapper.writeValueAsString(check.toolInput()) : "{}";
		}
		catch (tools.jackson.core.JacksonException ex) {
			throw new RunlayerException("tool_input of tool '" + check.toolName() + "' cannot be serialized to JSON: "
					+ ex.getOriginalMessage(), ex);
		}
		if (inputJson.length() > this.options.maxToolInputBytes
				|| inputJson.getBytes(StandardCharsets.UTF_8).length > this.options.maxToolInputBytes) {
			throw new RunlayerException("tool_input of tool '" + check.toolName() + "' is over the limit of "
					+ this.options.maxToolInputBytes + " bytes (runlayer.max-tool-input-bytes); the MCP call was not checked");
		}
		EnforcementScope scope = startScope(EnforcementStage.MCP_SOURCE, descriptor);
		McpSourceDecision decision;
		try {
			ObjectNode body = this.payloads.mcpSource(check.sessionId(), check.generationId(), check.toolName(),
					inputJson, hasUrl ? check.url() : null, hasCommand ? check.command() : null, check.mcpServerName());
			HookResponse response = this.transport.postJson(HookEndpoint.MCP_SOURCE, path, this.payloads.toBytes(body));
			decision = this.responses.mcpSource(response.body());
		}
		catch (HookCallException ex) {
			outage(scope, EnforcementStage.MCP_SOURCE, check.toolName(), mode, ex.getMessage(), ex);
			return;
		}
		if (decision instanceof McpSourceDecision.Invalid invalid) {
			outage(scope, EnforcementStage.MCP_SOURCE, check.toolName(), mode,
					"Runlayer answered badly: " + invalid.problem(), null);
			return;
		}
		if (decision instanceof McpSourceDecision.Deny deny) {
			finish(scope, EnforcementDecision.BLOCK, null);
			throw new RunlayerBlockedException(deny.userMessage(), EnforcementStage.MCP_SOURCE, false);
		}
		finish(scope, EnforcementDecision.ALLOW, null);
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
		if (eventName == null || eventName.isBlank() || sessionId == null || sessionId.isBlank()) {
			logger.debug("Runlayer event dropped: event name and session id are required");
			return;
		}
		Instant emittedAt = Instant.now();
		Map<String, Object> copy = (payload != null) ? new LinkedHashMap<>(payload) : null;
		this.dispatcher.submit(sessionId, eventName, () -> {
			try {
				postEvent(eventName, sessionId, copy, emittedAt, null);
				safeObserve(() -> this.observer.telemetrySent(eventName));
			}
			catch (RuntimeException ex) {
				safeObserve(() -> this.observer.telemetryFailed(eventName, ex));
				logTelemetryFailure(eventName, ex);
			}
		});
	}

	/**
	 * Emits a lifecycle event and waits for Runlayer to accept it.
	 * @param eventName the event name
	 * @param sessionId the session id
	 * @param payload extra payload fields, may be null
	 * @throws RunlayerException when the event was not accepted (says why: status, bounded body excerpt)
	 */
	public void emitEventStrict(String eventName, String sessionId, Map<String, Object> payload) {
		requireText(eventName, "eventName");
		requireText(sessionId, "sessionId");
		Instant emittedAt = Instant.now();
		this.dispatcher.awaitSession(sessionId, this.transportTimeout(HookEndpoint.EVENTS));
		strictPost(eventName, sessionId, payload, emittedAt, null);
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
	 * Sends a transcript-bearing {@code Stop}, strict (D13): the lines are sent newline-terminated, chunked at 1 MiB
	 * on line boundaries, at most 4 MiB (oldest lines dropped first, counted as {@code transcript_dropped_bytes}).
	 * @param stop the stop
	 * @throws RunlayerException when a chunk was not accepted
	 */
	public void emitTranscriptStop(TranscriptStop stop) {
		Objects.requireNonNull(stop, "stop");
		requireText(stop.sessionId(), "sessionId");
		Instant emittedAt = Instant.now();
		List<String> lines = new ArrayList<>();
		long total = 0;
		for (String line : stop.transcriptLines()) {
			if (line == null || line.isBlank()) {
				continue;
			}
			String clean = line.strip();
			lines.add(clean);
			total += clean.getBytes(StandardCharsets.UTF_8).length + 1;
		}
		long dropped = 0;
		while (total > TRANSCRIPT_MAX_BYTES && !lines.isEmpty()) {
			long size = lines.remove(0).getBytes(StandardCharsets.UTF_8).length + 1;
			total -= size;
			dropped += size;
		}
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("stop_hook_active", false);
		if (stop.model() != null) {
			payload.put("model", stop.model());
		}
		if (dropped > 0) {
			payload.put("transcript_dropped_bytes", dropped);
		}
		this.dispatcher.awaitSession(stop.sessionId(), this.transportTimeout(HookEndpoint.EVENTS));
		if (lines.isEmpty()) {
			strictPost(HookPayloads.STOP, stop.sessionId(), payload, emittedAt, null);
			return;
		}
		StringBuilder chunk = new StringBuilder();
		int chunkBytes = 0;
		for (String line : lines) {
			int size = line.getBytes(StandardCharsets.UTF_8).length + 1;
			if (chunkBytes > 0 && chunkBytes + size > TRANSCRIPT_CHUNK_BYTES) {
				strictPost(HookPayloads.STOP, stop.sessionId(), payload, emittedAt, chunk.toString());
				chunk.setLength(0);
				chunkBytes = 0;
			}
			chunk.append(line).append('\n');
			chunkBytes += size;
		}
		strictPost(HookPayloads.STOP, stop.sessionId(), payload, emittedAt, chunk.toString());
	}

	/**
	 * Sends the strict preflight sequence (D12) for a fresh synthetic session: {@code SessionStart},
	 * {@code UserPromptSubmit}, {@code Stop}, each waiting for the previous one.
	 * @param prompt the prompt of the synthetic session
	 * @return the session id and each event's round trip
	 * @throws RunlayerException naming the event that failed and why
	 */
	public PreflightResult sendPreflight(String prompt) {
		String sessionId = UUID.randomUUID().toString();
		List<PreflightResult.SentEvent> sent = new ArrayList<>();
		String cwd = System.getProperty("user.dir");
		Map<String, Object> start = new LinkedHashMap<>();
		start.put("source", "startup");
		if (cwd != null) {
			start.put("cwd", cwd);
		}
		Map<String, Object> promptPayload = new LinkedHashMap<>();
		promptPayload.put("prompt", (prompt != null) ? prompt : "Runlayer ingestion preflight");
		if (cwd != null) {
			promptPayload.put("cwd", cwd);
		}
		Map<String, Object> stopPayload = new LinkedHashMap<>();
		stopPayload.put("stop_hook_active", false);
		if (cwd != null) {
			stopPayload.put("cwd", cwd);
		}
		preflightStep(HookPayloads.SESSION_START, sessionId, start, sent);
		preflightStep(HookPayloads.USER_PROMPT_SUBMIT, sessionId, promptPayload, sent);
		preflightStep(HookPayloads.STOP, sessionId, stopPayload, sent);
		return new PreflightResult(sessionId, sent, Instant.now());
	}

	private void preflightStep(String eventName, String sessionId, Map<String, Object> payload,
			List<PreflightResult.SentEvent> sent) {
		long started = System.nanoTime();
		try {
			strictPost(eventName, sessionId, payload, Instant.now(), null);
		}
		catch (RunlayerException ex) {
			throw new RunlayerException("Runlayer preflight failed at " + eventName + " (after "
					+ sent.size() + " accepted events): " + ex.getMessage(), ex);
		}
		sent.add(new PreflightResult.SentEvent(eventName, Duration.ofNanos(System.nanoTime() - started)));
	}

	private void strictPost(String eventName, String sessionId, Map<String, ?> payload, Instant emittedAt,
			String transcript) {
		try {
			postEvent(eventName, sessionId, payload, emittedAt, transcript);
			safeObserve(() -> this.observer.telemetrySent(eventName));
		}
		catch (RuntimeException ex) {
			safeObserve(() -> this.observer.telemetryFailed(eventName, ex));
			if (ex instanceof HookCallException) {
				throw new RunlayerException("Runlayer event " + eventName + " failed: " + ex.getMessage(), ex);
			}
			if (ex instanceof RunlayerException) {
				throw ex;
			}
			// e.g. a payload value Jackson cannot serialize: keep the public API inside the RunlayerException tree
			throw new RunlayerException("Runlayer event " + eventName + " could not be sent: "
					+ ex.getClass().getSimpleName(), ex);
		}
	}

	private void postEvent(String eventName, String sessionId, Map<String, ?> payload, Instant emittedAt,
			String transcript) {
		ObjectNode body = this.payloads.event(eventName, sessionId, payload, emittedAt, transcript);
		this.transport.postJson(HookEndpoint.EVENTS, this.payloads.toBytes(body));
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
	 * The User-Agent header value (D3).
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
	 * The event dispatcher (internal).
	 * @return the dispatcher
	 */
	public EventDispatcher eventDispatcher() {
		return this.dispatcher;
	}

	/**
	 * Flushes queued events (bounded by the configured shutdown timeout) and releases the HTTP resources.
	 */
	@Override
	public void close() {
		try {
			this.dispatcher.close(this.options.eventShutdownTimeout);
		}
		finally {
			this.transport.close();
			if (this.tokenTransport != null) {
				this.tokenTransport.close();
			}
		}
	}

	@Override
	public String toString() {
		return "RunlayerClient[baseUrl=" + this.baseUrl + ", auth=" + this.authentication.mode() + ", client="
				+ this.options.client + ", clientVersion=" + this.options.clientVersion + ", failureMode="
				+ this.options.failureMode + ", timeout=" + this.options.timeout + ", maxToolOutputBytes="
				+ this.options.maxToolOutputBytes + "]";
	}

	// ---------------------------------------------------------------------------------------------------------
	// Internals

	private BoundedJson boundInput(String toolName, Map<String, Object> input) {
		BoundedJson bounded = this.truncator.bound(input, this.options.maxToolInputBytes, "tool_input");
		if (bounded.truncated()) {
			throw new RunlayerException("tool_input of tool '" + toolName + "' is "
					+ (bounded.originalBytesExact() ? "" : "at least ") + bounded.originalBytes()
					+ " bytes, over the limit of " + this.options.maxToolInputBytes
					+ " bytes (runlayer.max-tool-input-bytes); the tool was not run");
		}
		return bounded;
	}

	private void outage(EnforcementScope scope, EnforcementStage stage, String toolName, EnforcementFailureMode mode,
			String problem, Throwable cause) {
		finish(scope, EnforcementDecision.OUTAGE, (cause != null) ? cause : new RunlayerException(problem));
		if (mode == EnforcementFailureMode.OPEN) {
			logger.warn("Runlayer enforcement outage at {} for tool '{}'; allowing because the failure mode is open: {}",
					stage, toolName, problem);
			return;
		}
		throw new RunlayerBlockedException(problem, stage, true, cause);
	}

	private EnforcementScope startScope(EnforcementStage stage, ToolDescriptor descriptor) {
		try {
			EnforcementScope scope = this.observer.enforcementStarted(stage, descriptor);
			return (scope != null) ? scope : EnforcementScope.NOOP;
		}
		catch (RuntimeException ex) {
			logger.debug("Runlayer observer failed", ex);
			return EnforcementScope.NOOP;
		}
	}

	private void finish(EnforcementScope scope, EnforcementDecision decision, Throwable error) {
		safeObserve(() -> scope.finished(decision, error));
	}

	private void notifySkipped(ToolDescriptor descriptor) {
		if (this.observer != RunlayerObserver.NOOP) {
			safeObserve(() -> this.observer.enforcementSkipped(descriptor));
		}
	}

	private static void safeObserve(Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			logger.debug("Runlayer observer failed", ex);
		}
	}

	private void logTelemetryFailure(String eventName, RuntimeException ex) {
		if (this.options.debug) {
			logger.warn("Runlayer telemetry {} failed: {}", eventName, ex.getMessage());
		}
		else {
			logger.debug("Runlayer telemetry {} failed: {}", eventName, ex.getMessage());
		}
	}

	private static RunlayerObserver compose(List<RunlayerObserver> observers) {
		if (observers.isEmpty()) {
			return RunlayerObserver.NOOP;
		}
		if (observers.size() == 1) {
			return observers.get(0);
		}
		List<RunlayerObserver> all = List.copyOf(observers);
		return new RunlayerObserver() {

			@Override
			public EnforcementScope enforcementStarted(EnforcementStage stage, ToolDescriptor tool) {
				List<EnforcementScope> scopes = new ArrayList<>(all.size());
				for (RunlayerObserver o : all) {
					try {
						scopes.add(o.enforcementStarted(stage, tool));
					}
					catch (RuntimeException ex) {
						logger.debug("Runlayer observer failed", ex);
					}
				}
				return (decision, error) -> scopes.forEach((s) -> safeObserve(() -> s.finished(decision, error)));
			}

			@Override
			public void enforcementSkipped(ToolDescriptor tool) {
				all.forEach((o) -> safeObserve(() -> o.enforcementSkipped(tool)));
			}

			@Override
			public void telemetrySent(String eventName) {
				all.forEach((o) -> safeObserve(() -> o.telemetrySent(eventName)));
			}

			@Override
			public void telemetryFailed(String eventName, Throwable error) {
				all.forEach((o) -> safeObserve(() -> o.telemetryFailed(eventName, error)));
			}

			@Override
			public void telemetryDropped(String eventName) {
				all.forEach((o) -> safeObserve(() -> o.telemetryDropped(eventName)));
			}

		};
	}

	private static void requireText(String value, String field) {
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
	 * Strips CR, LF and other control characters from a value that ends up in a header.
	 * @param value the value
	 * @return the clean value, or null when nothing is left
	 */
	static String headerSafe(String value) {
		if (value == null) {
			return null;
		}
		// \p{Cc} covers C0, DEL and C1 (e.g. U+0085 NEL); line and paragraph separators go too
		String clean = value.replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]", "").trim();
		return clean.isEmpty() ? null : clean;
	}

	/**
	 * Builder of {@link RunlayerClient}. Options mirror the Python SDK's {@code from_env} options. Not thread-safe.
	 */
	public static final class Builder {

		private String baseUrl;

		private String apiKey;

		private String agentClientId;

		private String agentClientSecret;

		private String agentSubjectToken;

		private String agentSubjectTokenType;

		private String client = DEFAULT_CLIENT;

		private String clientVersion;

		private Duration timeout;

		private long maxToolOutputBytes = DEFAULT_MAX_TOOL_OUTPUT_BYTES;

		private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

		private long maxToolInputBytes = DEFAULT_MAX_TOOL_INPUT_BYTES;

		private EnforcementFailureMode failureMode = EnforcementFailureMode.CLOSED;

		private boolean allowInsecureTransport;

		private String directMcpSourceEnforcementPath;

		private boolean debug;

		private ToolEnforcementOptions toolEnforcement = ToolEnforcementOptions.defaults();

		private int maxRetries = 2;

		private boolean compression;

		private SSLContext sslContext;

		private JsonMapper jsonMapper;

		private final List<RunlayerObserver> observers = new ArrayList<>();

		private java.util.function.Function<RunlayerObserver, EventDispatcher> dispatcherFactory;

		private Duration eventShutdownTimeout = Duration.ofSeconds(5);

		private int eventQueueCapacity = EventDispatcher.DEFAULT_CAPACITY;

		private Builder() {
		}

		private Builder copy() {
			Builder b = new Builder();
			b.baseUrl = this.baseUrl;
			b.client = this.client;
			b.clientVersion = this.clientVersion;
			b.timeout = this.timeout;
			b.maxToolOutputBytes = this.maxToolOutputBytes;
			b.maxResponseBytes = this.maxResponseBytes;
			b.maxToolInputBytes = this.maxToolInputBytes;
			b.failureMode = this.failureMode;
			b.allowInsecureTransport = this.allowInsecureTransport;
			b.directMcpSourceEnforcementPath = this.directMcpSourceEnforcementPath;
			b.debug = this.debug;
			b.toolEnforcement = this.toolEnforcement;
			b.maxRetries = this.maxRetries;
			b.compression = this.compression;
			b.eventShutdownTimeout = this.eventShutdownTimeout;
			b.eventQueueCapacity = this.eventQueueCapacity;
			// secrets are deliberately not copied: the client keeps them only inside its authentication
			return b;
		}

		/**
		 * Reads the {@code RUNLAYER_*} variables of an environment map (see {@link RunlayerSetting}).
		 * @param environment the environment
		 * @return this builder
		 * @throws RunlayerConfigurationException when a variable has an invalid value
		 */
		public Builder environment(Map<String, String> environment) {
			for (RunlayerSetting setting : RunlayerSetting.values()) {
				setting.read(environment).ifPresent((value) -> apply(setting, value));
			}
			return this;
		}

		private void apply(RunlayerSetting setting, String value) {
			switch (setting) {
				case BASE_URL -> baseUrl(value);
				case API_KEY -> apiKey(value);
				case AGENT_CLIENT_ID -> agentClientId(value);
				case AGENT_CLIENT_SECRET -> agentClientSecret(value);
				case AGENT_SUBJECT_TOKEN -> agentSubjectToken(value);
				case AGENT_SUBJECT_TOKEN_TYPE -> agentSubjectTokenType(value);
				case CLIENT -> client(value);
				case CLIENT_VERSION -> clientVersion(value);
				case TIMEOUT -> timeout(setting.parseMillis(value));
				case MAX_TOOL_OUTPUT_BYTES -> maxToolOutputBytes(setting.parseBytes(value));
				case ENFORCEMENT_FAILURE_MODE -> enforcementFailureMode(EnforcementFailureMode.parse(value));
				case DEBUG -> debug(setting.parseFlag(value));
				case ALLOW_INSECURE_TRANSPORT -> allowInsecureTransport(setting.parseFlag(value));
				case DIRECT_MCP_SOURCE_ENFORCEMENT_PATH -> directMcpSourceEnforcementPath(value);
				case MAX_RETRIES -> maxRetries(parseRetries(value));
				case MAX_RESPONSE_BYTES -> maxResponseBytes(setting.parseBytes(value));
				case MAX_TOOL_INPUT_BYTES -> maxToolInputBytes(setting.parseBytes(value));
			}
		}

		private static int parseRetries(String value) {
			try {
				return Integer.parseInt(value.trim());
			}
			catch (NumberFormatException ex) {
				throw new RunlayerConfigurationException(RunlayerSetting.MAX_RETRIES,
						"Must be 0, 1 or 2, got '" + value + "'");
			}
		}

		/**
		 * Sets the Runlayer base URL (https unless insecure transport is allowed).
		 * @param baseUrl the URL
		 * @return this builder
		 */
		public Builder baseUrl(String baseUrl) {
			this.baseUrl = baseUrl;
			return this;
		}

		/**
		 * Sets the user or organization API key.
		 * @param apiKey the key
		 * @return this builder
		 */
		public Builder apiKey(String apiKey) {
			this.apiKey = apiKey;
			return this;
		}

		/**
		 * Sets the agent account client id.
		 * @param clientId the id
		 * @return this builder
		 */
		public Builder agentClientId(String clientId) {
			this.agentClientId = clientId;
			return this;
		}

		/**
		 * Sets the agent account client secret.
		 * @param clientSecret the secret
		 * @return this builder
		 */
		public Builder agentClientSecret(String clientSecret) {
			this.agentClientSecret = clientSecret;
			return this;
		}

		/**
		 * Sets the subject token for on-behalf-of token exchange.
		 * @param subjectToken the subject token
		 * @return this builder
		 */
		public Builder agentSubjectToken(String subjectToken) {
			this.agentSubjectToken = subjectToken;
			return this;
		}

		/**
		 * Sets the subject token type URN.
		 * @param subjectTokenType the URN
		 * @return this builder
		 */
		public Builder agentSubjectTokenType(String subjectTokenType) {
			this.agentSubjectTokenType = subjectTokenType;
			return this;
		}

		/**
		 * Sets the hook client name (default {@code python-sdk}).
		 * @param client the name
		 * @return this builder
		 */
		public Builder client(String client) {
			this.client = client;
			return this;
		}

		/**
		 * Sets the agent runtime version (control characters are stripped).
		 * @param clientVersion the version
		 * @return this builder
		 */
		public Builder clientVersion(String clientVersion) {
			this.clientVersion = clientVersion;
			return this;
		}

		/**
		 * Sets one timeout for every Runlayer call, replacing the per-kind defaults (30 s, 5 s, 10 s).
		 * @param timeout the timeout, or null for the defaults
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/**
		 * Sets the cap of the serialized tool output sent to Runlayer (default 65536).
		 * @param bytes the cap
		 * @return this builder
		 */
		public Builder maxToolOutputBytes(long bytes) {
			this.maxToolOutputBytes = bytes;
			return this;
		}

		/**
		 * Sets the bound of a Runlayer response body (default 1 MiB); a larger body is an outage.
		 * @param bytes the bound
		 * @return this builder
		 */
		public Builder maxResponseBytes(long bytes) {
			this.maxResponseBytes = bytes;
			return this;
		}

		/**
		 * Sets the bound of the serialized tool input (default 1 MiB); a larger input is rejected before the tool
		 * runs.
		 * @param bytes the bound
		 * @return this builder
		 */
		public Builder maxToolInputBytes(long bytes) {
			this.maxToolInputBytes = bytes;
			return this;
		}

		/**
		 * Sets the enforcement failure mode (default closed).
		 * @param mode the mode
		 * @return this builder
		 */
		public Builder enforcementFailureMode(EnforcementFailureMode mode) {
			this.failureMode = mode;
			return this;
		}

		/**
		 * Allows a non-https base URL (local development only).
		 * @param allow the flag
		 * @return this builder
		 */
		public Builder allowInsecureTransport(boolean allow) {
			this.allowInsecureTransport = allow;
			return this;
		}

		/**
		 * Sets the direct MCP source enforcement route path, e.g. {@code /api/v1/hooks/cursor}.
		 * @param path the path
		 * @return this builder
		 */
		public Builder directMcpSourceEnforcementPath(String path) {
			this.directMcpSourceEnforcementPath = path;
			return this;
		}

		/**
		 * Logs swallowed telemetry failures at WARN.
		 * @param debug the flag
		 * @return this builder
		 */
		public Builder debug(boolean debug) {
			this.debug = debug;
			return this;
		}

		/**
		 * Sets the tool enforcement filter options.
		 * @param options the options
		 * @return this builder
		 */
		public Builder toolEnforcement(ToolEnforcementOptions options) {
			this.toolEnforcement = options;
			return this;
		}

		/**
		 * Sets how many times a retryable enforcement call is retried, 0 to 2 (default 2).
		 * @param retries the count
		 * @return this builder
		 */
		public Builder maxRetries(int retries) {
			this.maxRetries = retries;
			return this;
		}

		/**
		 * Enables gzip request compression for bodies over 16 KiB (default off, D7).
		 * @param compression the flag
		 * @return this builder
		 */
		public Builder compression(boolean compression) {
			this.compression = compression;
			return this;
		}

		/**
		 * Sets the TLS context (e.g. trusting a private CA). Certificates are always verified.
		 * @param sslContext the context, or null for the JDK default
		 * @return this builder
		 */
		public Builder sslContext(SSLContext sslContext) {
			this.sslContext = sslContext;
			return this;
		}

		/**
		 * Sets the JSON mapper used for tool inputs and outputs.
		 * @param jsonMapper the mapper, or null for a default one
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.jsonMapper = jsonMapper;
			return this;
		}

		/**
		 * Adds an observer (metrics, traces, health).
		 * @param observer the observer
		 * @return this builder
		 */
		public Builder observer(RunlayerObserver observer) {
			this.observers.add(Objects.requireNonNull(observer, "observer"));
			return this;
		}

		/**
		 * Sets how best-effort events are dispatched (internal).
		 * @param factory creates the dispatcher from the client's observer
		 * @return this builder
		 */
		public Builder eventDispatcher(java.util.function.Function<RunlayerObserver, EventDispatcher> factory) {
			this.dispatcherFactory = factory;
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
			this.eventQueueCapacity = capacity;
			return this;
		}

		/**
		 * Sets how long {@link RunlayerClient#close()} waits for queued events (default 5 s).
		 * @param timeout the timeout
		 * @return this builder
		 */
		public Builder eventShutdownTimeout(Duration timeout) {
			this.eventShutdownTimeout = timeout;
			return this;
		}

		/**
		 * Validates the options and builds the client.
		 * @return the client
		 * @throws RunlayerConfigurationException naming the property and environment variable of the first
		 * problem
		 */
		public RunlayerClient build() {
			URI base = validateBaseUrl();
			if (this.client == null || this.client.isBlank()) {
				throw new RunlayerConfigurationException(RunlayerSetting.CLIENT, "The hook client name must not be blank");
			}
			this.client = headerSafe(this.client);
			this.clientVersion = headerSafe(this.clientVersion);
			if (this.timeout != null && (this.timeout.isNegative() || this.timeout.isZero())) {
				throw new RunlayerConfigurationException(RunlayerSetting.TIMEOUT, "The timeout must be positive");
			}
			positive(this.maxToolOutputBytes, RunlayerSetting.MAX_TOOL_OUTPUT_BYTES);
			positive(this.maxResponseBytes, RunlayerSetting.MAX_RESPONSE_BYTES);
			positive(this.maxToolInputBytes, RunlayerSetting.MAX_TOOL_INPUT_BYTES);
			if (this.maxRetries < 0 || this.maxRetries > 2) {
				throw new RunlayerConfigurationException(RunlayerSetting.MAX_RETRIES,
						"Must be 0, 1 or 2, got " + this.maxRetries);
			}
			if (this.failureMode == null) {
				throw new RunlayerConfigurationException(RunlayerSetting.ENFORCEMENT_FAILURE_MODE,
						"The enforcement failure mode must be 'closed' or 'open'");
			}
			if (this.directMcpSourceEnforcementPath != null) {
				String path = this.directMcpSourceEnforcementPath.trim();
				if (path.isEmpty()) {
					this.directMcpSourceEnforcementPath = null;
				}
				else if (!path.startsWith("/") || path.contains("://")) {
					throw new RunlayerConfigurationException(RunlayerSetting.DIRECT_MCP_SOURCE_ENFORCEMENT_PATH,
							"Must be a path starting with '/', e.g. /api/v1/hooks/cursor");
				}
				else {
					this.directMcpSourceEnforcementPath = path;
				}
			}
			if (this.toolEnforcement == null) {
				this.toolEnforcement = ToolEnforcementOptions.defaults();
			}
			if (this.eventQueueCapacity < 1) {
				throw new RunlayerConfigurationException(null,
						"The event queue capacity (runlayer.events.queue-capacity) must be at least 1, got "
								+ this.eventQueueCapacity);
			}
			if (this.eventShutdownTimeout == null || this.eventShutdownTimeout.isNegative()) {
				this.eventShutdownTimeout = Duration.ofSeconds(5);
			}
			return new RunlayerClient(this, base, authentication());
		}

		private HookAuthentication authentication() {
			boolean hasKey = present(this.apiKey);
			boolean hasAgent = present(this.agentClientId) || present(this.agentClientSecret);
			if (hasKey && hasAgent) {
				throw new RunlayerConfigurationException(null,
						"Both an API key (runlayer.api-key / RUNLAYER_API_KEY) and agent-account credentials"
								+ " (runlayer.agent.* / RUNLAYER_AGENT_*) are configured; set exactly one");
			}
			if (hasKey) {
				if (present(this.agentSubjectToken) || present(this.agentSubjectTokenType)) {
					throw new RunlayerConfigurationException(RunlayerSetting.AGENT_SUBJECT_TOKEN,
							"A subject token is only used with agent-account credentials, not with an API key");
				}
				String key = this.apiKey.trim();
				if (!key.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
					// never quote the value: it is the secret
					throw new RunlayerConfigurationException(RunlayerSetting.API_KEY,
							"The API key contains whitespace, a line break or other characters an API key never has;"
									+ " check for a stray newline in the secret");
				}
				return new ApiKeyAuthentication(key);
			}
			if (hasAgent) {
				if (!present(this.agentClientId)) {
					throw new RunlayerConfigurationException(RunlayerSetting.AGENT_CLIENT_ID,
							"The agent client secret is set but the agent client id is missing");
				}
				if (!present(this.agentClientSecret)) {
					throw new RunlayerConfigurationException(RunlayerSetting.AGENT_CLIENT_SECRET,
							"The agent client id is set but the agent client secret is missing");
				}
				AgentCredentials credentials = AgentCredentials.of(this.agentClientId.trim(),
						this.agentClientSecret.trim(), this.agentSubjectToken, this.agentSubjectTokenType);
				return new AgentAccountAuthentication(credentials);
			}
			throw new RunlayerConfigurationException(null,
					"No Runlayer credentials: set runlayer.api-key (RUNLAYER_API_KEY), or runlayer.agent.client-id and"
							+ " runlayer.agent.client-secret (RUNLAYER_AGENT_CLIENT_ID, RUNLAYER_AGENT_CLIENT_SECRET)");
		}

		private URI validateBaseUrl() {
			if (!present(this.baseUrl)) {
				throw new RunlayerConfigurationException(RunlayerSetting.BASE_URL,
						"No Runlayer base URL: set it to your Runlayer instance, e.g. https://tenant.runlayer.com");
			}
			URI uri;
			try {
				uri = new URI(this.baseUrl.trim());
			}
			catch (java.net.URISyntaxException ex) {
				throw new RunlayerConfigurationException(RunlayerSetting.BASE_URL,
						"The Runlayer base URL is not a valid URL");
			}
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(java.util.Locale.ROOT) : "";
			if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
				throw new RunlayerConfigurationException(RunlayerSetting.BASE_URL,
						"The Runlayer base URL must be an absolute https:// URL");
			}
			if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
				throw new RunlayerConfigurationException(RunlayerSetting.BASE_URL,
						"The Runlayer base URL must not contain user info, a query or a fragment");
			}
			if (scheme.equals("http") && !this.allowInsecureTransport) {
				throw new RunlayerConfigurationException(RunlayerSetting.BASE_URL,
						"The Runlayer base URL must use https://; for a trusted local development endpoint only, set"
								+ " runlayer.allow-insecure-transport=true (RUNLAYER_ALLOW_INSECURE_TRANSPORT=1)");
			}
			return uri;
		}

		private static void positive(long value, RunlayerSetting setting) {
			if (value <= 0) {
				throw new RunlayerConfigurationException(setting, "Must be a positive number of bytes, got " + value);
			}
		}

		private static boolean present(String value) {
			return value != null && !value.isBlank();
		}

		@Override
		public String toString() {
			return "RunlayerClient.Builder[baseUrl=" + this.baseUrl + ", apiKey=" + (present(this.apiKey) ? "****" : "")
					+ ", agentClientId=" + this.agentClientId + ", agentClientSecret="
					+ (present(this.agentClientSecret) ? "****" : "") + "]";
		}

	}


}
