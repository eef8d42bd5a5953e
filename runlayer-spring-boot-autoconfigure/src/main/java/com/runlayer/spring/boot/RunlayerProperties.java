package com.runlayer.spring.boot;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.runlayer.sdk.EnforcementFailureMode;
import com.runlayer.sdk.RunlayerMode;
import com.runlayer.spring.boot.security.SecurityContextSubjectResolver;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the Runlayer starter, bound from {@code runlayer.*} and from the Runlayer SDK's
 * {@code RUNLAYER_*} environment variables (see {@link com.runlayer.sdk.RunlayerSetting}). {@link #toString()}
 * never shows a secret.
 *
 * @param enabled master switch; false creates no client and leaves every tool un-intercepted
 * @param baseUrl Runlayer base URL, e.g. https://tenant.runlayer.com (RUNLAYER_BASE_URL)
 * @param apiKey user or organization API key (RUNLAYER_API_KEY)
 * @param agent agent-account credentials, the alternative to an API key
 * @param agentSubject which end user each call acts for (on-behalf-of tokens), per call
 * @param client hook client name sent to Runlayer; the workspace hook-client allowlist must include it
 * (RUNLAYER_HOOK_CLIENT)
 * @param clientVersion version of your agent runtime, sent as client_version and in the User-Agent
 * @param timeout one timeout for every Runlayer call (RUNLAYER_HOOK_TIMEOUT_MS, in ms); unset means 30 s for
 * enforcement and tool lifecycle, 5 s for lifecycle events, 10 s for direct endpoint calls
 * @param maxToolOutputBytes cap of the serialized tool output sent to Runlayer; larger output is truncated with a
 * marker (RUNLAYER_HOOK_MAX_TOOL_OUTPUT_BYTES, in bytes)
 * @param enforcementFailureMode what enforcement does when Runlayer cannot answer: closed blocks, open allows
 * (RUNLAYER_HOOK_ENFORCEMENT_FAILURE_MODE)
 * @param allowInsecureTransport allow a non-https base URL, for a trusted local development endpoint only
 * (RUNLAYER_ALLOW_INSECURE_TRANSPORT=1)
 * @param directMcpSourceEnforcementPath path of the direct MCP source enforcement route, e.g. /api/v1/hooks/cursor
 * (RUNLAYER_DIRECT_MCP_SOURCE_ENFORCEMENT_PATH)
 * @param debug log swallowed telemetry failures at WARN (RUNLAYER_HOOK_DEBUG=1)
 * @param maxRetries retries of a retryable enforcement call within its timeout budget, 0 to 2
 * (RUNLAYER_HOOK_RETRIES)
 * @param maxResponseBytes largest Runlayer response body read; a larger one is an outage
 * @param maxToolInputBytes largest serialized tool input; a larger input is rejected before the tool runs
 * @param compression gzip request bodies over 16 KiB (falls back to identity if Runlayer rejects them)
 * @param toolEnforcement which tool calls skip enforcement
 * @param aop the @RunlayerTool interceptor
 * @param springAi the Spring AI integration
 * @param events best-effort event dispatch
 * @param ssl TLS settings
 * @param cwd working directory sent as cwd in the tool payloads of calls that name none; unset sends none
 * @param mode enforce applies Runlayer's decisions; monitor only reports them (logged at INFO, counted, published as
 * events) while every call still goes through tool/pre and tool/post and outages never block
 * @param tools per-tool settings by the tool's resolved name (enforce, mode, failure-mode, pre-timeout,
 * post-timeout); they win over the annotation and the global defaults
 * @param telemetry what telemetry carries (prompt text, failure stack traces)
 * @param circuitBreaker fast failure while Runlayer is down: one circuit breaker per endpoint
 */
@ConfigurationProperties(RunlayerProperties.PREFIX)
public record RunlayerProperties(@DefaultValue("true") boolean enabled, String baseUrl, String apiKey,
		@DefaultValue Agent agent, @DefaultValue AgentSubject agentSubject, @DefaultValue("python-sdk") String client, String clientVersion, Duration timeout,
		@DefaultValue("64KB") DataSize maxToolOutputBytes,
		@DefaultValue("closed") EnforcementFailureMode enforcementFailureMode, boolean allowInsecureTransport,
		String directMcpSourceEnforcementPath, boolean debug, @DefaultValue("2") int maxRetries,
		@DefaultValue("1MB") DataSize maxResponseBytes, @DefaultValue("1MB") DataSize maxToolInputBytes,
		boolean compression, @DefaultValue ToolEnforcement toolEnforcement, @DefaultValue Aop aop,
		@DefaultValue SpringAi springAi, @DefaultValue Events events, @DefaultValue Ssl ssl, String cwd,
		@DefaultValue("enforce") RunlayerMode mode, Map<String, Tool> tools, @DefaultValue Telemetry telemetry,
		@DefaultValue CircuitBreaker circuitBreaker) {

	/**
	 * Replaces a missing tool map with an empty one.
	 * @param enabled master switch; false creates no client and leaves every tool un-intercepted
	 * @param baseUrl Runlayer base URL, e.g. https://tenant.runlayer.com (RUNLAYER_BASE_URL)
	 * @param apiKey user or organization API key (RUNLAYER_API_KEY)
	 * @param agent agent-account credentials, the alternative to an API key
	 * @param agentSubject which end user each call acts for (on-behalf-of tokens), per call
	 * @param client hook client name sent to Runlayer; the workspace hook-client allowlist must include it (RUNLAYER_HOOK_CLIENT)
	 * @param clientVersion version of your agent runtime, sent as client_version and in the User-Agent
	 * @param timeout one timeout for every Runlayer call (RUNLAYER_HOOK_TIMEOUT_MS, in ms); unset means 30 s for enforcement and tool lifecycle, 5 s for lifecycle events, 10 s for direct endpoint calls
	 * @param maxToolOutputBytes cap of the serialized tool output sent to Runlayer; larger output is truncated with a marker (RUNLAYER_HOOK_MAX_TOOL_OUTPUT_BYTES, in bytes)
	 * @param enforcementFailureMode what enforcement does when Runlayer cannot answer: closed blocks, open allows (RUNLAYER_HOOK_ENFORCEMENT_FAILURE_MODE)
	 * @param allowInsecureTransport allow a non-https base URL, for a trusted local development endpoint only (RUNLAYER_ALLOW_INSECURE_TRANSPORT=1)
	 * @param directMcpSourceEnforcementPath path of the direct MCP source enforcement route, e.g. /api/v1/hooks/cursor (RUNLAYER_DIRECT_MCP_SOURCE_ENFORCEMENT_PATH)
	 * @param debug log swallowed telemetry failures at WARN (RUNLAYER_HOOK_DEBUG=1)
	 * @param maxRetries retries of a retryable enforcement call within its timeout budget, 0 to 2 (RUNLAYER_HOOK_RETRIES)
	 * @param maxResponseBytes largest Runlayer response body read; a larger one is an outage
	 * @param maxToolInputBytes largest serialized tool input; a larger input is rejected before the tool runs
	 * @param compression gzip request bodies over 16 KiB (falls back to identity if Runlayer rejects them)
	 * @param toolEnforcement which tool calls skip enforcement
	 * @param aop the @RunlayerTool interceptor
	 * @param springAi the Spring AI integration
	 * @param events best-effort event dispatch
	 * @param ssl TLS settings
	 * @param cwd working directory sent as cwd in the tool payloads of calls that name none; unset sends none
	 * @param mode enforce applies Runlayer's decisions; monitor only reports them (logged at INFO, counted, published as events) while every call still goes through tool/pre and tool/post and outages never block
	 * @param tools per-tool settings by the tool's resolved name (enforce, mode, failure-mode, pre-timeout, post-timeout); they win over the annotation and the global defaults
	 * @param telemetry what telemetry carries (prompt text, failure stack traces)
	 * @param circuitBreaker fast failure while Runlayer is down: one circuit breaker per endpoint
	 */
	public RunlayerProperties {
		tools = (tools != null) ? Map.copyOf(tools) : Map.of();
	}

	/** The property prefix. */
	public static final String PREFIX = "runlayer";

	@Override
	public String toString() {
		return "RunlayerProperties[enabled=" + this.enabled + ", baseUrl="
				+ com.runlayer.sdk.Redaction.urlWithoutUserInfo(this.baseUrl) + ", apiKey="
				+ ((this.apiKey != null) ? "****" : "null") + ", agent=" + this.agent + ", client=" + this.client
				+ ", enforcementFailureMode=" + this.enforcementFailureMode + ", mode=" + this.mode + "]";
	}

	/**
	 * Agent-account credentials.
	 *
	 * @param clientId agent account client id (RUNLAYER_AGENT_CLIENT_ID)
	 * @param clientSecret agent account client secret (RUNLAYER_AGENT_CLIENT_SECRET)
	 * @param subjectToken user identity for on-behalf-of tokens (RUNLAYER_AGENT_SUBJECT_TOKEN)
	 * @param subjectTokenType type of the subject token: urn:runlayer:token-type:user-id,
	 * urn:runlayer:token-type:user-email or urn:ietf:params:oauth:token-type:access_token
	 * (RUNLAYER_AGENT_SUBJECT_TOKEN_TYPE)
	 */
	public record Agent(String clientId, String clientSecret, String subjectToken, String subjectTokenType) {

		@Override
		public String toString() {
			return "Agent[clientId=" + this.clientId + ", clientSecret=" + ((this.clientSecret != null) ? "****" : "null")
					+ ", subjectToken=" + ((this.subjectToken != null) ? "****" : "null") + ", subjectTokenType="
					+ this.subjectTokenType + "]";
		}

	}

	/**
	 * Which end user each call acts for. Needs agent-account credentials: each subject is exchanged for an
	 * on-behalf-of agent token, cached per subject.
	 *
	 * @param source where the subject of a call comes from: auto (a RunlayerSubjectResolver bean if you declare one,
	 * else runlayer.agent.subject-token) or security-context (Spring Security's current Authentication, else
	 * runlayer.agent.subject-token)
	 * @param principalNameType with security-context, how a principal name (not a bearer token) is sent: auto (as a
	 * user e-mail when it is an e-mail address, else as a user id), user-id or user-email
	 * @param tokenCache the cache of on-behalf-of tokens per subject
	 */
	public record AgentSubject(@DefaultValue("auto") Source source,
			@DefaultValue("auto") SecurityContextSubjectResolver.PrincipalNameType principalNameType,
			@DefaultValue TokenCache tokenCache) {

		/** Where the subject of a call comes from. */
		public enum Source {

			/** A {@code RunlayerSubjectResolver} bean if one is declared, else the static subject (or none). */
			AUTO,

			/** Spring Security's current {@code Authentication}, else the static subject (or none). */
			SECURITY_CONTEXT

		}

		/**
		 * The cache of on-behalf-of tokens.
		 *
		 * @param maxSize how many subjects' tokens are cached at most; beyond it the least recently used go
		 * @param idleExpiry how long an unused subject's token stays cached
		 */
		public record TokenCache(@DefaultValue("10000") int maxSize, @DefaultValue("30m") Duration idleExpiry) {
		}

	}

	/**
	 * Tool enforcement filters.
	 *
	 * @param ignoredMcpServerNames MCP server names to skip, added to Runlayer's own (runlayer, runlayer-plugin,
	 * onelayer)
	 * @param ignoredToolNames tool names to skip
	 * @param skipRunlayerMcpProxyUrls skip calls whose tool URL is a Runlayer MCP proxy URL
	 * @param skipRunlayerSelfMcp skip Runlayer's own MCP server names; false enforces them
	 */
	public record ToolEnforcement(List<String> ignoredMcpServerNames, List<String> ignoredToolNames,
			@DefaultValue("true") boolean skipRunlayerMcpProxyUrls, @DefaultValue("true") boolean skipRunlayerSelfMcp) {

		/**
		 * Replaces null lists with empty ones.
		 * @param ignoredMcpServerNames MCP server names to skip, added to Runlayer's own (runlayer, runlayer-plugin, onelayer)
		 * @param ignoredToolNames tool names to skip
		 * @param skipRunlayerMcpProxyUrls skip calls whose tool URL is a Runlayer MCP proxy URL
		 * @param skipRunlayerSelfMcp skip Runlayer's own MCP server names; false enforces them
		 */
		public ToolEnforcement {
			ignoredMcpServerNames = (ignoredMcpServerNames != null) ? List.copyOf(ignoredMcpServerNames) : List.of();
			ignoredToolNames = (ignoredToolNames != null) ? List.copyOf(ignoredToolNames) : List.of();
		}

	}

	/**
	 * The {@code @RunlayerTool} interceptor.
	 *
	 * @param order order of the Runlayer advisor; the default runs it outside (before) {@code @Transactional}, whose
	 * advisor has the lowest precedence, so a denied call never opens a transaction
	 */
	public record Aop(@DefaultValue("2147482647") int order) {
	}

	/**
	 * The Spring AI integration.
	 *
	 * @param enabled enforce every tool call that Spring AI executes
	 * @param onDeny how a denial reaches the model or the caller: feedback (the tool result tells the model the
	 * call was blocked and why) or exception (the chat call fails with RunlayerBlockedException)
	 * @param mcpSourceEnforcement check the source of MCP client tools on the direct MCP source route (needs an API
	 * key and the route path)
	 * @param transcriptStop send a transcript-bearing Stop when a response completes; false sends a bare Stop
	 * @param advisor the advisor on auto-configured ChatClient.Builders (prompt and stop telemetry)
	 */
	public record SpringAi(@DefaultValue("true") boolean enabled, @DefaultValue("feedback") OnDeny onDeny,
			@DefaultValue("true") boolean mcpSourceEnforcement, @DefaultValue("true") boolean transcriptStop,
			@DefaultValue Advisor advisor) {

		/**
		 * The advisor on auto-configured {@code ChatClient.Builder}s.
		 *
		 * @param enabled add it; false leaves it off (no prompt or stop telemetry from the chat client) while tool
		 * calls stay enforced
		 */
		public record Advisor(@DefaultValue("true") boolean enabled) {
		}

		/** How a denial reaches Spring AI. */
		public enum OnDeny {

			/** The tool result tells the model the call was blocked by policy; the conversation continues. */
			FEEDBACK,

			/** The chat call fails with {@code RunlayerBlockedException}. */
			EXCEPTION

		}

	}

	/**
	 * Best-effort event dispatch.
	 *
	 * @param queueCapacity bound of the event queue in events (at most 1000000); when full, the newest event is
	 * dropped and counted
	 * @param shutdownTimeout how long context close waits to flush queued events (at most 10 minutes)
	 * @param queueMaxBytes bound of the event queue in bytes of serialized events (at most 1GB); an event that would
	 * pass it is dropped and counted
	 * @param maxFieldBytes cap of each payload field of a lifecycle event, e.g. a prompt (at most 64MB); a longer
	 * field is cut and marked like tool output
	 */
	public record Events(@DefaultValue("10000") int queueCapacity, @DefaultValue("5s") Duration shutdownTimeout,
			@DefaultValue("16MB") DataSize queueMaxBytes, @DefaultValue("64KB") DataSize maxFieldBytes) {
	}

	/**
	 * TLS settings.
	 *
	 * @param bundle name of a Spring Boot SSL bundle (spring.ssl.bundle.*) whose trust material verifies a
	 * self-hosted Runlayer with a private CA
	 */
	public record Ssl(String bundle) {
	}

	/**
	 * Settings of one tool, under {@code runlayer.tools.<tool-name>}. Unset values keep the annotation's or the
	 * global ones.
	 *
	 * @param enforce false skips the tool, like the tool-enforcement filters
	 * @param mode enforce or monitor this tool
	 * @param failureMode closed or open for this tool's outages
	 * @param preTimeout budget of this tool's tool/pre call
	 * @param postTimeout budget of this tool's tool/post call
	 */
	public record Tool(Boolean enforce, RunlayerMode mode, EnforcementFailureMode failureMode, Duration preTimeout,
			Duration postTimeout) {
	}

	/**
	 * What telemetry carries.
	 *
	 * @param prompts send the prompt text in UserPromptSubmit; false sends the event with an empty prompt
	 * @param failureStackTraces send the stack trace of a failed tool as its output (bounded by the output cap);
	 * off by default, since stack traces can carry internal details
	 */
	public record Telemetry(@DefaultValue("true") boolean prompts, boolean failureStackTraces) {
	}

	/**
	 * One circuit breaker per Runlayer endpoint; only outages count (never a deny or a definitive 4xx).
	 *
	 * @param enabled switch the breakers on
	 * @param slidingWindowSize how many recent calls are judged (also the minimum before it can open)
	 * @param failureRateThreshold percentage of outages among them that opens it; 100 means a run of
	 * sliding-window-size outages
	 * @param waitInOpenState how long it stays open (calls are outages at once) before a probe goes through
	 * @param permittedCallsInHalfOpenState how many probe calls decide whether it closes again
	 */
	public record CircuitBreaker(@DefaultValue("true") boolean enabled, @DefaultValue("5") int slidingWindowSize,
			@DefaultValue("100") float failureRateThreshold, @DefaultValue("30s") Duration waitInOpenState,
			@DefaultValue("1") int permittedCallsInHalfOpenState) {
	}

}
