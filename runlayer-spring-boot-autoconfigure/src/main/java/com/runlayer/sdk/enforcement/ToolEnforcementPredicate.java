package com.runlayer.sdk.enforcement;

/**
 * A custom rule that can exempt tool calls from enforcement, consulted after the built-in rules.
 *
 * <p>Implementations must be thread-safe and fast: they run on every tool call. In Spring, every bean of this type
 * is added to the client's {@link ToolEnforcementOptions}.
 */
@FunctionalInterface
public interface ToolEnforcementPredicate {

	/**
	 * Whether this tool call should be enforced.
	 * @param tool the tool call's descriptor
	 * @return {@code false} to skip enforcement for this call
	 */
	boolean shouldEnforce(ToolDescriptor tool);

}
