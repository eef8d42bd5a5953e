package com.runlayer.sdk.transport;

import java.time.Duration;

/**
 * The Runlayer endpoints the SDK calls, with their default timeouts and retry classes (protocol sections 1.3 and 3).
 * The one place that knows the paths.
 */
public enum HookEndpoint {

	/** Pre-tool enforcement. */
	TOOL_PRE("/api/v1/hooks/tool/pre", Duration.ofSeconds(30), RetryClass.FULL, true),

	/** Post-tool output scan (and failure telemetry). Retried only when the request provably was not sent. */
	TOOL_POST("/api/v1/hooks/tool/post", Duration.ofSeconds(30), RetryClass.UNSENT_ONLY, true),

	/** Lifecycle events; never retried. */
	EVENTS("/api/v1/hooks/events", Duration.ofSeconds(5), RetryClass.NONE, false),

	/** The chunks of a transcript-bearing Stop: the events route with the longer transcript timeout; never retried. */
	TRANSCRIPT("/api/v1/hooks/events", Duration.ofSeconds(10), RetryClass.NONE, false),

	/** Direct MCP source enforcement (cursor route); the path is configurable. */
	MCP_SOURCE("/api/v1/hooks/cursor", Duration.ofSeconds(10), RetryClass.FULL, true),

	/** Agent-account token endpoint. */
	OAUTH_TOKEN("/api/v1/oauth/token", Duration.ofSeconds(10), RetryClass.FULL, false);

	/** Which failures of an endpoint are retried. */
	public enum RetryClass {

		/** 5xx, 429 with numeric Retry-After, and transport errors. */
		FULL,

		/** Only transport errors that prove the request was never sent. */
		UNSENT_ONLY,

		/** Never. */
		NONE

	}

	private final String defaultPath;

	private final Duration defaultTimeout;

	private final RetryClass retryClass;

	private final boolean idempotencyKey;

	HookEndpoint(String defaultPath, Duration defaultTimeout, RetryClass retryClass, boolean idempotencyKey) {
		this.defaultPath = defaultPath;
		this.defaultTimeout = defaultTimeout;
		this.retryClass = retryClass;
		this.idempotencyKey = idempotencyKey;
	}

	/**
	 * The default path.
	 * @return the path
	 */
	public String defaultPath() {
		return this.defaultPath;
	}

	/**
	 * The documented default timeout (30 s for enforcement and tool lifecycle, 5 s for events, 10 s for transcript
	 * chunks and direct endpoint calls). A call never takes longer than {@link RetryPolicy#MAX_CALL_BUDGET}.
	 * @return the timeout
	 */
	public Duration defaultTimeout() {
		return this.defaultTimeout;
	}

	/**
	 * The retry class.
	 * @return the retry class
	 */
	public RetryClass retryClass() {
		return this.retryClass;
	}

	/**
	 * Whether calls carry an {@code x-runlayer-idempotency-key} (docs/protocol.md, "Common to every call").
	 * @return the flag
	 */
	public boolean idempotencyKey() {
		return this.idempotencyKey;
	}

	/**
	 * Whether this endpoint enforces (its failures block in closed mode).
	 * @return the flag
	 */
	public boolean enforcing() {
		return this == TOOL_PRE || this == TOOL_POST || this == MCP_SOURCE;
	}

}
