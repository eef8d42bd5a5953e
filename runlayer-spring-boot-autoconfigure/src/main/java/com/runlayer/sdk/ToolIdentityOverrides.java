package com.runlayer.sdk;

/**
 * The last step of resolving a tool's identity: a hook that may replace what the annotations and defaults gave,
 * e.g. per-tool settings from configuration (precedence: such a setting, then the annotation, then the client's
 * default). Applied by the identity resolver to every tool on every entry path, once per tool; never per call.
 * Must be thread-safe and side-effect free.
 */
@FunctionalInterface
public interface ToolIdentityOverrides {

	/** No overrides. */
	ToolIdentityOverrides NONE = (identity) -> identity;

	/**
	 * Adjusts a resolved identity.
	 * @param resolved what the annotations (or the callback) and defaults gave
	 * @return the identity to use; never null
	 */
	ToolCallIdentity apply(ToolCallIdentity resolved);

}
