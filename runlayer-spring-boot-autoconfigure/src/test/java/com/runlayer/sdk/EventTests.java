package com.runlayer.sdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.API_KEY;
import static com.runlayer.sdk.WireSupport.EVENTS;
import static com.runlayer.sdk.WireSupport.body;
import static com.runlayer.sdk.WireSupport.client;
import static com.runlayer.sdk.WireSupport.closedPort;
import static com.runlayer.sdk.WireSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Lifecycle events on the wire: envelope, timestamp stamping, best-effort versus strict. Best-effort events are
 * verified after {@link RunlayerClient#close()}, which flushes queued events whatever the dispatcher.
 */
class EventTests {

	private static final String ISO_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}\\+00:00";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void eventIsSentInTheEnvelopeWithATimestampStamped() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		try (RunlayerClient client = client(wm).clientVersion("agent/2").build()) {
			client.emitEvent("SessionEnd", "s1", Map.of("reason", "logout"));
		}
		JsonNode body = body(requests(wm, EVENTS).get(0));
		assertThat(body.get("client").stringValue()).isEqualTo("python-sdk");
		assertThat(body.get("event_name").stringValue()).isEqualTo("SessionEnd");
		assertThat(body.has("tool_name")).isFalse();
		assertThat(body.has("transcript")).isFalse();
		JsonNode payload = body.get("payload");
		assertThat(payload.get("session_id").stringValue()).isEqualTo("s1");
		assertThat(payload.get("hook_event_name").stringValue()).isEqualTo("SessionEnd");
		assertThat(payload.get("reason").stringValue()).isEqualTo("logout");
		assertThat(payload.get("timestamp").stringValue()).matches(ISO_UTC);
		assertThat(payload.get("client_version").stringValue()).isEqualTo("agent/2");
		LoggedRequest request = requests(wm, EVENTS).get(0);
		assertThat(request.getHeader("x-runlayer-api-key")).isEqualTo(API_KEY);
		assertThat(request.containsHeader("x-runlayer-idempotency-key")).isFalse();
	}

	@Test
	void thePayloadAlwaysNamesTheEventAndTheSessionItIsSentFor() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		try (RunlayerClient client = client(wm).build()) {
			client.emitEventStrict("Stop", "s1", Map.of("hook_event_name", "UserPromptSubmit", "session_id", "other",
					"stop_hook_active", false));
		}
		JsonNode body = body(requests(wm, EVENTS).get(0));
		assertThat(body.get("event_name").stringValue()).isEqualTo("Stop");
		assertThat(body.get("payload").get("hook_event_name").stringValue()).isEqualTo("Stop");
		assertThat(body.get("payload").get("session_id").stringValue()).isEqualTo("s1");
	}

	@Test
	void callerTimestampIsNeverOverwritten() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		try (RunlayerClient client = client(wm).build()) {
			client.emitEventStrict("UserPromptSubmit", "s1",
					Map.of("prompt", "hi", "timestamp", "2026-01-01T00:00:00+00:00"));
		}
		JsonNode payload = body(requests(wm, EVENTS).get(0)).get("payload");
		assertThat(payload.get("timestamp").stringValue()).isEqualTo("2026-01-01T00:00:00+00:00");
	}

	@Test
	void emptyCallerTimestampIsStamped() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("timestamp", "");
		try (RunlayerClient client = client(wm).build()) {
			client.emitEventStrict("Stop", "s1", payload);
		}
		assertThat(body(requests(wm, EVENTS).get(0)).get("payload").get("timestamp").stringValue()).matches(ISO_UTC);
	}

	@Test
	void userPromptSubmitAndStopHelpersSendTheClaudeFields() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		try (RunlayerClient client = client(wm).build()) {
			client.emitUserPromptSubmit("s1", "what is in README?");
			client.emitStop("s1");
		}
		List<LoggedRequest> sent = requests(wm, EVENTS);
		assertThat(sent).hasSize(2);
		JsonNode prompt = body(sent.get(0));
		assertThat(prompt.get("event_name").stringValue()).isEqualTo("UserPromptSubmit");
		assertThat(prompt.get("payload").get("prompt").stringValue()).isEqualTo("what is in README?");
		JsonNode stop = body(sent.get(1));
		assertThat(stop.get("event_name").stringValue()).isEqualTo("Stop");
		assertThat(stop.get("payload").get("stop_hook_active").booleanValue()).isFalse();
	}

	@Test
	void bestEffortEventNeverThrowsOnServerError() {
		wm.stubFor(post(EVENTS).willReturn(serverError()));
		try (RunlayerClient client = client(wm).debug(true).build()) {
			assertThatNoException().isThrownBy(() -> client.emitEvent("UserPromptSubmit", "s1", Map.of("prompt", "x")));
		}
		wm.verify(1, postRequestedFor(urlEqualTo(EVENTS)));
	}

	@Test
	void swallowedEventFailureIsDebugUnlessDebugIsOn() {
		wm.stubFor(post(EVENTS).willReturn(serverError()));
		try (LogCapture logs = new LogCapture()) {
			try (RunlayerClient client = client(wm).build()) {
				client.emitStop("s1");
			}
			assertThat(logs.events(Level.WARN)).isEmpty();
			assertThat(logs.events(Level.DEBUG)).anySatisfy(
					(event) -> assertThat(event.getFormattedMessage()).contains("Stop", "HTTP 500"));
			try (RunlayerClient client = client(wm).debug(true).build()) {
				client.emitStop("s1");
			}
			assertThat(logs.events(Level.WARN)).singleElement()
				.satisfies((event) -> assertThat(event.getFormattedMessage()).contains("Stop", "HTTP 500"));
		}
	}

	@Test
	void bestEffortEventNeverThrowsWhenRunlayerIsUnreachable() {
		try (RunlayerClient client = RunlayerClient.builder()
			.baseUrl("http://127.0.0.1:" + closedPort())
			.allowInsecureTransport(true)
			.apiKey(API_KEY)
			.build()) {
			assertThatNoException().isThrownBy(() -> client.emitStop("s1"));
		}
	}

	@Test
	void strictEventThrowsWithTheStatusAndABoundedExcerpt() {
		wm.stubFor(post(EVENTS).willReturn(aResponse().withStatus(403).withBody("{\"detail\":\"client not allowed\"}")));
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.emitEventStrict("Stop", "s1", null))
				.isInstanceOf(RunlayerException.class)
				.isNotInstanceOf(RunlayerBlockedException.class)
				.hasMessageContaining("Stop")
				.hasMessageContaining("HTTP 403")
				.hasMessageContaining("client not allowed")
				.hasMessageContaining("RUNLAYER_HOOK_CLIENT");
		}
	}

	@Test
	void unserializablePayloadFailsStrictEventsAsRunlayerExceptionAndBestEffortOnesSilently() {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("self", payload);
		try (RunlayerClient client = client(wm).build()) {
			assertThatNoException().isThrownBy(() -> client.emitEvent("Stop", "s1", payload));
			assertThatThrownBy(() -> client.emitEventStrict("Stop", "s1", payload)).isInstanceOf(RunlayerException.class)
				.hasMessageContaining("Stop");
		}
		assertThat(requests(wm, EVENTS)).isEmpty();
	}

	@Test
	void strictEventSucceedsOn2xx() {
		wm.stubFor(post(EVENTS).willReturn(aResponse().withStatus(202)));
		try (RunlayerClient client = client(wm).build()) {
			assertThatNoException().isThrownBy(() -> client.emitEventStrict("Stop", "s1", Map.of()));
		}
	}

	@Test
	void preflightSendsStartPromptStopForOneFreshSession() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		PreflightResult result;
		try (RunlayerClient client = client(wm).build()) {
			result = client.sendPreflight("ping");
		}
		List<LoggedRequest> sent = requests(wm, EVENTS);
		assertThat(sent).extracting((r) -> body(r).get("event_name").stringValue())
			.containsExactly("SessionStart", "UserPromptSubmit", "Stop");
		assertThat(sent).allSatisfy((r) -> assertThat(body(r).get("payload").get("session_id").stringValue())
			.isEqualTo(result.sessionId()));
		assertThat(body(sent.get(0)).get("payload").get("source").stringValue()).isEqualTo("startup");
		assertThat(body(sent.get(1)).get("payload").get("prompt").stringValue()).isEqualTo("ping");
	}

}
