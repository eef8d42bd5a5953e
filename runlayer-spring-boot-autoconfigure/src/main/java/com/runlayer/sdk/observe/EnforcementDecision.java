package com.runlayer.sdk.observe;

/**
 * The outcome of one enforcement call, as reported to observers (metrics, traces, health). An outage is never
 * reported as an allow.
 */
public enum EnforcementDecision {

	/** Allowed unchanged. */
	ALLOW,

	/** Allowed with rewritten arguments. */
	REWRITE,

	/** Denied before the tool ran. */
	DENY,

	/** Output (or MCP source) blocked. */
	BLOCK,

	/** Output replaced by a sanitized one. */
	MASK,

	/** Runlayer could not give a valid answer (blocked in closed mode, allowed in open mode). */
	OUTAGE,

	/** Not enforced: the filters skip this tool. */
	SKIPPED;

	/**
	 * The lower-case name used as a metric tag value.
	 * @return e.g. {@code allow}
	 */
	public String tagValue() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
