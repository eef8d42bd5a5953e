package com.runlayer.sdk;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.runlayer.sdk.events.EventDispatcher;
import com.runlayer.sdk.hooks.OutputTruncator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.EVENTS;
import static com.runlayer.sdk.WireSupport.body;
import static com.runlayer.sdk.WireSupport.client;
import static com.runlayer.sdk.WireSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Best-effort events are bounded in memory: each text field is capped and marked like tool output, and the queue
 * is bounded in bytes as well as in count, so a hanging events endpoint cannot make the backlog grow with the size of
 * what is emitted.
 */
class EventBoundsTests {

	private static final int ONE_MB = 1024 * 1024;

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void aFiftyMegabytePromptIsPostedCappedAndMarked() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		String prompt = "p".repeat(50 * ONE_MB);
		try (RunlayerClient client = client(wm).build()) {
			client.emitUserPromptSubmit("s1", prompt);
		}
		List<LoggedRequest> sent = requests(wm, EVENTS);
		assertThat(sent).hasSize(1);
		assertThat(sent.get(0).getBody().length).isLessThan((int) (RunlayerClient.DEFAULT_EVENT_MAX_FIELD_BYTES + 4096));
		JsonNode payload = body(sent.get(0)).get("payload");
		assertThat(payload.get("prompt").stringValue())
			.endsWith(String.format(OutputTruncator.MARKER_FORMAT, 50L * ONE_MB));
		assertThat(payload.get("truncation").get("prompt").get("original_bytes").longValue()).isEqualTo(50L * ONE_MB);
		assertThat(payload.get("prompt").stringValue().getBytes(StandardCharsets.UTF_8).length)
			.isLessThanOrEqualTo((int) RunlayerClient.DEFAULT_EVENT_MAX_FIELD_BYTES);
	}

	@Test
	void aHangingEventsEndpointCannotMakeTheQueueHoldMoreBytesThanItsBound() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}").withFixedDelay(3000)));
		long maxBytes = 2L * ONE_MB;
		String prompt = "x".repeat(ONE_MB);
		try (RunlayerClient client = client(wm).timeout(Duration.ofMillis(500))
			// every event must wait its timeout here; an open breaker would fail them at once and drain the queue
			.circuitBreaker(CircuitBreakerSettings.disabled())
			.eventQueueMaxBytes(maxBytes)
			.eventShutdownTimeout(Duration.ofMillis(100))
			.build()) {
			EventDispatcher dispatcher = client.eventDispatcher();
			long peak = 0;
			for (int i = 0; i < 300; i++) {
				client.emitUserPromptSubmit("s-" + i, prompt);
				peak = Math.max(peak, dispatcher.queueBytes());
			}
			assertThat(dispatcher.maxBytes()).isEqualTo(maxBytes);
			assertThat(peak).isPositive().isLessThanOrEqualTo(maxBytes);
			// each capped event holds about 64 KiB: about 32 fit, the rest are dropped and counted
			assertThat(dispatcher.droppedCount()).isGreaterThan(200);
			assertThat(dispatcher.queueSize()).isLessThanOrEqualTo((int) (maxBytes / (64 * 1024)));
		}
	}

}
