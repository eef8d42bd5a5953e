package com.runlayer.sdk.transport;

import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The transport calls the JDK HttpClient directly: headers, the deadline over a stalled body, the response bound.
 */
class HookTransportDeadlineTests {

	private static final String PRE = "/api/v1/hooks/tool/pre";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void sendsTheProtocolHeaders() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post("/api/v1/hooks/tool/post").willReturn(okJson("{\"blocked\":false}")));
		try (RunlayerClient client = client(Duration.ofSeconds(5))) {
			client.runTool(call(), (in) -> "ok");
		}
		wm.verify(postRequestedFor(urlEqualTo(PRE)).withHeader("x-runlayer-api-key", equalTo("rl_test_key"))
			.withHeader("Content-Type", equalTo("application/json"))
			.withHeader("Accept", equalTo("application/json"))
			.withHeader("User-Agent", equalTo("Runlayer-Java-SDK/" + RunlayerClient.sdkVersion()))
			.withHeader(HookTransport.IDEMPOTENCY_HEADER, com.github.tomakehurst.wiremock.client.WireMock.matching(
					"[0-9a-f-]{36}")));
	}

	@Test
	void bodyThatStallsAfterTheHeadersIsATimeoutOutage() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\",\"padding\":\"" + "x".repeat(200) + "\"}")
			.withChunkedDribbleDelay(20, 6000)));
		long started = System.nanoTime();
		try (RunlayerClient client = client(Duration.ofMillis(700))) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.runTool(call(), (in) -> "ran"))
				.satisfies((ex) -> assertThat(ex.outage()).isTrue())
				.withMessageContaining("did not answer within 700 ms");
		}
		// generous bound: the dribble would take 6 s
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(4500));
	}

	@Test
	void answerOverTheResponseBoundIsAnOutage() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\",\"padding\":\"" + "x".repeat(5000) + "\"}")));
		try (RunlayerClient client = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey("rl_test_key")
			.maxResponseBytes(1024)
			.build()) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.runTool(call(), (in) -> "ran"))
				.satisfies((ex) -> assertThat(ex.outage()).isTrue())
				.withMessageContaining("over 1024 bytes");
		}
	}

	private static RunlayerClient client(Duration timeout) {
		return RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey("rl_test_key")
			.timeout(timeout)
			.maxRetries(0)
			.build();
	}

	private static ToolCall call() {
		return ToolCall.builder().sessionId("s1").toolName("Bash").toolType("shell").toolInput(Map.of("command", "ls"))
			.build();
	}

}
