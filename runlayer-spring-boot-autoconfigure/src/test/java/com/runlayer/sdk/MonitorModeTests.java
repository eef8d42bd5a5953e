package com.runlayer.sdk;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import ch.qos.logback.classic.Level;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.adapters.AdapterOptions;
import com.runlayer.sdk.adapters.RunlayerAdapters;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.observe.RunlayerDecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.ALLOW;
import static com.runlayer.sdk.WireSupport.PASS;
import static com.runlayer.sdk.WireSupport.POST;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.bash;
import static com.runlayer.sdk.WireSupport.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Monitor mode through the client against a WireMock Runlayer: tool/pre and tool/post are sent with the real
 * payloads, nothing is applied, and every would-be change is logged once at INFO and reported with
 * {@code applied == false} and its full context.
 */
class MonitorModeTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final RecordingObserver observer = new RecordingObserver();

	private RunlayerClient monitoring() {
		return client(wm).mode(RunlayerMode.MONITOR).maxRetries(0).observer(this.observer).build();
	}

	@Test
	void denyIsReportedButTheToolRunsWithItsArguments() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"rm is not allowed\"}")));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
		try (LogCapture logs = new LogCapture(); RunlayerClient client = monitoring()) {
			Object out = client.runTool(bash("rm -rf /tmp/x"), (input) -> {
				seen.set(input);
				return "removed";
			});
			assertThat(out).isEqualTo("removed");
			assertThat(logs.events(Level.INFO)).filteredOn((e) -> e.getFormattedMessage().contains("monitor mode"))
				.singleElement()
				.satisfies((e) -> assertThat(e.getFormattedMessage()).contains("deny", "'Bash'", "session-1",
						"rm is not allowed"));
		}
		assertThat(seen.get()).containsExactly(Map.entry("command", "rm -rf /tmp/x"));
		wm.verify(1, postRequestedFor(urlEqualTo(PRE)).withRequestBody(
				matchingJsonPath("$.payload.tool_input.command", equalTo("rm -rf /tmp/x"))));
		wm.verify(1, postRequestedFor(urlEqualTo(POST))
			.withRequestBody(matchingJsonPath("$.payload.tool_response", equalTo("removed"))));
		RunlayerDecision deny = this.observer.decisions.get(0);
		assertThat(deny.decision()).isEqualTo(EnforcementDecision.DENY);
		assertThat(deny.applied()).isFalse();
		assertThat(deny.mode()).isEqualTo(RunlayerMode.MONITOR);
		assertThat(deny.sessionId()).isEqualTo("session-1");
		assertThat(deny.toolName()).isEqualTo("Bash");
		assertThat(deny.toolUseId()).isNotBlank();
		assertThat(deny.stage()).isEqualTo(EnforcementStage.PRE_TOOL);
		assertThat(deny.reason()).isEqualTo("rm is not allowed");
		assertThat(deny.outage()).isFalse();
		assertThat(deny.duration()).isPositive();
		RunlayerDecision post = this.observer.decisions.get(1);
		assertThat(post.decision()).isEqualTo(EnforcementDecision.ALLOW);
		assertThat(post.applied()).isTrue();
		assertThat(post.stage()).isEqualTo(EnforcementStage.POST_TOOL);
		assertThat(post.toolUseId()).isEqualTo(deny.toolUseId());
	}

	@Test
	void rewriteIsReportedButTheToolGetsTheOriginalArguments() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\",\"modified_args\":{\"command\":\"ls -la\"}}")));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
		try (RunlayerClient client = monitoring()) {
			ToolInvocation invocation = client.beginTool(bash("ls /secret"));
			assertThat(invocation.rewritten()).isFalse();
			assertThat(invocation.mode()).isEqualTo(RunlayerMode.MONITOR);
			seen.set(invocation.input());
			invocation.complete("files");
		}
		assertThat(seen.get()).containsExactly(Map.entry("command", "ls /secret"));
		// tool/post carries the input the tool really ran with
		wm.verify(1, postRequestedFor(urlEqualTo(POST))
			.withRequestBody(matchingJsonPath("$.payload.tool_input.command", equalTo("ls /secret"))));
		assertThat(this.observer.decisions.get(0).decision()).isEqualTo(EnforcementDecision.REWRITE);
		assertThat(this.observer.decisions.get(0).applied()).isFalse();
	}

	@Test
	void blockedOutputIsReportedButReturned() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":true,\"block_reason\":\"secret in output\"}")));
		try (RunlayerClient client = monitoring()) {
			assertThat(client.runTool(bash("cat .env"), (input) -> "KEY=1")).isEqualTo("KEY=1");
		}
		RunlayerDecision block = this.observer.decisions.get(1);
		assertThat(block.decision()).isEqualTo(EnforcementDecision.BLOCK);
		assertThat(block.applied()).isFalse();
		assertThat(block.reason()).isEqualTo("secret in output");
		assertThat(block.stage()).isEqualTo(EnforcementStage.POST_TOOL);
	}

	@Test
	void maskedOutputIsReportedButTheOriginalIsReturned() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false,\"modified_output\":\"email: [REDACTED]\"}")));
		try (RunlayerClient client = monitoring()) {
			assertThat(client.runTool(bash("whoami"), (input) -> "email: a@b.c")).isEqualTo("email: a@b.c");
		}
		assertThat(this.observer.decisions.get(1).decision()).isEqualTo(EnforcementDecision.MASK);
		assertThat(this.observer.decisions.get(1).applied()).isFalse();
	}

	@Test
	void outageInClosedModeNeverBlocksAndIsReportedAsAnOutage() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		wm.stubFor(post(POST).willReturn(serverError()));
		try (LogCapture logs = new LogCapture(); RunlayerClient client = monitoring()) {
			assertThat(client.runTool(bash("ls"), (input) -> "ok")).isEqualTo("ok");
			assertThat(logs.events(Level.INFO)).filteredOn((e) -> e.getFormattedMessage().contains("monitor mode"))
				.hasSize(2);
		}
		assertThat(this.observer.decisions).hasSize(2).allSatisfy((d) -> {
			assertThat(d.decision()).isEqualTo(EnforcementDecision.OUTAGE);
			assertThat(d.outage()).isTrue();
			assertThat(d.applied()).isFalse();
			assertThat(d.reason()).contains("500");
		});
	}

	@Test
	void aRefusalIsReportedAsAnUnappliedDenyAndLoggedAtError() {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(401)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (LogCapture logs = new LogCapture(); RunlayerClient client = monitoring()) {
			assertThat(client.runTool(bash("ls"), (input) -> "ok")).isEqualTo("ok");
			assertThat(logs.events(Level.ERROR)).singleElement()
				.satisfies((e) -> assertThat(e.getFormattedMessage()).contains("HTTP 401", "RUNLAYER_API_KEY"));
		}
		assertThat(this.observer.decisions).filteredOn((d) -> d.decision() == EnforcementDecision.DENY)
			.singleElement()
			.satisfies((d) -> {
				assertThat(d.outage()).isFalse();
				assertThat(d.applied()).isFalse();
				assertThat(d.reason()).contains("401");
			});
	}

	@Test
	void enforceModeStillBlocksAndReportsApplied() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"no\"}")));
		try (RunlayerClient client = client(wm).observer(this.observer).build()) {
			assertThatThrownBy(() -> client.runTool(bash("rm"), (input) -> "never"))
				.isInstanceOf(RunlayerBlockedException.class);
		}
		assertThat(this.observer.decisions).singleElement().satisfies((d) -> {
			assertThat(d.decision()).isEqualTo(EnforcementDecision.DENY);
			assertThat(d.applied()).isTrue();
			assertThat(d.mode()).isEqualTo(RunlayerMode.ENFORCE);
		});
	}

	@Test
	void oneToolInMonitorModeWhileTheRestEnforce() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"no\"}")));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = client(wm)
			.tool("Bash", new ToolSettings(null, RunlayerMode.MONITOR, null, null, null))
			.build()) {
			assertThat(client.mode()).isEqualTo(RunlayerMode.ENFORCE);
			assertThat(client.mode("Bash")).isEqualTo(RunlayerMode.MONITOR);
			assertThat(client.runTool(bash("rm"), (input) -> "ran")).isEqualTo("ran");
			ToolCall other = ToolCall.builder().sessionId("s").toolName("Write").toolInput(Map.of()).build();
			assertThatThrownBy(() -> client.runTool(other, (input) -> "never"))
				.isInstanceOf(RunlayerBlockedException.class);
		}
	}

	@Test
	void adapterPathRunsTheDeniedToolInMonitorMode() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"no\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":true,\"block_reason\":\"leak\"}")));
		try (RunlayerClient client = monitoring()) {
			Object out = RunlayerAdapters.runRunlayerAdapterTool("lookup_ticket",
					(input, context) -> "ticket " + input.get("id"), Map.of("id", "T-1"),
					AdapterOptions.of(client, "session-1"));
			assertThat(out).isEqualTo("ticket T-1");
		}
		assertThat(this.observer.decisions).extracting(RunlayerDecision::decision)
			.containsExactly(EnforcementDecision.DENY, EnforcementDecision.BLOCK);
		assertThat(this.observer.decisions).allSatisfy((d) -> {
			assertThat(d.applied()).isFalse();
			assertThat(d.toolName()).isEqualTo("lookup_ticket");
		});
	}

	@Test
	void mcpSourceDenyIsOnlyReportedInMonitorMode() {
		wm.stubFor(post("/api/v1/hooks/cursor").willReturn(
				okJson("{\"permission\":\"deny\",\"user_message\":\"Server not approved\",\"agent_message\":\"x\"}")));
		try (RunlayerClient client = client(wm).mode(RunlayerMode.MONITOR)
			.directMcpSourceEnforcementPath("/api/v1/hooks/cursor")
			.observer(this.observer)
			.build()) {
			client.enforceMcpSource(McpSourceCheck.ofUrl("g1", "s1", "mcp__github__list_repos",
					"https://mcp.example.com/mcp"));
		}
		assertThat(this.observer.decisions).singleElement().satisfies((d) -> {
			assertThat(d.decision()).isEqualTo(EnforcementDecision.BLOCK);
			assertThat(d.applied()).isFalse();
			assertThat(d.stage()).isEqualTo(EnforcementStage.MCP_SOURCE);
			assertThat(d.reason()).isEqualTo("Server not approved");
		});
	}

	@Test
	void modeParsesConfigurationText() {
		assertThat(RunlayerMode.parse(" Monitor ")).isEqualTo(RunlayerMode.MONITOR);
		assertThatThrownBy(() -> RunlayerMode.parse("audit")).isInstanceOf(RunlayerConfigurationException.class)
			.hasMessageContaining("runlayer.mode");
	}

}
