package com.runlayer.sdk.enforcement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Options of the tool enforcement filters: which tool calls skip Runlayer enforcement.
 *
 * @param ignoredMcpServerNames MCP server names to skip, added to Runlayer's own ({@code runlayer},
 * {@code runlayer-plugin}, {@code onelayer})
 * @param ignoredToolNames tool names to skip (exact matches)
 * @param skipRunlayerMcpProxyUrls skip calls whose tool URL is a Runlayer MCP proxy URL (default true)
 * @param skipRunlayerSelfMcp skip Runlayer's own MCP server names (default true; false enforces them)
 * @param predicates custom rules; any returning false skips the call
 */
public record ToolEnforcementOptions(Set<String> ignoredMcpServerNames, Set<String> ignoredToolNames,
		boolean skipRunlayerMcpProxyUrls, boolean skipRunlayerSelfMcp, List<ToolEnforcementPredicate> predicates) {

	private static final ToolEnforcementOptions DEFAULTS = builder().build();

	/**
	 * Copies the collections into unmodifiable ones.
	 * @param ignoredMcpServerNames MCP server names to skip, added to Runlayer's own ({@code runlayer}, {@code runlayer-plugin}, {@code onelayer})
	 * @param ignoredToolNames tool names to skip (exact matches)
	 * @param skipRunlayerMcpProxyUrls skip calls whose tool URL is a Runlayer MCP proxy URL (default true)
	 * @param skipRunlayerSelfMcp skip Runlayer's own MCP server names (default true; false enforces them)
	 * @param predicates custom rules; any returning false skips the call
	 */
	public ToolEnforcementOptions {
		ignoredMcpServerNames = copy(ignoredMcpServerNames);
		ignoredToolNames = copy(ignoredToolNames);
		predicates = (predicates != null) ? List.copyOf(predicates) : List.of();
	}

	private static Set<String> copy(Collection<String> names) {
		if (names == null) {
			return Set.of();
		}
		Set<String> result = new LinkedHashSet<>();
		for (String name : names) {
			if (name != null && !name.isBlank()) {
				result.add(name.trim());
			}
		}
		return Set.copyOf(result);
	}

	/**
	 * The documented defaults: skip Runlayer's own MCP servers and proxy URLs, nothing else.
	 * @return the default options
	 */
	public static ToolEnforcementOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Starts a builder with the defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder initialised from these options.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.ignoredMcpServerNames.addAll(this.ignoredMcpServerNames);
		builder.ignoredToolNames.addAll(this.ignoredToolNames);
		builder.skipRunlayerMcpProxyUrls = this.skipRunlayerMcpProxyUrls;
		builder.skipRunlayerSelfMcp = this.skipRunlayerSelfMcp;
		builder.predicates.addAll(this.predicates);
		return builder;
	}

	/**
	 * Builder of {@link ToolEnforcementOptions}. Not thread-safe.
	 */
	public static final class Builder {

		private final Set<String> ignoredMcpServerNames = new LinkedHashSet<>();

		private final Set<String> ignoredToolNames = new LinkedHashSet<>();

		private boolean skipRunlayerMcpProxyUrls = true;

		private boolean skipRunlayerSelfMcp = true;

		private final List<ToolEnforcementPredicate> predicates = new ArrayList<>();

		private Builder() {
		}

		/**
		 * Adds MCP server names to skip (on top of Runlayer's own).
		 * @param names the names
		 * @return this builder
		 */
		public Builder ignoredMcpServerNames(Collection<String> names) {
			if (names != null) {
				this.ignoredMcpServerNames.addAll(names);
			}
			return this;
		}

		/**
		 * Adds MCP server names to skip (on top of Runlayer's own).
		 * @param names the names
		 * @return this builder
		 */
		public Builder ignoredMcpServerNames(String... names) {
			return ignoredMcpServerNames(List.of(names));
		}

		/**
		 * Adds tool names to skip.
		 * @param names the names
		 * @return this builder
		 */
		public Builder ignoredToolNames(Collection<String> names) {
			if (names != null) {
				this.ignoredToolNames.addAll(names);
			}
			return this;
		}

		/**
		 * Adds tool names to skip (exact names, e.g. {@code localHealthcheck} or {@code mcp__github__list_repos}).
		 * @param names the names
		 * @return this builder
		 */
		public Builder ignoredToolNames(String... names) {
			return ignoredToolNames(List.of(names));
		}

		/**
		 * Whether calls to Runlayer MCP proxy URLs are skipped.
		 * @param skip the flag (default true)
		 * @return this builder
		 */
		public Builder skipRunlayerMcpProxyUrls(boolean skip) {
			this.skipRunlayerMcpProxyUrls = skip;
			return this;
		}

		/**
		 * Whether Runlayer's own MCP server names are skipped.
		 * @param skip the flag (default true)
		 * @return this builder
		 */
		public Builder skipRunlayerSelfMcp(boolean skip) {
			this.skipRunlayerSelfMcp = skip;
			return this;
		}

		/**
		 * Adds a custom rule.
		 * @param predicate the rule
		 * @return this builder
		 */
		public Builder predicate(ToolEnforcementPredicate predicate) {
			this.predicates.add(Objects.requireNonNull(predicate, "predicate"));
			return this;
		}

		/**
		 * Builds the options.
		 * @return the options
		 */
		public ToolEnforcementOptions build() {
			return new ToolEnforcementOptions(this.ignoredMcpServerNames, this.ignoredToolNames,
					this.skipRunlayerMcpProxyUrls, this.skipRunlayerSelfMcp, this.predicates);
		}

	}

}
