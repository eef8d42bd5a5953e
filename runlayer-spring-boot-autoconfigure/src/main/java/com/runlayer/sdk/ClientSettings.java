package com.runlayer.sdk;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javax.net.ssl.SSLContext;

import com.runlayer.sdk.auth.AgentAccountAuthentication;
import com.runlayer.sdk.auth.AgentCredentials;
import com.runlayer.sdk.auth.ApiKeyAuthentication;
import com.runlayer.sdk.auth.HookAuthentication;
import com.runlayer.sdk.auth.RunlayerSubjectResolver;
import com.runlayer.sdk.enforcement.ToolEnforcementOptions;
import com.runlayer.sdk.events.EventDispatcher;
import com.runlayer.sdk.observe.RunlayerObserver;
import tools.jackson.databind.json.JsonMapper;

/**
 * The options behind {@link RunlayerClient.Builder} and their validation. Decides the defaults, how each
 * {@code RUNLAYER_*} variable maps to an option, which values are invalid (and with which message), how values are
 * normalised (header-safe client names, trimmed MCP route path) and which authentication the credentials select.
 *
 * <p>Mutable and not thread-safe, like the builder that owns it; the client keeps a {@link #copy()} without secrets.
 */
final class ClientSettings {

	String baseUrl;

	String apiKey;

	String agentClientId;

	String agentClientSecret;

	String agentSubjectToken;

	String agentSubjectTokenType;

	String client = RunlayerClient.DEFAULT_CLIENT;

	String clientVersion;

	Duration timeout;

	long maxToolOutputBytes = RunlayerClient.DEFAULT_MAX_TOOL_OUTPUT_BYTES;

	long maxResponseBytes = RunlayerClient.DEFAULT_MAX_RESPONSE_BYTES;

	long maxToolInputBytes = RunlayerClient.DEFAULT_MAX_TOOL_INPUT_BYTES;

	EnforcementFailureMode failureMode = EnforcementFailureMode.CLOSED;

	RunlayerMode mode = RunlayerMode.ENFORCE;

	Map<String, ToolSettings> tools = new LinkedHashMap<>();

	CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.defaults();

	RunlayerPayloadRedactor redactor = RunlayerPayloadRedactor.NONE;

	boolean telemetryPrompts = true;

	boolean allowInsecureTransport;

	String directMcpSourceEnforcementPath;

	boolean debug;

	boolean failureStackTraces;

	String cwd;

	ToolEnforcementOptions toolEnforcement = ToolEnforcementOptions.defaults();

	int maxRetries = 2;

	boolean compression;

	SSLContext sslContext;

	JsonMapper jsonMapper;

	final List<RunlayerObserver> observers = new ArrayList<>();

	Function<RunlayerObserver, EventDispatcher> dispatcherFactory;

	Duration eventShutdownTimeout = Duration.ofSeconds(5);

	int eventQueueCapacity = EventDispatcher.DEFAULT_CAPACITY;

	long eventQueueMaxBytes = EventDispatcher.DEFAULT_MAX_BYTES;

	long eventMaxFieldBytes = RunlayerClient.DEFAULT_EVENT_MAX_FIELD_BYTES;

	RunlayerSubjectResolver subjectResolver;

	int subjectCacheMaxSize = AgentAccountAuthentication.DEFAULT_CACHE_MAX_SIZE;

	Duration subjectCacheIdleExpiry = AgentAccountAuthentication.DEFAULT_CACHE_IDLE_EXPIRY;

	ClientSettings copy() {
		ClientSettings b = new ClientSettings();
		b.baseUrl = this.baseUrl;
		b.client = this.client;
		b.clientVersion = this.clientVersion;
		b.timeout = this.timeout;
		b.maxToolOutputBytes = this.maxToolOutputBytes;
		b.maxResponseBytes = this.maxResponseBytes;
		b.maxToolInputBytes = this.maxToolInputBytes;
		b.failureMode = this.failureMode;
		b.mode = this.mode;
		b.tools = Map.copyOf(this.tools);
		b.circuitBreaker = this.circuitBreaker;
		b.redactor = this.redactor;
		b.telemetryPrompts = this.telemetryPrompts;
		b.allowInsecureTransport = this.allowInsecureTransport;
		b.directMcpSourceEnforcementPath = this.directMcpSourceEnforcementPath;
		b.debug = this.debug;
		b.failureStackTraces = this.failureStackTraces;
		b.cwd = this.cwd;
		b.toolEnforcement = this.toolEnforcement;
		b.maxRetries = this.maxRetries;
		b.compression = this.compression;
		b.eventShutdownTimeout = this.eventShutdownTimeout;
		b.eventQueueCapacity = this.eventQueueCapacity;
		b.eventQueueMaxBytes = this.eventQueueMaxBytes;
		b.eventMaxFieldBytes = this.eventMaxFieldBytes;
		// secrets are deliberately not copied: the client keeps them only inside its authentication
		return b;
	}

	/**
	 * The posture of a call to a tool: the tool's setting, else the per-call failure mode, else the client's.
	 * @param toolName the tool's resolved name
	 * @param failureModeOverride the per-call failure mode (e.g. from the annotation), or null
	 * @return the policy
	 */
	CallPolicy policyFor(String toolName, EnforcementFailureMode failureModeOverride) {
		ToolSettings tool = (toolName != null) ? this.tools.get(toolName.trim()) : null;
		if (tool == null) {
			tool = ToolSettings.NONE;
		}
		RunlayerMode callMode = (tool.mode() != null) ? tool.mode() : this.mode;
		EnforcementFailureMode callFailureMode = (tool.failureMode() != null) ? tool.failureMode()
				: (failureModeOverride != null) ? failureModeOverride : this.failureMode;
		return new CallPolicy(callMode, callFailureMode, tool.preTimeout(), tool.postTimeout());
	}

	/**
	 * Reads the {@code RUNLAYER_*} variables of an environment map, in {@link RunlayerSetting} order.
	 * @param environment the environment
	 * @throws RunlayerConfigurationException when a variable has an invalid value
	 */
	void readEnvironment(Map<String, String> environment) {
		for (RunlayerSetting setting : RunlayerSetting.values()) {
			setting.read(environment).ifPresent((value) -> apply(setting, value));
		}
	}

	private void apply(RunlayerSetting setting, String value) {
		switch (setting) {
			case BASE_URL -> this.baseUrl = value;
			case API_KEY -> this.apiKey = value;
			case AGENT_CLIENT_ID -> this.agentClientId = value;
			case AGENT_CLIENT_SECRET -> this.agentClientSecret = value;
			case AGENT_SUBJECT_TOKEN -> this.agentSubjectToken = value;
			case AGENT_SUBJECT_TOKEN_TYPE -> this.agentSubjectTokenType = value;
			case CLIENT -> this.client = value;
			case CLIENT_VERSION -> this.clientVersion = value;
			case TIMEOUT -> this.timeout = setting.parseMillis(value);
			case MAX_TOOL_OUTPUT_BYTES -> this.maxToolOutputBytes = setting.parseBytes(value);
			case ENFORCEMENT_FAILURE_MODE -> this.failureMode = EnforcementFailureMode.parse(value);
			case DEBUG -> this.debug = setting.parseFlag(value);
			case ALLOW_INSECURE_TRANSPORT -> this.allowInsecureTransport = setting.parseFlag(value);
			case DIRECT_MCP_SOURCE_ENFORCEMENT_PATH -> this.directMcpSourceEnforcementPath = value;
			case MAX_RETRIES -> this.maxRetries = setting.parseRetries(value);
			case MAX_RESPONSE_BYTES -> this.maxResponseBytes = setting.parseBytes(value);
			case MAX_TOOL_INPUT_BYTES -> this.maxToolInputBytes = setting.parseBytes(value);
		}
	}

	/**
	 * Validates and normalises the options (in place), except the credentials.
	 * @return the validated base URL
	 * @throws RunlayerConfigurationException naming the setting of the first problem
	 */
	URI validate() {
		URI base = validateBaseUrl();
		// checked once control characters are stripped (they never reach the header): nothing left is blank too
		this.client = headerSafe(this.client);
		if (this.client == null || this.client.isBlank()) {
			throw new RunlayerConfigurationException(RunlayerSetting.CLIENT, "The hook client name must not be blank");
		}
		this.clientVersion = headerSafe(this.clientVersion);
		if (this.timeout != null && (this.timeout.isNegative() || this.timeout.isZero())) {
			throw new RunlayerConfigurationException(RunlayerSetting.TIMEOUT, "The timeout must be positive");
		}
		if (this.timeout != null && this.timeout.compareTo(RunlayerClient.MAX_TIMEOUT) > 0) {
			throw new RunlayerConfigurationException(RunlayerSetting.TIMEOUT,
					"The timeout must be at most " + RunlayerClient.MAX_TIMEOUT.toMinutes() + " minutes, got "
							+ describe(this.timeout));
		}
		positive(this.maxToolOutputBytes, RunlayerSetting.MAX_TOOL_OUTPUT_BYTES);
		positive(this.maxResponseBytes, RunlayerSetting.MAX_RESPONSE_BYTES);
		positive(this.maxToolInputBytes, RunlayerSetting.MAX_TOOL_INPUT_BYTES);
		atMost(this.maxToolOutputBytes, RunlayerClient.MAX_SIZE_BOUND, RunlayerSetting.MAX_TOOL_OUTPUT_BYTES.property(),
				RunlayerSetting.MAX_TOOL_OUTPUT_BYTES);
		atMost(this.maxResponseBytes, RunlayerClient.MAX_SIZE_BOUND, RunlayerSetting.MAX_RESPONSE_BYTES.property(),
				RunlayerSetting.MAX_RESPONSE_BYTES);
		atMost(this.maxToolInputBytes, RunlayerClient.MAX_SIZE_BOUND, RunlayerSetting.MAX_TOOL_INPUT_BYTES.property(),
				RunlayerSetting.MAX_TOOL_INPUT_BYTES);
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
		if (this.mode == null) {
			this.mode = RunlayerMode.ENFORCE;
		}
		if (this.circuitBreaker == null) {
			this.circuitBreaker = CircuitBreakerSettings.defaults();
		}
		if (this.redactor == null) {
			this.redactor = RunlayerPayloadRedactor.NONE;
		}
		Map<String, ToolSettings> cleanTools = new LinkedHashMap<>();
		List<String> skipped = new ArrayList<>();
		this.tools.forEach((name, settings) -> {
			if (name == null || name.isBlank()) {
				throw new RunlayerConfigurationException(null, "A tool name in runlayer.tools must not be blank");
			}
			ToolSettings value = (settings != null) ? settings : ToolSettings.NONE;
			toolTimeoutAtMost(name.trim(), "pre-timeout", value.preTimeout());
			toolTimeoutAtMost(name.trim(), "post-timeout", value.postTimeout());
			cleanTools.put(name.trim(), value);
			if (value.skipped()) {
				skipped.add(name.trim());
			}
		});
		this.tools = cleanTools;
		if (!skipped.isEmpty()) {
			// enforce=false is one more skip rule of the single enforcement filter, not a second decision point
			this.toolEnforcement = this.toolEnforcement.toBuilder().ignoredToolNames(skipped).build();
		}
		if (this.eventQueueCapacity < 1) {
			throw new RunlayerConfigurationException(null,
					"The event queue capacity (runlayer.events.queue-capacity) must be at least 1, got "
							+ this.eventQueueCapacity);
		}
		atMost(this.eventQueueCapacity, RunlayerClient.MAX_EVENT_QUEUE_CAPACITY, "runlayer.events.queue-capacity", null);
		if (this.eventQueueMaxBytes < 1 || this.eventMaxFieldBytes < 1) {
			throw new RunlayerConfigurationException(null, "The event bounds (runlayer.events.queue-max-bytes "
					+ this.eventQueueMaxBytes + ", runlayer.events.max-field-bytes " + this.eventMaxFieldBytes
					+ ") must be positive");
		}
		atMost(this.eventQueueMaxBytes, RunlayerClient.MAX_EVENT_QUEUE_BYTES, "runlayer.events.queue-max-bytes", null);
		atMost(this.eventMaxFieldBytes, RunlayerClient.MAX_SIZE_BOUND, "runlayer.events.max-field-bytes", null);
		if (this.eventShutdownTimeout == null || this.eventShutdownTimeout.isNegative()) {
			this.eventShutdownTimeout = Duration.ofSeconds(5);
		}
		if (this.eventShutdownTimeout.compareTo(RunlayerClient.MAX_TIMEOUT) > 0) {
			throw new RunlayerConfigurationException(null, "The event shutdown timeout (runlayer.events.shutdown-timeout)"
					+ " must be at most " + RunlayerClient.MAX_TIMEOUT.toMinutes() + " minutes, got "
					+ describe(this.eventShutdownTimeout));
		}
		if (this.subjectCacheMaxSize < 1) {
			throw new RunlayerConfigurationException(null,
					"The subject token cache size (runlayer.agent-subject.token-cache.max-size) must be at least 1, got "
							+ this.subjectCacheMaxSize);
		}
		if (this.subjectCacheIdleExpiry == null || this.subjectCacheIdleExpiry.isNegative()
				|| this.subjectCacheIdleExpiry.isZero()
				|| this.subjectCacheIdleExpiry.compareTo(AgentAccountAuthentication.MAX_CACHE_IDLE_EXPIRY) > 0) {
			throw new RunlayerConfigurationException(null,
					"The subject token cache idle expiry (runlayer.agent-subject.token-cache.idle-expiry) must be"
							+ " positive and at most " + AgentAccountAuthentication.MAX_CACHE_IDLE_EXPIRY.toHours()
							+ " hours");
		}
		return base;
	}

	/**
	 * Selects the authentication from the credentials: exactly one of an API key or an agent account.
	 * @return the authentication
	 * @throws RunlayerConfigurationException when none, both or an incomplete set is configured
	 */
	HookAuthentication authentication() {
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
			if (this.subjectResolver != null) {
				throw new RunlayerConfigurationException(null, "A subject resolver (runlayer.agent-subject.*, a"
						+ " RunlayerSubjectResolver bean) needs agent-account credentials (runlayer.agent.client-id and"
						+ " runlayer.agent.client-secret), not an API key: per-user calls use on-behalf-of tokens");
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
			return new AgentAccountAuthentication(credentials, this.subjectCacheMaxSize, this.subjectCacheIdleExpiry);
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

	/**
	 * Refuses a number over its documented maximum, naming the property (and, through the setting, its
	 * environment variable).
	 */
	private static void atMost(long value, long max, String property, RunlayerSetting setting) {
		if (value > max) {
			String message = "Must be at most " + max + ", got " + value;
			throw (setting != null) ? new RunlayerConfigurationException(setting, message)
					: new RunlayerConfigurationException(null, "The value of " + property + " is too large: " + message);
		}
	}

	/** A tool's own budget has the bound of the client's timeout. */
	private static void toolTimeoutAtMost(String tool, String field, Duration timeout) {
		if (timeout != null && timeout.compareTo(RunlayerClient.MAX_TIMEOUT) > 0) {
			throw new RunlayerConfigurationException(null, "runlayer.tools." + tool + "." + field + " must be at most "
					+ RunlayerClient.MAX_TIMEOUT.toMinutes() + " minutes, got " + describe(timeout));
		}
	}

	/** A duration for a message, without overflowing on absurd values. */
	private static String describe(Duration duration) {
		return (duration.toDays() > 2) ? duration.toDays() + " days" : duration.getSeconds() + " s";
	}

	private static void positive(long value, RunlayerSetting setting) {
		if (value <= 0) {
			throw new RunlayerConfigurationException(setting, "Must be a positive number of bytes, got " + value);
		}
	}

	static boolean present(String value) {
		return value != null && !value.isBlank();
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
	 * Describes the options without secrets (for the builder's {@code toString()}).
	 * @return the description
	 */
	String describe() {
		return "RunlayerClient.Builder[baseUrl=" + Redaction.urlWithoutUserInfo(this.baseUrl) + ", apiKey=" + (present(this.apiKey) ? "****" : "")
				+ ", agentClientId=" + this.agentClientId + ", agentClientSecret="
				+ (present(this.agentClientSecret) ? "****" : "") + "]";
	}

}
