package com.runlayer.spring.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import com.runlayer.sdk.PreflightResult;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.transport.HookEndpoint;
import com.runlayer.spring.boot.RunlayerToolRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code runlayer} actuator endpoint. {@code GET /actuator/runlayer} describes the client (base URL, auth mode,
 * client name and version, failure mode, effective timeouts, output cap), the tools under enforcement and the last
 * preflight; {@code POST /actuator/runlayer} (optional body {@code {"prompt": "..."}}) runs the strict preflight
 * sequence and answers 200 with the synthetic session id, or 503 with the error.
 *
 * <p>Like every endpoint but health, it is reachable over HTTP only when listed in
 * {@code management.endpoints.web.exposure.include}; {@code management.endpoint.runlayer.access=read-only} keeps
 * the description and disables the preflight. Answers never contain a secret: the auth mode is shown, never a
 * credential. At most one preflight runs at a time (a concurrent request gets 429).
 */
@Endpoint(id = "runlayer")
public class RunlayerEndpoint {

	private static final Logger logger = LoggerFactory.getLogger(RunlayerEndpoint.class);

	private static final int MAX_PROMPT_LENGTH = 4096;

	private final RunlayerClient client;

	private final ObjectProvider<RunlayerToolRegistry> registry;

	private final AtomicReference<PreflightReport> lastPreflight = new AtomicReference<>();

	private final ReentrantLock preflightLock = new ReentrantLock();

	/**
	 * Creates the endpoint.
	 * @param client the client
	 * @param registry the tool registry, if any
	 */
	public RunlayerEndpoint(RunlayerClient client, ObjectProvider<RunlayerToolRegistry> registry) {
		this.client = client;
		this.registry = registry;
	}

	/**
	 * Describes the client configuration, the enforced tools and the last preflight.
	 * @return the description
	 */
	@ReadOperation
	public RunlayerDescriptor describe() {
		Map<String, String> timeouts = new LinkedHashMap<>();
		timeouts.put("toolPre", this.client.transportTimeout(HookEndpoint.TOOL_PRE).toString());
		timeouts.put("toolPost", this.client.transportTimeout(HookEndpoint.TOOL_POST).toString());
		timeouts.put("events", this.client.transportTimeout(HookEndpoint.EVENTS).toString());
		timeouts.put("transcript", this.client.transportTimeout(HookEndpoint.TRANSCRIPT).toString());
		timeouts.put("mcpSource", this.client.transportTimeout(HookEndpoint.MCP_SOURCE).toString());
		timeouts.put("oauthToken", this.client.transportTimeout(HookEndpoint.OAUTH_TOKEN).toString());
		RunlayerToolRegistry tools = this.registry.getIfAvailable();
		List<ToolDescriptor> toolList = (tools != null) ? tools.entries()
			.stream()
			.map((entry) -> new ToolDescriptor(entry.toolName(), entry.tool().toolType(),
					this.client.enforcementFailureMode(entry.toolName(), entry.failureMode()).name(),
					entry.source(), entry.detail(), this.client.shouldEnforceTool(entry.tool()),
					this.client.mode(entry.toolName()).name()))
			.toList() : List.of();
		Map<String, ToolSettingsDescriptor> toolSettings = new TreeMap<>();
		this.client.toolSettings()
			.forEach((name, settings) -> toolSettings.put(name, new ToolSettingsDescriptor(settings.enforce(),
					(settings.mode() != null) ? settings.mode().name() : null,
					(settings.failureMode() != null) ? settings.failureMode().name() : null,
					(settings.preTimeout() != null) ? settings.preTimeout().toString() : null,
					(settings.postTimeout() != null) ? settings.postTimeout().toString() : null)));
		Map<String, String> breakers = new LinkedHashMap<>();
		for (HookEndpoint endpoint : new HookEndpoint[] { HookEndpoint.TOOL_PRE, HookEndpoint.TOOL_POST,
				HookEndpoint.EVENTS, HookEndpoint.MCP_SOURCE }) {
			breakers.put(endpoint.name(), this.client.circuitState(endpoint).name());
		}
		return new RunlayerDescriptor(this.client.baseUrl(), this.client.authMode().name(), this.client.client(),
				this.client.clientVersion(), RunlayerClient.sdkVersion(), this.client.enforcementFailureMode().name(),
				timeouts, this.client.maxToolOutputBytes(), this.client.directMcpSourceEnforcementPath(),
				AgentSubjectDescriptor.of(this.client), toolList, this.lastPreflight.get(), this.client.mode().name(),
				toolSettings, breakers);
	}

	/**
	 * Runs the preflight with the default prompt. This operation takes no body, so a plain
	 * {@code curl -X POST .../actuator/runlayer} (no body, no {@code Content-Type}) reaches it; a JSON request goes to
	 * {@link #preflight(String)}.
	 * @return 200 with the session id, 503 with the error, or 429 while another preflight runs
	 */
	@WriteOperation
	public WebEndpointResponse<PreflightReport> preflightWithDefaultPrompt() {
		return preflight(null);
	}

	/**
	 * Runs the preflight: {@code SessionStart}, {@code UserPromptSubmit}, {@code Stop} for a fresh synthetic session.
	 * @param prompt the prompt of the synthetic session; a default one when absent
	 * @return 200 with the session id, 503 with the error, or 429 while another preflight runs
	 */
	@WriteOperation
	public WebEndpointResponse<PreflightReport> preflight(@Nullable String prompt) {
		if (!this.preflightLock.tryLock()) {
			return new WebEndpointResponse<>(PreflightReport.failed("A preflight is already running", Instant.now()),
					WebEndpointResponse.STATUS_TOO_MANY_REQUESTS);
		}
		try {
			String bounded = (prompt == null || prompt.isBlank()) ? null
					: (prompt.length() > MAX_PROMPT_LENGTH) ? prompt.substring(0, MAX_PROMPT_LENGTH) : prompt;
			PreflightReport report;
			int status;
			try {
				PreflightResult result = this.client.sendPreflight(bounded);
				report = PreflightReport.succeeded(result);
				status = WebEndpointResponse.STATUS_OK;
			}
			catch (RunlayerException ex) {
				logger.warn("Runlayer preflight failed: {}", ex.getMessage());
				report = PreflightReport.failed(ex.getMessage(), Instant.now());
				status = WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE;
			}
			this.lastPreflight.set(report);
			return new WebEndpointResponse<>(report, status);
		}
		finally {
			this.preflightLock.unlock();
		}
	}

	/**
	 * What {@code GET /actuator/runlayer} answers.
	 *
	 * @param baseUrl the Runlayer base URL
	 * @param authMode {@code API_KEY}, {@code AGENT} or {@code AGENT_OBO} (never the credential)
	 * @param client the hook client name
	 * @param clientVersion the agent runtime version, or null
	 * @param sdkVersion the Runlayer Java SDK version
	 * @param enforcementFailureMode {@code CLOSED} or {@code OPEN}
	 * @param timeouts the effective timeout of each Runlayer endpoint (ISO-8601 durations): {@code toolPre},
	 * {@code toolPost}, {@code events}, {@code transcript} (the chunks of a transcript-bearing Stop), {@code mcpSource},
	 * {@code oauthToken}
	 * @param maxToolOutputBytes the cap of the serialized tool output sent to Runlayer
	 * @param directMcpSourceEnforcementPath the direct MCP source route, or null when not configured
	 * @param agentSubject where each call's end user comes from, and the per-user token cache figures
	 * @param tools the tools registered with the {@link RunlayerToolRegistry}
	 * @param lastPreflight the last preflight run through this endpoint, or null
	 * @param mode the global mode, {@code ENFORCE} or {@code MONITOR}
	 * @param toolSettings the per-tool settings ({@code runlayer.tools.*}) by tool name; null values are inherited
	 * @param circuitBreakers the state of each endpoint's circuit breaker ({@code CLOSED}, {@code OPEN},
	 * {@code HALF_OPEN} or {@code DISABLED})
	 */
	public record RunlayerDescriptor(String baseUrl, String authMode, String client, @Nullable String clientVersion,
			String sdkVersion, String enforcementFailureMode, Map<String, String> timeouts, long maxToolOutputBytes,
			@Nullable String directMcpSourceEnforcementPath, AgentSubjectDescriptor agentSubject,
			List<ToolDescriptor> tools, @Nullable PreflightReport lastPreflight, String mode,
			Map<String, ToolSettingsDescriptor> toolSettings, Map<String, String> circuitBreakers) {
	}

	/**
	 * The settings of one tool, as configured.
	 *
	 * @param enforce false when the tool is skipped, or null
	 * @param mode {@code ENFORCE} or {@code MONITOR}, or null for the global mode
	 * @param failureMode {@code CLOSED} or {@code OPEN}, or null for the annotation's or the global one
	 * @param preTimeout the tool/pre budget (ISO-8601), or null
	 * @param postTimeout the tool/post budget (ISO-8601), or null
	 */
	public record ToolSettingsDescriptor(@Nullable Boolean enforce, @Nullable String mode,
			@Nullable String failureMode, @Nullable String preTimeout, @Nullable String postTimeout) {
	}

	/**
	 * Where the end user of each call comes from, and the figures of the per-user on-behalf-of token cache. Never a
	 * subject or a token.
	 *
	 * @param source {@code security-context}, {@code custom} (an application resolver), {@code static}, {@code none},
	 * or a resolver followed by {@code +static} when the static subject is the fallback
	 * @param tokenCache the cache figures, or null without agent-account credentials
	 */
	public record AgentSubjectDescriptor(String source, @Nullable TokenCacheDescriptor tokenCache) {

		static AgentSubjectDescriptor of(RunlayerClient client) {
			return new AgentSubjectDescriptor(client.subjectSource(), client.subjectTokenCache()
				.map((stats) -> new TokenCacheDescriptor(stats.size(), stats.maxSize(), stats.idleExpiry().toString(),
						stats.hits(), stats.misses(), stats.evictions()))
				.orElse(null));
		}

	}

	/**
	 * Figures of the per-user token cache.
	 *
	 * @param size users cached now
	 * @param maxSize the bound
	 * @param idleExpiry how long an unused user stays cached (ISO-8601 duration)
	 * @param hits lookups answered by a cached token
	 * @param misses lookups that waited for a token request
	 * @param evictions users dropped for idleness or for the bound
	 */
	public record TokenCacheDescriptor(int size, int maxSize, String idleExpiry, long hits, long misses,
			long evictions) {
	}

	/**
	 * A tool under Runlayer enforcement.
	 *
	 * @param name the tool name sent to Runlayer (as resolved for every path)
	 * @param type the tool type sent to Runlayer, e.g. {@code function}, {@code shell}, {@code mcp}
	 * @param failureMode the failure mode that applies to the tool ({@code runlayer.tools.<name>.failure-mode}, else
	 * the annotation's, else the global one): {@code CLOSED} or {@code OPEN}
	 * @param source the path that registered it first: {@code BEAN}, {@code SPRING_AI} or {@code MCP_SERVER}
	 * @param detail where it comes from, or null
	 * @param enforced false when the enforcement filters skip it
	 * @param mode the mode its calls run in, {@code ENFORCE} or {@code MONITOR}
	 */
	public record ToolDescriptor(String name, @Nullable String type, String failureMode, String source,
			@Nullable String detail, boolean enforced, String mode) {
	}

	/**
	 * The outcome of a preflight.
	 *
	 * @param status {@code OK} or {@code FAILED}
	 * @param sessionId the synthetic session id, or null when it failed
	 * @param events the accepted events with their round-trip time in milliseconds (empty when it failed)
	 * @param error what failed (event, status, bounded body excerpt), or null
	 * @param at when it finished (ISO-8601)
	 */
	public record PreflightReport(String status, @Nullable String sessionId, List<SentEvent> events,
			@Nullable String error, String at) {

		static PreflightReport succeeded(PreflightResult result) {
			List<SentEvent> events = result.events()
				.stream()
				.map((event) -> new SentEvent(event.eventName(), event.roundTrip().toMillis()))
				.toList();
			return new PreflightReport("OK", result.sessionId(), events, null, result.completedAt().toString());
		}

		static PreflightReport failed(String error, Instant at) {
			return new PreflightReport("FAILED", null, List.of(), error, at.toString());
		}

	}

	/**
	 * One event of a successful preflight.
	 *
	 * @param eventName the event name
	 * @param roundTripMillis the time from sending to the 2xx answer
	 */
	public record SentEvent(String eventName, long roundTripMillis) {
	}

}
