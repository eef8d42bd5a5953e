package com.runlayer.sdk;

import java.io.IOException;
import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.ALLOW;
import static com.runlayer.sdk.WireSupport.PASS;
import static com.runlayer.sdk.WireSupport.POST;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.bash;
import static com.runlayer.sdk.WireSupport.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A failing tool's exception reaches the caller without waiting for Runlayer: {@code PostToolUseFailure} is sent from
 * the session's ordered event lane, and a per-session flush (or close) waits for it.
 */
class FailureTelemetryDispatchTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void aFailingToolsExceptionIsNotDelayedByASlowRunlayer() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		// Runlayer takes 6 s to take the failure telemetry
		wm.stubFor(post(POST).willReturn(okJson(PASS).withFixedDelay(6000)));
		IOException failure = new IOException("disk on fire");
		try (RunlayerClient client = client(wm).timeout(Duration.ofSeconds(10)).build()) {
			long started = System.nanoTime();
			Throwable thrown = catchThrowable(() -> client.runTool(bash("df"), (input) -> {
				throw failure;
			}));
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			assertThat(thrown).isSameAs(failure);
			// generous for a loaded CI machine, far below the 6 s Runlayer takes
			assertThat(took).isLessThan(Duration.ofMillis(4000));
			client.eventDispatcher().awaitSession(bash("df").sessionId(), Duration.ofSeconds(10));
			wm.verify(1, postRequestedFor(urlEqualTo(POST))
				.withRequestBody(matchingJsonPath("$.event_name", equalTo("PostToolUseFailure")))
				.withRequestBody(matchingJsonPath("$.payload.error", equalTo("java.io.IOException: disk on fire"))));
		}
	}

}
