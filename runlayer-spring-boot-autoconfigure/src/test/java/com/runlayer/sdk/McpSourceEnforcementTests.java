package com.runlayer.sdk;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.transport.HookEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Direct MCP source enforcement on the cursor route (docs/protocol.md, "Direct MCP source route").
 */
class McpSourceEnforcementTests {

	private static final String CURSOR = "/api/v1/hooks/cursor";

	private static final String API_KEY = "rl_user_key_abcdef";

	private static final String SERVER_URL = "https://tenant.runlayer.com/api/v1/proxy/server-id/mcp";

	private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private RunlayerClient client(Consumer<RunlayerClient.Builder> customizer) {
		RunlayerClient.Builder builder = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey(API_KEY)
			.directMcpSourceEnforcementPath(CURSOR);
		customizer.accept(builder);
		return builder.build();
	}

	private RunlayerClient client() {
		return client((b) -> {
		});
	}

	private static McpSourceCheck githubCheck() {
		return McpSourceCheck.ofUrl("generation-1", "session-1", "mcp__github__list_repos", SERVER_URL);
	}

	private static void answer(String json) {
		wm.stubFor(post(CURSOR).willReturn(okJson(json)));
	}

	@Test
	void anAllowedSourcePostsTheCursorRouteBodyWithApiKeyAndIdempotencyKey() {
		answer("{\"permission\":\"allow\"}");
		try (RunlayerClient client = client()) {
			assertThatNoException().isThrownBy(() -> client.enforceMcpSource(githubCheck()));
		}
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(CURSOR))
			.withHeader("Content-Type", containing("application/json"))
			.withHeader("x-runlayer-api-key", equalTo(API_KEY))
			.withHeader("Authorization", absent())
			.withHeader("x-runlayer-idempotency-key", matching(UUID_PATTERN))
			.withRequestBody(matchingJsonPath("$.hook_event_name", equalTo("beforeMCPExecution")))
			.withRequestBody(matchingJsonPath("$.client", equalTo("python-sdk")))
			.withRequestBody(matchingJsonPath("$.conversation_id", equalTo("session-1")))
			.withRequestBody(matchingJsonPath("$.generation_id", equalTo("generation-1")))
			.withRequestBody(matchingJsonPath("$.tool_name", equalTo("mcp__github__list_repos")))
			.withRequestBody(matchingJsonPath("$.tool_input", equalTo("{}")))
			.withRequestBody(matchingJsonPath("$.url", equalTo(SERVER_URL)))
			.withRequestBody(matchingJsonPath("$.command", absent()))
			.withRequestBody(matchingJsonPath("$.payload", absent())));
	}

	@Test
	void aCommandSourceSendsTheCommandServerNameAndTheInputAsJsonText() {
		answer("{\"permission\":\"allow\"}");
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("owner", "acme");
		try (RunlayerClient client = client((b) -> b.client("java-agent"))) {
			client.enforceMcpSource(new McpSourceCheck("g2", "s2", "list_repos", null, "npx -y @acme/github-mcp",
					"github", input));
		}
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(CURSOR))
			.withRequestBody(matchingJsonPath("$.client", equalTo("java-agent")))
			.withRequestBody(matchingJsonPath("$.command", equalTo("npx -y @acme/github-mcp")))
			.withRequestBody(matchingJsonPath("$.mcp_server_name", equalTo("github")))
			.withRequestBody(matchingJsonPath("$.tool_input", equalTo("{\"owner\":\"acme\"}")))
			.withRequestBody(matchingJsonPath("$.url", absent())));
	}

	@Test
	void theConfiguredPathIsUsed() {
		wm.stubFor(post("/custom/mcp-enforce").willReturn(okJson("{\"permission\":\"allow\"}")));
		try (RunlayerClient client = client((b) -> b.directMcpSourceEnforcementPath("/custom/mcp-enforce"))) {
			client.enforceMcpSource(githubCheck());
		}
		wm.verify(exactly(1), postRequestedFor(urlEqualTo("/custom/mcp-enforce")));
	}

	@Test
	void thePathIsReadFromTheEnvironment() {
		answer("{\"permission\":\"allow\"}");
		Map<String, String> env = Map.of("RUNLAYER_BASE_URL", wm.baseUrl(), "RUNLAYER_ALLOW_INSECURE_TRANSPORT", "1",
				"RUNLAYER_API_KEY", API_KEY, "RUNLAYER_DIRECT_MCP_SOURCE_ENFORCEMENT_PATH", CURSOR);
		try (RunlayerClient client = RunlayerClient.fromEnvironment(env, (b) -> {
		})) {
			assertThat(client.directMcpSourceEnforcementPath()).isEqualTo(CURSOR);
			client.enforceMcpSource(githubCheck());
		}
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(CURSOR)));
	}

	@Test
	void aDeniedSourceThrowsWithTheUserMessageAsReason() {
		answer("{\"permission\":\"deny\",\"user_message\":\"Server not approved\",\"agent_message\":\"Do not call\"}");
		try (RunlayerClient client = client()) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.enforceMcpSource(githubCheck()))
				.satisfies((ex) -> {
					assertThat(ex.stage()).isEqualTo(EnforcementStage.MCP_SOURCE);
					assertThat(ex.reason()).isEqualTo("Server not approved");
					assertThat(ex.outage()).isFalse();
				});
		}
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(CURSOR)));
	}

	@Test
	void aDenyWithoutUserMessageHasADefaultReason() {
		answer("{\"permission\":\"deny\"}");
		try (RunlayerClient client = client()) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.enforceMcpSource(githubCheck()))
				.satisfies((ex) -> assertThat(ex.reason()).isNotBlank());
		}
	}

	@Test
	void aNullPermissionAllows() {
		answer("{\"permission\":null}");
		try (RunlayerClient client = client()) {
			assertThatNoException().isThrownBy(() -> client.enforceMcpSource(githubCheck()));
		}
	}

	@Test
	void anUnknownPermissionBlocksInClosedMode() {
		answer("{\"permission\":\"ask\"}");
		try (RunlayerClient client = client()) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.enforceMcpSource(githubCheck()))
				.satisfies((ex) -> {
					assertThat(ex.stage()).isEqualTo(EnforcementStage.MCP_SOURCE);
					assertThat(ex.getMessage()).contains("ask");
				});
		}
	}

	@Test
	void anUnknownPermissionAllowsInOpenMode() {
		answer("{\"permission\":\"ask\"}");
		try (RunlayerClient client = client((b) -> b.enforcementFailureMode(EnforcementFailureMode.OPEN))) {
			assertThatNoException().isThrownBy(() -> client.enforceMcpSource(githubCheck()));
		}
		try (RunlayerClient client = client()) {
			assertThatNoException()
				.isThrownBy(() -> client.enforceMcpSource(githubCheck(), EnforcementFailureMode.OPEN));
		}
	}

	@Test
	void anAnswerWithADuplicateKeyIsAnOutageInClosedModeAndAllowsInOpenMode() {
		answer("{\"permission\":\"deny\",\"user_message\":\"no\",\"permission\":null}");
		try (RunlayerClient client = client()) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.enforceMcpSource(githubCheck()))
				.satisfies((ex) -> {
					assertThat(ex.outage()).isTrue();
					assertThat(ex.getMessage()).contains("duplicate");
				});
		}
		try (RunlayerClient client = client((b) -> b.enforcementFailureMode(EnforcementFailureMode.OPEN))) {
			assertThatNoException().isThrownBy(() -> client.enforceMcpSource(githubCheck()));
		}
	}

	@Test
	void aMissingPermissionKeyIsAnOutage() {
		answer("{\"user_message\":\"hello\"}");
		try (RunlayerClient client = client()) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.enforceMcpSource(githubCheck()))
				.satisfies((ex) -> {
					assertThat(ex.outage()).isTrue();
					assertThat(ex.getMessage()).contains("permission");
				});
		}
	}

	@Test
	void anUnreachableRouteBlocksInClosedModeAndAllowsInOpenMode() {
		wm.stubFor(post(CURSOR).willReturn(aResponse().withStatus(503)));
		try (RunlayerClient client = client((b) -> b.maxRetries(0))) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.enforceMcpSource(githubCheck()))
				.satisfies((ex) -> assertThat(ex.outage()).isTrue())
				.withMessageContaining("503")
				.withMessageNotContaining(API_KEY);
		}
		try (RunlayerClient client = client((b) -> b.maxRetries(0).enforcementFailureMode(EnforcementFailureMode.OPEN))) {
			assertThatNoException().isThrownBy(() -> client.enforceMcpSource(githubCheck()));
		}
	}

	@Test
	void aMissingRouteIsADefinitiveRefusalInBothModes() {
		wm.stubFor(post(CURSOR).willReturn(aResponse().withStatus(404)));
		for (EnforcementFailureMode mode : EnforcementFailureMode.values()) {
			try (RunlayerClient client = client((b) -> b.enforcementFailureMode(mode))) {
				assertThatExceptionOfType(RunlayerBlockedException.class)
					.isThrownBy(() -> client.enforceMcpSource(githubCheck()))
					.satisfies((ex) -> assertThat(ex.outage()).isFalse())
					.withMessageContaining("404")
					.withMessageNotContaining(API_KEY);
			}
		}
	}

	@Test
	void aServerErrorIsRetriedWithTheSameIdempotencyKey() {
		wm.stubFor(post(CURSOR).inScenario("flaky").whenScenarioStateIs("Started")
			.willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
		wm.stubFor(post(CURSOR).inScenario("flaky").whenScenarioStateIs("up")
			.willReturn(okJson("{\"permission\":\"allow\"}")));
		try (RunlayerClient client = client()) {
			client.enforceMcpSource(githubCheck());
		}
		var requests = wm.findAll(postRequestedFor(urlEqualTo(CURSOR)));
		assertThat(requests).hasSize(2);
		assertThat(requests.get(0).getHeader("x-runlayer-idempotency-key"))
			.isEqualTo(requests.get(1).getHeader("x-runlayer-idempotency-key"));
	}

	@Test
	void agentAccountAuthIsRejectedBeforeAnyCallWithAMessageNamingTheApiKey() {
		try (RunlayerClient client = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.agentClientId("client_1")
			.agentClientSecret("agent-secret-value")
			.directMcpSourceEnforcementPath(CURSOR)
			.build()) {
			assertThatExceptionOfType(RunlayerConfigurationException.class)
				.isThrownBy(() -> client.enforceMcpSource(githubCheck()))
				.withMessageContaining("RUNLAYER_API_KEY")
				.withMessageContaining("agent")
				.withMessageNotContaining("agent-secret-value");
		}
		wm.verify(exactly(0), anyRequestedFor(anyUrl()));
	}

	@Test
	void anUnsetPathIsAConfigurationErrorNamingTheSetting() {
		try (RunlayerClient client = client((b) -> b.directMcpSourceEnforcementPath(null))) {
			assertThatExceptionOfType(RunlayerConfigurationException.class)
				.isThrownBy(() -> client.enforceMcpSource(githubCheck()))
				.withMessageContaining("RUNLAYER_DIRECT_MCP_SOURCE_ENFORCEMENT_PATH")
				.withMessageContaining("runlayer.direct-mcp-source-enforcement-path")
				.satisfies((ex) -> assertThat(ex.setting())
					.isEqualTo(RunlayerSetting.DIRECT_MCP_SOURCE_ENFORCEMENT_PATH));
		}
		wm.verify(exactly(0), anyRequestedFor(anyUrl()));
	}

	@Test
	void aBlankPathCountsAsUnset() {
		try (RunlayerClient client = client((b) -> b.directMcpSourceEnforcementPath("  "))) {
			assertThat(client.directMcpSourceEnforcementPath()).isNull();
			assertThatExceptionOfType(RunlayerConfigurationException.class)
				.isThrownBy(() -> client.enforceMcpSource(githubCheck()));
		}
	}

	@Test
	void aFullUrlAsPathIsAConfigurationError() {
		assertThatExceptionOfType(RunlayerConfigurationException.class)
			.isThrownBy(() -> client((b) -> b.directMcpSourceEnforcementPath("https://evil.example/api/v1/hooks/cursor")))
			.withMessageContaining("RUNLAYER_DIRECT_MCP_SOURCE_ENFORCEMENT_PATH");
	}

	@Test
	void theDefaultTimeoutIsTenSecondsUnlessOverridden() {
		try (RunlayerClient client = client()) {
			assertThat(client.transportTimeout(HookEndpoint.MCP_SOURCE)).isEqualTo(Duration.ofSeconds(10));
		}
		try (RunlayerClient client = client((b) -> b.timeout(Duration.ofMillis(2500)))) {
			assertThat(client.transportTimeout(HookEndpoint.MCP_SOURCE)).isEqualTo(Duration.ofMillis(2500));
		}
	}

	@Test
	void aSlowAnswerPastTheTimeoutBlocksAsAnOutage() {
		wm.stubFor(post(CURSOR).willReturn(okJson("{\"permission\":\"allow\"}").withFixedDelay(3000)));
		try (RunlayerClient client = client((b) -> b.timeout(Duration.ofMillis(500)))) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.enforceMcpSource(githubCheck()))
				.satisfies((ex) -> assertThat(ex.outage()).isTrue());
		}
	}

	@Test
	void aCheckNeedsExactlyOneOfUrlAndCommand() {
		try (RunlayerClient client = client()) {
			assertThatExceptionOfType(RunlayerException.class).isThrownBy(
					() -> client.enforceMcpSource(new McpSourceCheck("g", "s", "t", SERVER_URL, "npx x", null, null)))
				.withMessageContaining("exactly one of url or command");
			assertThatExceptionOfType(RunlayerException.class)
				.isThrownBy(() -> client.enforceMcpSource(new McpSourceCheck("g", "s", "t", " ", null, null, null)));
		}
		wm.verify(exactly(0), anyRequestedFor(anyUrl()));
	}

	@Test
	void sessionToolNameAndGenerationIdAreRequired() {
		try (RunlayerClient client = client()) {
			assertThatExceptionOfType(RunlayerException.class)
				.isThrownBy(() -> client.enforceMcpSource(McpSourceCheck.ofUrl("g", null, "t", SERVER_URL)))
				.withMessageContaining("sessionId");
			assertThatExceptionOfType(RunlayerException.class)
				.isThrownBy(() -> client.enforceMcpSource(McpSourceCheck.ofUrl(null, "s", "t", SERVER_URL)))
				.withMessageContaining("generationId");
		}
		wm.verify(exactly(0), anyRequestedFor(anyUrl()));
	}

}
