package com.runlayer.sdk.enforcement;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * The "should this tool call be enforced?" table: every default rule and every option.
 */
class ToolEnforcementTests {

	private static final String HOSTED = "https://tenant.runlayer.com";

	private static final String SELF_HOSTED = "https://runlayer.acme.internal";

	private static final String PLUGIN_ID = "a9d3ab20-4f5f-4d7b-a7b2-7b2b6f1d0d44";

	private static final boolean ENFORCE = true;

	private static final boolean SKIP = false;

	private static final ToolEnforcementOptions DEFAULTS = ToolEnforcementOptions.defaults();

	static Stream<Arguments> table() {
		ToolEnforcementOptions ignoredServers = ToolEnforcementOptions.builder()
			.ignoredMcpServerNames("github-preview")
			.build();
		ToolEnforcementOptions ignoredTools = ToolEnforcementOptions.builder().ignoredToolNames("localHealthcheck").build();
		ToolEnforcementOptions proxyUrlsEnforced = ToolEnforcementOptions.builder().skipRunlayerMcpProxyUrls(false).build();
		ToolEnforcementOptions selfEnforced = ToolEnforcementOptions.builder().skipRunlayerSelfMcp(false).build();
		ToolEnforcementOptions selfEnforcedButRunlayerIgnored = ToolEnforcementOptions.builder()
			.skipRunlayerSelfMcp(false)
			.ignoredMcpServerNames("runlayer")
			.build();
		ToolEnforcementOptions skipInternal = ToolEnforcementOptions.builder()
			.predicate((tool) -> !"internal".equals(tool.toolType()))
			.build();
		ToolEnforcementOptions throwingPredicate = ToolEnforcementOptions.builder().predicate((tool) -> {
			throw new IllegalStateException("broken rule");
		}).build();
		ToolEnforcementOptions twoPredicates = ToolEnforcementOptions.builder()
			.predicate((tool) -> true)
			.predicate((tool) -> !tool.toolName().startsWith("debug_"))
			.build();
		return Stream.of(
				// plain and third-party tools stay enforced
				row("plain local tool", tool("Bash", "shell", null, null), DEFAULTS, HOSTED, ENFORCE),
				row("tool with null name and type", new ToolDescriptor(null, null, null, null), DEFAULTS, null, ENFORCE),
				row("third-party MCP server", tool("mcp__github__list_repos", "mcp", "github", null), DEFAULTS, HOSTED,
						ENFORCE),
				row("look-alike server name in tool name", tool("mcp__runlayerx__search", "mcp", null, null), DEFAULTS,
						HOSTED, ENFORCE),
				row("look-alike server name", tool("search", "mcp", "my-runlayer", null), DEFAULTS, HOSTED, ENFORCE),
				row("other plugin namespace", tool("mcp__plugin_acme_runlayer__search", "mcp", null, null), DEFAULTS,
						HOSTED, ENFORCE),
				row("runlayer plugin namespace with a third-party server",
						tool("mcp__plugin_runlayer_github__list", "mcp", null, null), DEFAULTS, HOSTED, ENFORCE),
				row("tool merely named runlayer", tool("runlayer", "function", null, null), DEFAULTS, HOSTED, ENFORCE),
				// the server the call is known to go to is its identity: a tool name chosen by a third-party server
				// (or a model) that merely looks like a Runlayer or ignored server must not skip enforcement
				row("third-party server whose tool name claims the runlayer server",
						tool("mcp__runlayer__delete_repo", "mcp", "evil", null), DEFAULTS, HOSTED, ENFORCE),
				row("third-party server whose tool name claims the plugin namespace",
						tool("mcp__plugin_runlayer_runlayer-plugin__x", "mcp", "evil", null), DEFAULTS, HOSTED, ENFORCE),
				row("third-party server whose tool name claims an ignored server",
						tool("mcp__github-preview__list", "mcp", "github", null), ToolEnforcementOptions.builder()
							.ignoredMcpServerNames("github-preview").build(), HOSTED, ENFORCE),
				row("tool name and server name agree on runlayer", tool("mcp__runlayer__search", "mcp", "runlayer", null),
						DEFAULTS, HOSTED, SKIP),
				// self names as mcpServerName
				row("server runlayer", tool("search_tools", "mcp", "runlayer", null), DEFAULTS, HOSTED, SKIP),
				row("server runlayer-plugin", tool("execute_tool", "mcp", "runlayer-plugin", null), DEFAULTS, HOSTED,
						SKIP),
				row("server onelayer", tool("execute_tool", "mcp", "onelayer", null), DEFAULTS, HOSTED, SKIP),
				row("server name in another case", tool("execute_tool", "mcp", "RunLayer", null), DEFAULTS, HOSTED, SKIP),
				row("plugin-namespaced server name", tool("search", "mcp", "plugin_runlayer_runlayer-plugin", null),
						DEFAULTS, HOSTED, SKIP),
				// self names inside mcp__<server>__<tool>
				row("mcp__runlayer__", tool("mcp__runlayer__search_tools", null, null, null), DEFAULTS, HOSTED, SKIP),
				row("mcp__runlayer-plugin__", tool("mcp__runlayer-plugin__execute_tool", null, null, null), DEFAULTS,
						HOSTED, SKIP),
				row("mcp__onelayer__", tool("mcp__onelayer__execute_tool", null, null, null), DEFAULTS, HOSTED, SKIP),
				row("mcp__plugin_runlayer_runlayer-plugin__",
						tool("mcp__plugin_runlayer_runlayer-plugin__search_tools", null, null, null), DEFAULTS, HOSTED,
						SKIP),
				row("mcp__plugin_runlayer_onelayer__", tool("mcp__plugin_runlayer_onelayer__search", null, null, null),
						DEFAULTS, HOSTED, SKIP),
				row("Codex underscore form mcp__runlayer_plugin__",
						tool("mcp__runlayer_plugin__execute_tool", null, null, null), DEFAULTS, HOSTED, SKIP),
				row("Codex underscore form inside the plugin namespace",
						tool("mcp__plugin_runlayer_runlayer_plugin__execute_tool", null, null, null), DEFAULTS, HOSTED,
						SKIP),
				// proxy URLs
				row("per-server proxy URL", mcpAt(HOSTED + "/api/v1/proxy/server-id/mcp"), DEFAULTS, HOSTED, SKIP),
				row("per-plugin proxy URL", mcpAt(HOSTED + "/api/v1/proxy/plugins/" + PLUGIN_ID + "/mcp"), DEFAULTS,
						HOSTED, SKIP),
				row("unified plugin proxy URL", mcpAt(HOSTED + "/api/v1/proxy/runlayer/mcp"), DEFAULTS, HOSTED, SKIP),
				row("proxy URL with trailing slash and query", mcpAt(HOSTED + "/api/v1/proxy/server-id/mcp/?x=1"),
						DEFAULTS, HOSTED, SKIP),
				row("hosted proxy URL without a base URL", mcpAt(HOSTED + "/api/v1/proxy/server-id/mcp"), DEFAULTS, null,
						SKIP),
				// only an absolute http(s) URL whose host is a Runlayer host is a proxy URL; anything else is enforced
				row("relative proxy path", mcpAt("/api/v1/proxy/server-id/mcp"), DEFAULTS, null, ENFORCE),
				row("relative proxy path with a base URL", mcpAt("/api/v1/proxy/server-id/mcp"), DEFAULTS, HOSTED,
						ENFORCE),
				row("host with an underscore (URI has no host)",
						mcpAt("https://evil_host.example.com/api/v1/proxy/x/mcp"), DEFAULTS, HOSTED, ENFORCE),
				row("underscore host under runlayer.com", mcpAt("https://evil_host.runlayer.com/api/v1/proxy/x/mcp"),
						DEFAULTS, HOSTED, ENFORCE),
				row("file: URL", mcpAt("file:///api/v1/proxy/x/mcp"), DEFAULTS, HOSTED, ENFORCE),
				row("stdio: URL", mcpAt("stdio:/api/v1/proxy/x/mcp"), DEFAULTS, HOSTED, ENFORCE),
				row("opaque URL", mcpAt("mailto:x@tenant.runlayer.com"), DEFAULTS, HOSTED, ENFORCE),
				row("ftp URL on a Runlayer host", mcpAt("ftp://tenant.runlayer.com/api/v1/proxy/x/mcp"), DEFAULTS,
						HOSTED, ENFORCE),
				row("ws URL on a Runlayer host", mcpAt("wss://tenant.runlayer.com/api/v1/proxy/x/mcp"), DEFAULTS,
						HOSTED, ENFORCE),
				row("userinfo naming a Runlayer host", mcpAt("https://tenant.runlayer.com@evil.example/api/v1/proxy/x/mcp"),
						DEFAULTS, HOSTED, ENFORCE),
				row("scheme-relative URL", mcpAt("//tenant.runlayer.com/api/v1/proxy/x/mcp"), DEFAULTS, HOSTED, ENFORCE),
				row("base URL itself without a host", mcpAt("https://evil_host.example.com/mcp"), DEFAULTS,
						"https://evil_host.example.com", ENFORCE),
				row("upper-case scheme on a Runlayer host", mcpAt("HTTPS://tenant.runlayer.com/api/v1/proxy/x/mcp"),
						DEFAULTS, HOSTED, SKIP),
				row("<base>/mcp on the configured host", mcpAt(HOSTED + "/mcp"), DEFAULTS, HOSTED, SKIP),
				row("<base>/mcp with a base path", mcpAt("https://acme.internal/runlayer/mcp"), DEFAULTS,
						"https://acme.internal/runlayer/", SKIP),
				row("/mcp on a third-party host", mcpAt("https://mcp.github.com/mcp"), DEFAULTS, HOSTED, ENFORCE),
				row("/mcp on a runlayer.com host that is not the configured one", mcpAt("https://other.runlayer.com/mcp"),
						DEFAULTS, HOSTED, ENFORCE),
				row("/mcp on the configured host but another port", mcpAt(SELF_HOSTED + ":8443/mcp"), DEFAULTS,
						SELF_HOSTED, ENFORCE),
				row("self-hosted proxy URL with the base URL", mcpAt(SELF_HOSTED + "/api/v1/proxy/server-id/mcp"),
						DEFAULTS, SELF_HOSTED, SKIP),
				row("self-hosted proxy URL with the base URL in another case",
						mcpAt("https://RUNLAYER.acme.internal/api/v1/proxy/server-id/mcp"), DEFAULTS, SELF_HOSTED, SKIP),
				row("self-hosted proxy URL without a base URL", mcpAt(SELF_HOSTED + "/api/v1/proxy/server-id/mcp"),
						DEFAULTS, null, ENFORCE),
				row("self-hosted proxy URL with another base URL", mcpAt(SELF_HOSTED + "/api/v1/proxy/server-id/mcp"),
						DEFAULTS, HOSTED, ENFORCE),
				row("proxy path on a third-party host", mcpAt("https://evil.example/api/v1/proxy/server-id/mcp"), DEFAULTS,
						HOSTED, ENFORCE),
				row("runlayer.com look-alike host", mcpAt("https://tenant.runlayer.com.evil.example/api/v1/proxy/x/mcp"),
						DEFAULTS, HOSTED, ENFORCE),
				row("non-MCP path on the Runlayer host", mcpAt(HOSTED + "/api/v1/proxy/server-id/tools"), DEFAULTS, HOSTED,
						ENFORCE),
				row("unparseable URL", mcpAt("https://exa mple/ bad"), DEFAULTS, HOSTED, ENFORCE),
				// ignoredMcpServerNames: added to the defaults
				row("ignored server name", tool("list", "mcp", "github-preview", null), ignoredServers, HOSTED, SKIP),
				row("ignored server inside mcp__<server>__", tool("mcp__github-preview__list", null, null, null),
						ignoredServers, HOSTED, SKIP),
				row("defaults still apply next to ignored names", tool("search", "mcp", "runlayer", null), ignoredServers,
						HOSTED, SKIP),
				row("other servers stay enforced next to ignored names", tool("list", "mcp", "github", null),
						ignoredServers, HOSTED, ENFORCE),
				// ignoredToolNames: exact names
				row("ignored tool name", tool("localHealthcheck", "function", null, null), ignoredTools, HOSTED, SKIP),
				row("ignored tool name does not exempt an MCP tool of that name",
						tool("mcp__github__localHealthcheck", "mcp", "github", null), ignoredTools, HOSTED, ENFORCE),
				// skipRunlayerMcpProxyUrls=false
				row("proxy URL enforced when proxy skipping is off", mcpAt(HOSTED + "/api/v1/proxy/server-id/mcp"),
						proxyUrlsEnforced, HOSTED, ENFORCE),
				row("self name still skipped when proxy skipping is off", tool("search", "mcp", "runlayer", null),
						proxyUrlsEnforced, HOSTED, SKIP),
				// skipRunlayerSelfMcp=false
				row("self server name enforced when self skipping is off", tool("search", "mcp", "runlayer", null),
						selfEnforced, HOSTED, ENFORCE),
				row("plugin-namespaced self name enforced when self skipping is off",
						tool("mcp__plugin_runlayer_runlayer-plugin__search", null, null, null), selfEnforced, HOSTED,
						ENFORCE),
				row("proxy URL still skipped when self skipping is off", mcpAt(HOSTED + "/api/v1/proxy/runlayer/mcp"),
						selfEnforced, HOSTED, SKIP),
				row("explicitly ignored self name skipped when self skipping is off",
						tool("search", "mcp", "runlayer", null), selfEnforcedButRunlayerIgnored, HOSTED, SKIP),
				// custom predicates
				row("predicate exempts a tool", tool("cache_lookup", "internal", null, null), skipInternal, HOSTED, SKIP),
				row("predicate keeps other tools enforced", tool("cache_lookup", "function", null, null), skipInternal,
						HOSTED, ENFORCE),
				row("throwing predicate enforces", tool("anything", "function", null, null), throwingPredicate, HOSTED,
						ENFORCE),
				row("any predicate answering false skips", tool("debug_dump", "function", null, null), twoPredicates,
						HOSTED, SKIP),
				row("null options mean the defaults", tool("search", "mcp", "runlayer", null), null, HOSTED, SKIP));
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@MethodSource("table")
	void decidesWhetherAToolCallIsEnforced(String description, ToolDescriptor tool, ToolEnforcementOptions options,
			String baseUrl, boolean expected) {
		assertThat(ToolEnforcement.shouldEnforceTool(tool, options, baseUrl)).as(description).isEqualTo(expected);
	}

	@Test
	void theTableCoversAtLeastTwentyFiveCases() {
		assertThat(table().count()).isGreaterThanOrEqualTo(25);
	}

	@Test
	void theSelfNamesAreTheDocumentedThree() {
		assertThat(ToolEnforcement.RUNLAYER_SELF_MCP_SERVER_NAMES).containsExactlyInAnyOrder("runlayer",
				"runlayer-plugin", "onelayer");
	}

	@Test
	void defaultsSkipSelfNamesAndProxyUrlsAndNothingElse() {
		assertThat(DEFAULTS.skipRunlayerMcpProxyUrls()).isTrue();
		assertThat(DEFAULTS.skipRunlayerSelfMcp()).isTrue();
		assertThat(DEFAULTS.ignoredMcpServerNames()).isEmpty();
		assertThat(DEFAULTS.ignoredToolNames()).isEmpty();
		assertThat(DEFAULTS.predicates()).isEmpty();
	}

	@Test
	void optionsAreImmutableCopies() {
		java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of("a"));
		ToolEnforcementOptions options = ToolEnforcementOptions.builder().ignoredToolNames(names).build();
		names.add("b");
		assertThat(options.ignoredToolNames()).containsExactly("a");
		assertThat(options.toBuilder().ignoredToolNames("b").build().ignoredToolNames()).containsExactlyInAnyOrder("a",
				"b");
	}

	@Test
	void aNullDescriptorIsRejected() {
		assertThatNullPointerException().isThrownBy(() -> ToolEnforcement.shouldEnforceTool(null, DEFAULTS, HOSTED))
			.withMessageContaining("tool");
	}

	private static Arguments row(String description, ToolDescriptor tool, ToolEnforcementOptions options,
			String baseUrl, boolean expected) {
		return Arguments.of(description, tool, options, baseUrl, expected);
	}

	private static ToolDescriptor tool(String name, String type, String server, String url) {
		return new ToolDescriptor(name, type, server, url);
	}

	private static ToolDescriptor mcpAt(String url) {
		return new ToolDescriptor("mcp__acme__lookup", "mcp", "acme", url);
	}

}
