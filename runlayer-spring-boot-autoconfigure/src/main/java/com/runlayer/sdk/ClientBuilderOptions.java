package com.runlayer.sdk;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import javax.net.ssl.SSLContext;

import com.runlayer.sdk.auth.RunlayerSubjectResolver;
import com.runlayer.sdk.enforcement.ToolEnforcementOptions;
import com.runlayer.sdk.events.EventDispatcher;
import com.runlayer.sdk.observe.RunlayerObserver;
import tools.jackson.databind.json.JsonMapper;

/**
 * The option setters of {@link RunlayerClient.Builder}, kept apart from the client so that each file stays readable.
 * Only the builder extends it; the setters are part of the builder's public API. Values are checked when the client
 * is built ({@link ClientSettings#validate()}), not here.
 */
abstract class ClientBuilderOptions {

	final ClientSettings settings = new ClientSettings();

	ClientBuilderOptions() {
	}

	/**
	 * The builder itself, as its public type.
	 * @return this builder
	 */
	abstract RunlayerClient.Builder self();

	/**
	 * Reads the {@code RUNLAYER_*} variables of an environment map (see {@link RunlayerSetting}).
	 * @param environment the environment
	 * @return this builder
	 * @throws RunlayerConfigurationException when a variable has an invalid value
	 */
	public RunlayerClient.Builder environment(Map<String, String> environment) {
		this.settings.readEnvironment(environment);
		return self();
	}

	/**
	 * Sets the Runlayer base URL (https unless insecure transport is allowed).
	 * @param baseUrl the URL
	 * @return this builder
	 */
	public RunlayerClient.Builder baseUrl(String baseUrl) {
		this.settings.baseUrl = baseUrl;
		return self();
	}

	/**
	 * Sets the user or organization API key.
	 * @param apiKey the key
	 * @return this builder
	 */
	public RunlayerClient.Builder apiKey(String apiKey) {
		this.settings.apiKey = apiKey;
		return self();
	}

	/**
	 * Sets the agent account client id.
	 * @param clientId the id
	 * @return this builder
	 */
	public RunlayerClient.Builder agentClientId(String clientId) {
		this.settings.agentClientId = clientId;
		return self();
	}

	/**
	 * Sets the agent account client secret.
	 * @param clientSecret the secret
	 * @return this builder
	 */
	public RunlayerClient.Builder agentClientSecret(String clientSecret) {
		this.settings.agentClientSecret = clientSecret;
		return self();
	}

	/**
	 * Sets the subject token for on-behalf-of token exchange.
	 * @param subjectToken the subject token
	 * @return this builder
	 */
	public RunlayerClient.Builder agentSubjectToken(String subjectToken) {
		this.settings.agentSubjectToken = subjectToken;
		return self();
	}

	/**
	 * Sets the subject token type URN.
	 * @param subjectTokenType the URN
	 * @return this builder
	 */
	public RunlayerClient.Builder agentSubjectTokenType(String subjectTokenType) {
		this.settings.agentSubjectTokenType = subjectTokenType;
		return self();
	}

	/**
	 * Sets the hook client name (default {@code python-sdk}).
	 * @param client the name
	 * @return this builder
	 */
	public RunlayerClient.Builder client(String client) {
		this.settings.client = client;
		return self();
	}

	/**
	 * Sets the agent runtime version (control characters are stripped).
	 * @param clientVersion the version
	 * @return this builder
	 */
	public RunlayerClient.Builder clientVersion(String clientVersion) {
		this.settings.clientVersion = clientVersion;
		return self();
	}

	/**
	 * Sets one timeout for every Runlayer call, replacing the per-kind defaults (30 s, 5 s, 10 s).
	 * @param timeout the timeout, or null for the defaults
	 * @return this builder
	 */
	public RunlayerClient.Builder timeout(Duration timeout) {
		this.settings.timeout = timeout;
		return self();
	}

	/**
	 * Sets the cap of the serialized tool output sent to Runlayer (default 65536).
	 * @param bytes the cap
	 * @return this builder
	 */
	public RunlayerClient.Builder maxToolOutputBytes(long bytes) {
		this.settings.maxToolOutputBytes = bytes;
		return self();
	}

	/**
	 * Sets the bound of a Runlayer response body (default 1 MiB); a larger body is an outage.
	 * @param bytes the bound
	 * @return this builder
	 */
	public RunlayerClient.Builder maxResponseBytes(long bytes) {
		this.settings.maxResponseBytes = bytes;
		return self();
	}

	/**
	 * Sets the bound of the serialized tool input (default 1 MiB); a larger input is rejected before the tool
	 * runs.
	 * @param bytes the bound
	 * @return this builder
	 */
	public RunlayerClient.Builder maxToolInputBytes(long bytes) {
		this.settings.maxToolInputBytes = bytes;
		return self();
	}

	/**
	 * Sets the enforcement failure mode (default closed).
	 * @param mode the mode
	 * @return this builder
	 */
	public RunlayerClient.Builder enforcementFailureMode(EnforcementFailureMode mode) {
		this.settings.failureMode = mode;
		return self();
	}

	/**
	 * Sets the mode: {@link RunlayerMode#ENFORCE enforce} (default) applies decisions, {@link RunlayerMode#MONITOR
	 * monitor} only reports them.
	 * @param mode the mode
	 * @return this builder
	 */
	public RunlayerClient.Builder mode(RunlayerMode mode) {
		this.settings.mode = mode;
		return self();
	}

	/**
	 * Sets one tool's settings (enforce, mode, failure mode, timeouts), which win over the annotation and the
	 * client's defaults.
	 * @param toolName the tool's resolved name
	 * @param settings the settings
	 * @return this builder
	 */
	public RunlayerClient.Builder tool(String toolName, ToolSettings settings) {
		this.settings.tools.put(Objects.requireNonNull(toolName, "toolName"),
				Objects.requireNonNull(settings, "settings"));
		return self();
	}

	/**
	 * Sets the circuit breakers in front of the Runlayer endpoints (default on, see
	 * {@link CircuitBreakerSettings#defaults()}).
	 * @param settings the settings
	 * @return this builder
	 */
	public RunlayerClient.Builder circuitBreaker(CircuitBreakerSettings settings) {
		this.settings.circuitBreaker = settings;
		return self();
	}

	/**
	 * Sets the redactor applied to every outgoing tool input, output and prompt.
	 * @param redactor the redactor, or null for none
	 * @return this builder
	 */
	public RunlayerClient.Builder payloadRedactor(RunlayerPayloadRedactor redactor) {
		this.settings.redactor = redactor;
		return self();
	}

	/**
	 * Whether {@code UserPromptSubmit} carries the prompt text (default true); false sends an empty prompt.
	 * @param send the flag
	 * @return this builder
	 */
	public RunlayerClient.Builder telemetryPrompts(boolean send) {
		this.settings.telemetryPrompts = send;
		return self();
	}

	/**
	 * Allows a non-https base URL (local development only).
	 * @param allow the flag
	 * @return this builder
	 */
	public RunlayerClient.Builder allowInsecureTransport(boolean allow) {
		this.settings.allowInsecureTransport = allow;
		return self();
	}

	/**
	 * Sets the direct MCP source enforcement route path, e.g. {@code /api/v1/hooks/cursor}.
	 * @param path the path
	 * @return this builder
	 */
	public RunlayerClient.Builder directMcpSourceEnforcementPath(String path) {
		this.settings.directMcpSourceEnforcementPath = path;
		return self();
	}

	/**
	 * Logs swallowed telemetry failures at WARN.
	 * @param debug the flag
	 * @return this builder
	 */
	public RunlayerClient.Builder debug(boolean debug) {
		this.settings.debug = debug;
		return self();
	}

	/**
	 * Sends the stack trace of a failed tool as the {@code output} of its {@code PostToolUseFailure} telemetry
	 * (bounded by the output cap) instead of only the exception type and message. Default off: stack traces
	 * can carry internal details.
	 * @param failureStackTraces the flag
	 * @return this builder
	 */
	public RunlayerClient.Builder failureStackTraces(boolean failureStackTraces) {
		this.settings.failureStackTraces = failureStackTraces;
		return self();
	}

	/**
	 * Sets the working directory sent as {@code cwd} in tool payloads of calls that give none
	 * ({@link ToolCall#cwd()}). Default none: a service's own working directory rarely says where a tool acts,
	 * so nothing is sent unless set.
	 * @param cwd the directory, or null
	 * @return this builder
	 */
	public RunlayerClient.Builder cwd(String cwd) {
		this.settings.cwd = cwd;
		return self();
	}

	/**
	 * Sets the tool enforcement filter options.
	 * @param options the options
	 * @return this builder
	 */
	public RunlayerClient.Builder toolEnforcement(ToolEnforcementOptions options) {
		this.settings.toolEnforcement = options;
		return self();
	}

	/**
	 * Sets how many times a retryable enforcement call is retried, 0 to 2 (default 2).
	 * @param retries the count
	 * @return this builder
	 */
	public RunlayerClient.Builder maxRetries(int retries) {
		this.settings.maxRetries = retries;
		return self();
	}

	/**
	 * Enables gzip request compression for bodies over 16 KiB (default off); when Runlayer
	 * rejects a compressed body it is resent once uncompressed and compression stops for the client.
	 * @param compression the flag
	 * @return this builder
	 */
	public RunlayerClient.Builder compression(boolean compression) {
		this.settings.compression = compression;
		return self();
	}

	/**
	 * Sets the TLS context (e.g. trusting a private CA). Certificates are always verified.
	 * @param sslContext the context, or null for the JDK default
	 * @return this builder
	 */
	public RunlayerClient.Builder sslContext(SSLContext sslContext) {
		this.settings.sslContext = sslContext;
		return self();
	}

	/**
	 * Sets the JSON mapper used for tool inputs and outputs.
	 * @param jsonMapper the mapper, or null for a default one
	 * @return this builder
	 */
	public RunlayerClient.Builder jsonMapper(JsonMapper jsonMapper) {
		this.settings.jsonMapper = jsonMapper;
		return self();
	}

	/**
	 * Adds an observer (metrics, traces, health).
	 * @param observer the observer
	 * @return this builder
	 */
	public RunlayerClient.Builder observer(RunlayerObserver observer) {
		this.settings.observers.add(Objects.requireNonNull(observer, "observer"));
		return self();
	}

	/**
	 * Sets how best-effort events are dispatched (internal).
	 * @param factory creates the dispatcher from the client's observer
	 * @return this builder
	 */
	public RunlayerClient.Builder eventDispatcher(Function<RunlayerObserver, EventDispatcher> factory) {
		this.settings.dispatcherFactory = factory;
		return self();
	}

	/**
	 * Sets the bound of the best-effort event backlog (default 10000); when it is full the newest event is
	 * dropped and reported to {@link RunlayerObserver#telemetryDropped(String)}. Ignored when a custom
	 * {@link #eventDispatcher dispatcher} is set.
	 * @param capacity the bound, at least 1
	 * @return this builder
	 */
	public RunlayerClient.Builder eventQueueCapacity(int capacity) {
		this.settings.eventQueueCapacity = capacity;
		return self();
	}

	/**
	 * Sets the bound of the best-effort event backlog in bytes (default 16 MiB, at most 1 GiB): each queued event
	 * counts its serialized body; an event that would pass the bound is dropped and reported to
	 * {@link RunlayerObserver#telemetryDropped(String)}. Ignored when a custom {@link #eventDispatcher dispatcher}
	 * is set.
	 * @param bytes the bound, at least 1
	 * @return this builder
	 */
	public RunlayerClient.Builder eventQueueMaxBytes(long bytes) {
		this.settings.eventQueueMaxBytes = bytes;
		return self();
	}

	/**
	 * Sets the cap of each payload field of a lifecycle event (default 64 KiB, at most 64 MiB): a longer field is
	 * sent truncated with the same marker and {@code payload.truncation} entry as tool output.
	 * @param bytes the cap, at least 1
	 * @return this builder
	 */
	public RunlayerClient.Builder eventMaxFieldBytes(long bytes) {
		this.settings.eventMaxFieldBytes = bytes;
		return self();
	}

	/**
	 * Sets how long {@link RunlayerClient#close()} waits for queued events (default 5 s).
	 * @param timeout the timeout
	 * @return this builder
	 */
	public RunlayerClient.Builder eventShutdownTimeout(Duration timeout) {
		this.settings.eventShutdownTimeout = timeout;
		return self();
	}

	/**
	 * Sets where each call's end user (subject) comes from; consulted on the caller's thread for each
	 * enforcement and event call that has no subject of its own. Needs agent-account credentials.
	 * @param resolver the resolver, or null for none (the static subject, or none)
	 * @return this builder
	 */
	public RunlayerClient.Builder subjectResolver(RunlayerSubjectResolver resolver) {
		this.settings.subjectResolver = resolver;
		return self();
	}

	/**
	 * Sets the bounds of the per-user on-behalf-of token cache (default 10000 users, 30 minutes idle).
	 * @param maxSize how many users' tokens are cached at most, at least 1
	 * @param idleExpiry how long an unused user's token stays cached, positive
	 * @return this builder
	 */
	public RunlayerClient.Builder subjectTokenCache(int maxSize, Duration idleExpiry) {
		this.settings.subjectCacheMaxSize = maxSize;
		this.settings.subjectCacheIdleExpiry = idleExpiry;
		return self();
	}

}
