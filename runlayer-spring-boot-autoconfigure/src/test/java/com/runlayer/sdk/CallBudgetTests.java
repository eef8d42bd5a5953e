package com.runlayer.sdk;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.EVENTS;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.client;
import static com.runlayer.sdk.WireSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Time budgets: a call never takes more than 28 s whatever its timeout, no attempt after the first starts with less
 * than 2 s left, and transcript chunks get their own 10 s timeout rather than the 5 s of other events.
 */
class CallBudgetTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void aCallEndsWithin28SecondsEvenWithALongerTimeout() {
		wm.stubFor(post(PRE).willReturn(okJson(WireSupport.ALLOW).withFixedDelay(40_000)));
		try (RunlayerClient client = client(wm).timeout(Duration.ofSeconds(60)).build()) {
			long started = System.nanoTime();
			assertThatThrownBy(() -> client.runTool(WireSupport.bash("ls"), (input) -> "ran"))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
					assertThat(ex.outage()).isTrue();
					assertThat(ex.reason()).contains("28000 ms");
				});
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			assertThat(took).isBetween(Duration.ofMillis(27_500), Duration.ofMillis(31_000));
		}
	}

	@Test
	void noResendStartsWithLessThanTwoSecondsLeft() {
		// a compressed body refused after 1.5 s of a 3 s budget: the uncompressed resend would start with 1.5 s left
		wm.stubFor(post(PRE).inScenario("codec").whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(415).withFixedDelay(1500)).willSetStateTo("refused"));
		wm.stubFor(post(PRE).inScenario("codec").whenScenarioStateIs("refused").willReturn(okJson(WireSupport.ALLOW)));
		wm.stubFor(post(WireSupport.POST).willReturn(okJson(WireSupport.PASS)));
		String big = "x".repeat(32 * 1024);
		warmUp();
		try (RunlayerClient client = client(wm).compression(true).timeout(Duration.ofSeconds(3)).build()) {
			assertThatThrownBy(() -> client.runTool(ToolCall.builder()
				.sessionId("s1")
				.toolName("Write")
				.toolInput(Map.of("content", big))
				.build(), (input) -> "ran"))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
					assertThat(ex.outage()).isTrue();
					assertThat(ex.reason()).contains("3000 ms");
				});
		}
		assertThat(requests(wm, PRE)).hasSize(1);
	}

	/** The first call of a JVM loads the HTTP, JSON and logging classes, which on a busy machine takes seconds. */
	private static void warmUp() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		try (RunlayerClient client = client(wm).build()) {
			client.emitEventStrict("SessionStart", "warm-up", Map.of("big", "y".repeat(32 * 1024)));
		}
	}

	@Test
	void transcriptChunksUseTheTenSecondTranscriptTimeout() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}").withFixedDelay(7000)));
		try (RunlayerClient client = client(wm).build()) {
			assertThat(client.transportTimeout(com.runlayer.sdk.transport.HookEndpoint.TRANSCRIPT))
				.isEqualTo(Duration.ofSeconds(10));
			assertThatNoException().isThrownBy(() -> client.emitTranscriptStop(new TranscriptStop("s1", "claude-sonnet-4-6",
					List.of("{\"type\":\"assistant\",\"message\":{\"role\":\"assistant\",\"content\":\"hi\"}}"))));
		}
		assertThat(requests(wm, EVENTS)).hasSize(1);
	}

}
