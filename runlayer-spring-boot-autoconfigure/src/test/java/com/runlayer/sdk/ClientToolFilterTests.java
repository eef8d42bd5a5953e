package com.runlayer.sdk;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.enforcement.ToolEnforcement;
import com.runlayer.sdk.enforcement.ToolEnforcementOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client applies the tool enforcement filters with its own base URL, and a skipped tool costs no HTTP call.
 */
class ClientToolFilterTests {

	private static final String SELF_HOSTED = "https://runlayer.acme.internal";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private RunlayerClient client(ToolEnforcementOptions options) {
		return RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey("rl_test_key")
			.toolEnforcement(options)
			.build();
	}

	@Test
	void shouldEnforceToolRecognisesSelfHostedProxyUrlsByTheClientsBaseUrl() {
		ToolDescriptor proxied = new ToolDescriptor("mcp__acme__lookup", "mcp", "acme",
				SELF_HOSTED + "/api/v1/proxy/server-id/mcp");
		ToolDescriptor alias = new ToolDescriptor("mcp__acme__lookup", "mcp", "acme", SELF_HOSTED + "/mcp");
		try (RunlayerClient client = RunlayerClient.builder().baseUrl(SELF_HOSTED + "/").apiKey("rl_test_key").build()) {
			assertThat(client.shouldEnforceTool(proxied)).isFalse();
			assertThat(client.shouldEnforceTool(alias)).isFalse();
			assertThat(client.shouldEnforceTool(new ToolDescriptor("mcp__acme__lookup", "mcp", "acme",
					"https://mcp.acme.example/mcp"))).isTrue();
		}
		// without the base URL the same self-hosted URLs are not known to be Runlayer's
		assertThat(ToolEnforcement.shouldEnforceTool(proxied, null, null)).isTrue();
		assertThat(ToolEnforcement.shouldEnforceTool(alias, null, null)).isTrue();
	}

	@Test
	void shouldEnforceToolUsesTheClientsFilterOptions() {
		try (RunlayerClient client = client(ToolEnforcementOptions.builder().ignoredToolNames("localHealthcheck").build())) {
			assertThat(client.shouldEnforceTool(ToolDescriptor.of("localHealthcheck"))).isFalse();
			assertThat(client.shouldEnforceTool(ToolDescriptor.of("Bash"))).isTrue();
		}
	}

	@Test
	void aThirdPartyServersToolNamedLikeARunlayerToolIsStillEnforced() {
		// the server named its tool "mcp__runlayer__delete_repo"; the call goes to server "evil", not to Runlayer
		wm.stubFor(post("/api/v1/hooks/tool/pre").willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"no\"}")));
		AtomicReference<Object> ran = new AtomicReference<>();
		try (RunlayerClient client = client(null)) {
			org.assertj.core.api.Assertions.assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.runTool(ToolCall.builder()
					.sessionId("s1")
					.toolName("mcp__runlayer__delete_repo")
					.toolType("mcp")
					.mcpServerName("evil")
					.toolUrl("https://mcp.evil.example/mcp")
					.build(), (input) -> {
						ran.set("ran");
						return "deleted";
					}));
		}
		assertThat(ran.get()).isNull();
		wm.verify(exactly(1), postRequestedFor(urlEqualTo("/api/v1/hooks/tool/pre")));
	}

	@Test
	void aSkippedSelfMcpToolRunsWithoutAnyHttpCall() {
		AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
		try (RunlayerClient client = client(null)) {
			Object out = client.runTool(ToolCall.builder()
				.sessionId("s1")
				.toolName("search_tools")
				.toolType("mcp")
				.mcpServerName("runlayer")
				.toolInput(Map.of("query", "github"))
				.build(), (input) -> {
					seen.set(input);
					return "results";
				});
			assertThat(out).isEqualTo("results");
		}
		assertThat(seen.get()).containsEntry("query", "github");
		wm.verify(exactly(0), anyRequestedFor(anyUrl()));
	}

	@Test
	void aToolBehindTheConfiguredRunlayerHostsMcpAliasRunsWithoutAnyHttpCall() {
		try (RunlayerClient client = client(null)) {
			Object out = client.runTool(ToolCall.builder()
				.sessionId("s1")
				.toolName("mcp__acme__lookup")
				.toolType("mcp")
				.mcpServerName("acme")
				.toolUrl(wm.baseUrl() + "/mcp")
				.build(), (input) -> "ok");
			assertThat(out).isEqualTo("ok");
		}
		wm.verify(exactly(0), anyRequestedFor(anyUrl()));
	}

	@Test
	void anIgnoredToolRunsWithoutAnyHttpCallEvenWithoutASessionId() {
		try (RunlayerClient client = client(ToolEnforcementOptions.builder().ignoredToolNames("localHealthcheck").build())) {
			Object out = client.runTool(ToolCall.builder().toolName("localHealthcheck").build(), (input) -> "healthy");
			assertThat(out).isEqualTo("healthy");
		}
		wm.verify(exactly(0), anyRequestedFor(anyUrl()));
	}

	@org.junit.jupiter.params.ParameterizedTest
	@org.junit.jupiter.params.provider.ValueSource(strings = { "https://evil_host.example.com/api/v1/proxy/x/mcp",
			"https://evil_host.runlayer.com/api/v1/proxy/x/mcp", "file:///api/v1/proxy/x/mcp",
			"stdio:/api/v1/proxy/x/mcp", "/api/v1/proxy/x/mcp" })
	void aProxyLookingUrlWithoutARunlayerHostIsEnforcedAndADenyStopsTheTool(String url) {
		wm.resetAll();
		wm.stubFor(post("/api/v1/hooks/tool/pre")
			.willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"not a proxy\"}")));
		java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
		try (RunlayerClient client = client(null)) {
			org.assertj.core.api.Assertions.assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.runTool(ToolCall.builder()
					.sessionId("s1")
					.toolName("mcp__acme__lookup")
					.toolType("mcp")
					.mcpServerName("acme")
					.toolUrl(url)
					.build(), (input) -> {
						runs.incrementAndGet();
						return "ran";
					}))
				.withMessageContaining("not a proxy");
		}
		assertThat(runs).hasValue(0);
		wm.verify(exactly(1), postRequestedFor(urlEqualTo("/api/v1/hooks/tool/pre")));
	}

	@Test
	void aThirdPartyMcpToolIsEnforced() {
		wm.stubFor(post("/api/v1/hooks/tool/pre").willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post("/api/v1/hooks/tool/post").willReturn(okJson("{\"blocked\":false}")));
		try (RunlayerClient client = client(null)) {
			client.runTool(ToolCall.builder()
				.sessionId("s1")
				.toolName("mcp__github__list_repos")
				.toolType("mcp")
				.mcpServerName("github")
				.toolUrl("https://api.githubcopilot.com/mcp")
				.build(), (input) -> "repos");
		}
		wm.verify(exactly(1), postRequestedFor(urlEqualTo("/api/v1/hooks/tool/pre")));
		wm.verify(exactly(1), postRequestedFor(urlEqualTo("/api/v1/hooks/tool/post")));
	}

	@Test
	void skipRunlayerSelfMcpFalseEnforcesTheSelfNamesThroughTheClient() {
		wm.stubFor(post("/api/v1/hooks/tool/pre").willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post("/api/v1/hooks/tool/post").willReturn(okJson("{\"blocked\":false}")));
		try (RunlayerClient client = client(ToolEnforcementOptions.builder().skipRunlayerSelfMcp(false).build())) {
			client.runTool(ToolCall.builder()
				.sessionId("s1")
				.toolName("mcp__runlayer__search_tools")
				.toolType("mcp")
				.build(), (input) -> "ok");
		}
		wm.verify(exactly(1), postRequestedFor(urlEqualTo("/api/v1/hooks/tool/pre")));
	}

}
