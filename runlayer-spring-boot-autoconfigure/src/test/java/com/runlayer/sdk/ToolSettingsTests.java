package com.runlayer.sdk;

import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.observe.EnforcementDecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
 * Per-tool settings against a WireMock Runlayer: {@code enforce=false} skips like the filters, the precedence
 * tool setting &gt; per-call (annotation) failure mode &gt; client default, and the tool's own timeouts.
 */
class ToolSettingsTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private static ToolSettings failureMode(EnforcementFailureMode mode) {
		return new ToolSettings(null, null, mode, null, null);
	}

	@Test
	void enforceFalseSkipsTheToolLikeTheFilters() {
		RecordingObserver observer = new RecordingObserver();
		try (RunlayerClient client = client(wm).tool("Bash", new ToolSettings(false, null, null, null, null))
			.observer(observer)
			.build()) {
			assertThat(client.shouldEnforceTool(ToolDescriptor.of("Bash"))).isFalse();
			assertThat(client.shouldEnforceTool(ToolDescriptor.of("Write"))).isTrue();
			assertThat(client.toolEnforcement().ignoredToolNames()).contains("Bash");
			assertThat(client.runTool(bash("ls"), (input) -> "ran")).isEqualTo("ran");
		}
		wm.verify(0, postRequestedFor(urlEqualTo(PRE)));
		assertThat(observer.decisions).singleElement()
			.satisfies((d) -> assertThat(d.decision()).isEqualTo(EnforcementDecision.SKIPPED));
	}

	@Test
	void aToolTimeoutOverTheMaximumIsRefusedAtBuildNamingTheTool() {
		// the same bound as runlayer.timeout (10 minutes), named by the tool's property
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\"}")));
		RunlayerClient.Builder builder = client(wm).enforcementFailureMode(EnforcementFailureMode.OPEN)
			.tool("Bash", new ToolSettings(null, null, null, Duration.ofDays(109_500), null));
		assertThatThrownBy(builder::build).isInstanceOf(RunlayerConfigurationException.class)
			.hasMessageContaining("runlayer.tools.Bash.pre-timeout")
			.hasMessageContaining("at most 10 minutes");
		assertThatThrownBy(client(wm).tool("Bash", new ToolSettings(null, null, null, null, Duration.ofMinutes(11)))::build)
			.isInstanceOf(RunlayerConfigurationException.class)
			.hasMessageContaining("runlayer.tools.Bash.post-timeout");
		try (RunlayerClient client = client(wm).tool("Bash", new ToolSettings(null, null, null, Duration.ofMinutes(10),
				Duration.ofMinutes(10))).build()) {
			assertThatThrownBy(() -> client.runTool(bash("rm -rf /"), (input) -> "ran"))
				.isInstanceOf(RunlayerBlockedException.class);
		}
	}

	@Test
	void toolSettingWinsOverTheCallsFailureMode() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		wm.stubFor(post(POST).willReturn(serverError()));
		try (RunlayerClient client = client(wm).maxRetries(0)
			.tool("Bash", failureMode(EnforcementFailureMode.OPEN))
			.build()) {
			// the annotation says closed, the property says open: the property wins
			ToolInvocation invocation = client.beginTool(bash("ls"), EnforcementFailureMode.CLOSED);
			assertThat(invocation.complete("out")).isEqualTo("out");
		}
		try (RunlayerClient client = client(wm).maxRetries(0)
			.enforcementFailureMode(EnforcementFailureMode.OPEN)
			.tool("Bash", failureMode(EnforcementFailureMode.CLOSED))
			.build()) {
			assertThatThrownBy(() -> client.beginTool(bash("ls"), EnforcementFailureMode.OPEN))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.outage()).isTrue());
		}
	}

	@Test
	void callsFailureModeWinsOverTheClientDefault() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		try (RunlayerClient client = client(wm).maxRetries(0).tool("Other", failureMode(EnforcementFailureMode.CLOSED))
			.build()) {
			assertThat(client.beginTool(bash("ls"), EnforcementFailureMode.OPEN).input()).containsKey("command");
			assertThatThrownBy(() -> client.beginTool(bash("ls"))).isInstanceOf(RunlayerBlockedException.class);
		}
	}

	@Test
	void toolTimeoutsBoundItsOwnCallsOnly() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW).withFixedDelay(2000)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = client(wm).maxRetries(0)
			.tool("Bash", new ToolSettings(null, null, null, Duration.ofMillis(200), null))
			.build()) {
			long started = System.nanoTime();
			assertThatThrownBy(() -> client.beginTool(bash("ls")))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
					assertThat(ex.outage()).isTrue();
					assertThat(ex.reason()).contains("200 ms");
				});
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
			// another tool keeps the 30 s default and gets the slow answer
			ToolCall other = ToolCall.builder().sessionId("s").toolName("Write").toolInput(Map.of()).build();
			assertThat(client.beginTool(other).enforced()).isTrue();
		}
	}

	@Test
	void postTimeoutAppliesToToolPost() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS).withFixedDelay(2000)));
		try (RunlayerClient client = client(wm).maxRetries(0)
			.tool("Bash", new ToolSettings(null, null, null, null, Duration.ofMillis(200)))
			.build()) {
			ToolInvocation invocation = client.beginTool(bash("ls"));
			assertThatThrownBy(() -> invocation.complete("out"))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
					assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL);
					assertThat(ex.reason()).contains("200 ms");
				});
		}
	}

	@Test
	void invalidTimeoutsAreRefused() {
		assertThatThrownBy(() -> new ToolSettings(null, null, null, Duration.ZERO, null))
			.isInstanceOf(RunlayerConfigurationException.class)
			.hasMessageContaining("pre-timeout");
	}

}
