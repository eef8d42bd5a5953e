package com.runlayer.sdk;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one table of Runlayer settings: each setting's Spring property, its {@code RUNLAYER_*} environment variable
 * (the Python SDK's exact names) and how the variable's text is read.
 *
 * <p>Both {@link RunlayerClient#fromEnv()} and the Spring Boot binding use this table, so an environment variable
 * means the same thing with or without Spring.
 */
public enum RunlayerSetting {

	/** Runlayer base URL, e.g. {@code https://tenant.runlayer.com}. */
	BASE_URL("runlayer.base-url", "RUNLAYER_BASE_URL", Kind.TEXT, false),

	/** User or organization API key ({@code rl_...}), sent as {@code x-runlayer-api-key}. */
	API_KEY("runlayer.api-key", "RUNLAYER_API_KEY", Kind.TEXT, true),

	/** Agent account client id for the {@code client_credentials} grant. */
	AGENT_CLIENT_ID("runlayer.agent.client-id", "RUNLAYER_AGENT_CLIENT_ID", Kind.TEXT, false),

	/** Agent account client secret for the {@code client_credentials} grant. */
	AGENT_CLIENT_SECRET("runlayer.agent.client-secret", "RUNLAYER_AGENT_CLIENT_SECRET", Kind.TEXT, true),

	/** Optional user identity for an on-behalf-of (OBO) token exchange. */
	AGENT_SUBJECT_TOKEN("runlayer.agent.subject-token", "RUNLAYER_AGENT_SUBJECT_TOKEN", Kind.TEXT, true),

	/** Token type URN of the subject token. */
	AGENT_SUBJECT_TOKEN_TYPE("runlayer.agent.subject-token-type", "RUNLAYER_AGENT_SUBJECT_TOKEN_TYPE", Kind.TEXT, false),

	/** Hook client name sent to Runlayer (default {@code python-sdk}). */
	CLIENT("runlayer.client", "RUNLAYER_HOOK_CLIENT", Kind.TEXT, false),

	/** Version string of the agent runtime, sent as {@code client_version} and in the User-Agent. */
	CLIENT_VERSION("runlayer.client-version", null, Kind.TEXT, false),

	/** Timeout override for every Runlayer call; the environment variable is in milliseconds. */
	TIMEOUT("runlayer.timeout", "RUNLAYER_HOOK_TIMEOUT_MS", Kind.MILLIS, false),

	/** Cap on the serialized tool output sent to Runlayer; the environment variable is in bytes. */
	MAX_TOOL_OUTPUT_BYTES("runlayer.max-tool-output-bytes", "RUNLAYER_HOOK_MAX_TOOL_OUTPUT_BYTES", Kind.BYTES, false),

	/** {@code closed} (default) or {@code open}. */
	ENFORCEMENT_FAILURE_MODE("runlayer.enforcement-failure-mode", "RUNLAYER_HOOK_ENFORCEMENT_FAILURE_MODE", Kind.TEXT,
			false),

	/** Log swallowed telemetry failures at WARN; the environment variable takes {@code 1}. */
	DEBUG("runlayer.debug", "RUNLAYER_HOOK_DEBUG", Kind.FLAG, false),

	/** Allow a non-https base URL (local development only); the environment variable takes {@code 1}. */
	ALLOW_INSECURE_TRANSPORT("runlayer.allow-insecure-transport", "RUNLAYER_ALLOW_INSECURE_TRANSPORT", Kind.FLAG, false),

	/** Path of the direct MCP source enforcement route, e.g. {@code /api/v1/hooks/cursor}. */
	DIRECT_MCP_SOURCE_ENFORCEMENT_PATH("runlayer.direct-mcp-source-enforcement-path",
			"RUNLAYER_DIRECT_MCP_SOURCE_ENFORCEMENT_PATH", Kind.TEXT, false),

	/** Retries of retryable enforcement calls, 0 to 2 (default 2). */
	MAX_RETRIES("runlayer.max-retries", "RUNLAYER_HOOK_RETRIES", Kind.TEXT, false),

	/** Largest Runlayer response body read; a larger one is an outage. */
	MAX_RESPONSE_BYTES("runlayer.max-response-bytes", null, Kind.BYTES, false),

	/** Largest serialized tool input; a larger input is rejected before the tool runs. */
	MAX_TOOL_INPUT_BYTES("runlayer.max-tool-input-bytes", null, Kind.BYTES, false);

	/** How the text of an environment variable is read. */
	public enum Kind {

		/** Taken as is. */
		TEXT,

		/** A whole number of milliseconds. */
		MILLIS,

		/** A whole number of bytes. */
		BYTES,

		/** {@code 1}/{@code true}/{@code yes}/{@code on} or {@code 0}/{@code false}/{@code no}/{@code off}. */
		FLAG

	}

	private final String property;

	private final String envVar;

	private final Kind kind;

	private final boolean secret;

	RunlayerSetting(String property, String envVar, Kind kind, boolean secret) {
		this.property = property;
		this.envVar = envVar;
		this.kind = kind;
		this.secret = secret;
	}

	/**
	 * The Spring Boot property, e.g. {@code runlayer.base-url}.
	 * @return the property name
	 */
	public String property() {
		return this.property;
	}

	/**
	 * The environment variable, e.g. {@code RUNLAYER_BASE_URL}.
	 * @return the variable name, empty when the setting has none
	 */
	public Optional<String> envVar() {
		return Optional.ofNullable(this.envVar);
	}

	/**
	 * How the environment variable's text is read.
	 * @return the kind
	 */
	public Kind kind() {
		return this.kind;
	}

	/**
	 * Whether the value is a secret that must never be logged or shown.
	 * @return {@code true} for secrets
	 */
	public boolean secret() {
		return this.secret;
	}

	/**
	 * A short description for error messages: property and environment variable.
	 * @return e.g. {@code "set runlayer.base-url or RUNLAYER_BASE_URL"}
	 */
	public String describe() {
		return (this.envVar != null) ? "property " + this.property + ", environment variable " + this.envVar
				: "property " + this.property;
	}

	/**
	 * Reads this setting's environment variable from an environment map.
	 * @param environment the environment, e.g. {@link System#getenv()}
	 * @return the trimmed value, empty when unset or blank
	 */
	public Optional<String> read(Map<String, String> environment) {
		if (this.envVar == null) {
			return Optional.empty();
		}
		String value = environment.get(this.envVar);
		if (value == null || value.isBlank()) {
			return Optional.empty();
		}
		return Optional.of(value.trim());
	}

	/**
	 * Translates an environment variable's text into the text of the Spring property (milliseconds become
	 * {@code 1500ms}, bytes {@code 65536B}, flags {@code true}/{@code false}).
	 * @param value the variable's text
	 * @return the property text
	 * @throws RunlayerConfigurationException when the text does not fit the kind
	 */
	public String toPropertyValue(String value) {
		return switch (this.kind) {
			case TEXT -> switch (this) {
				// checked here too, so that Spring reports what RunlayerClient.fromEnv() reports
				case ENFORCEMENT_FAILURE_MODE -> EnforcementFailureMode.parse(value).name().toLowerCase(Locale.ROOT);
				case MAX_RETRIES -> Integer.toString(parseRetries(value));
				default -> value;
			};
			case MILLIS -> parseMillis(value).toMillis() + "ms";
			case BYTES -> parseBytes(value) + "B";
			case FLAG -> Boolean.toString(parseFlag(value));
		};
	}

	/**
	 * Reads a whole number of milliseconds.
	 * @param value the text
	 * @return the duration
	 * @throws RunlayerConfigurationException when the text is not a positive whole number
	 */
	public Duration parseMillis(String value) {
		long ms = parseLong(value);
		if (ms <= 0) {
			throw new RunlayerConfigurationException(this, "Must be a positive number of milliseconds, got '" + value + "'");
		}
		return Duration.ofMillis(ms);
	}

	/**
	 * Reads a whole number of bytes.
	 * @param value the text
	 * @return the byte count
	 * @throws RunlayerConfigurationException when the text is not a positive whole number
	 */
	public long parseBytes(String value) {
		long bytes = parseLong(value);
		if (bytes <= 0) {
			throw new RunlayerConfigurationException(this, "Must be a positive number of bytes, got '" + value + "'");
		}
		return bytes;
	}

	/**
	 * Reads a flag.
	 * @param value the text
	 * @return the flag
	 * @throws RunlayerConfigurationException when the text is not a recognised flag
	 */
	public boolean parseFlag(String value) {
		String v = value.trim().toLowerCase(Locale.ROOT);
		return switch (v) {
			case "1", "true", "yes", "on" -> true;
			case "0", "false", "no", "off", "" -> false;
			default -> throw new RunlayerConfigurationException(this, "Must be 1 or 0 (true or false), got '" + value + "'");
		};
	}

	/**
	 * Reads a retry count ({@code RUNLAYER_HOOK_RETRIES}).
	 * @param value the text
	 * @return 0, 1 or 2
	 * @throws RunlayerConfigurationException when the text is not 0, 1 or 2
	 */
	int parseRetries(String value) {
		try {
			int retries = Integer.parseInt(value.trim());
			if (retries >= 0 && retries <= 2) {
				return retries;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new RunlayerConfigurationException(this, "Must be 0, 1 or 2, got '" + value + "'");
	}

	private long parseLong(String value) {
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new RunlayerConfigurationException(this, "Must be a whole number, got '" + value + "'");
		}
	}

}
