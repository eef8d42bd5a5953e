package com.runlayer.spring.ai;

import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.McpSourceCheck;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.spring.ai.SpringAiTestApp.CURSOR;
import static com.runlayer.spring.ai.SpringAiTestApp.PRE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Runlayer's {@code agent_message} of a deny is kept on the exception and is what the model is told on the Spring AI
 * feedback path; without one the model gets the reason.
 */
class AgentMessageFeedbackTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private RunlayerClient client() {
		return RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey("rl_test_key")
			.directMcpSourceEnforcementPath(CURSOR)
			.build();
	}

	private static ToolCall call() {
		return ToolCall.builder().sessionId("s1").toolName("Bash").toolInput(Map.of("command", "rm -rf /")).build();
	}

	@Test
	void aPreToolDenyKeepsTheAgentMessageAndTheModelIsToldIt() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"destructive command\","
				+ "\"agent_message\":\"Do not delete files; ask the user instead.\"}")));
		try (RunlayerClient client = client()) {
			RunlayerBlockedException ex = catchThrowableOfType(RunlayerBlockedException.class,
					() -> client.runTool(call(), (input) -> "ran"));
			assertThat(ex.reason()).isEqualTo("destructive command");
			assertThat(ex.agentMessage()).isEqualTo("Do not delete files; ask the user instead.");
			assertThat(RunlayerToolExecutionException.feedback("Bash", ex))
				.isEqualTo("Do not delete files; ask the user instead.");
		}
	}

	@Test
	void anMcpSourceDenyKeepsTheAgentMessage() {
		wm.stubFor(post(CURSOR).willReturn(okJson("{\"permission\":\"deny\",\"user_message\":\"Server not approved\","
				+ "\"agent_message\":\"Do not call this server\"}")));
		try (RunlayerClient client = client()) {
			RunlayerBlockedException ex = catchThrowableOfType(RunlayerBlockedException.class,
					() -> client.enforceMcpSource(McpSourceCheck.ofUrl("g1", "s1", "mcp__github__list_repos",
							"https://mcp.example.com/mcp")));
			assertThat(ex.reason()).isEqualTo("Server not approved");
			assertThat(ex.agentMessage()).isEqualTo("Do not call this server");
			assertThat(RunlayerToolExecutionException.feedback("mcp__github__list_repos", ex))
				.isEqualTo("Do not call this server");
		}
	}

	@Test
	void withoutAnAgentMessageTheModelIsToldTheReason() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"destructive command\"}")));
		try (RunlayerClient client = client()) {
			RunlayerBlockedException ex = catchThrowableOfType(RunlayerBlockedException.class,
					() -> client.runTool(call(), (input) -> "ran"));
			assertThat(ex.agentMessage()).isNull();
			assertThat(RunlayerToolExecutionException.feedback("Bash", ex)).contains("destructive command");
		}
	}

}
