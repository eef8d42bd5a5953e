package com.runlayer.sdk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.ALLOW;
import static com.runlayer.sdk.WireSupport.EVENTS;
import static com.runlayer.sdk.WireSupport.PASS;
import static com.runlayer.sdk.WireSupport.POST;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.client;
import static com.runlayer.sdk.WireSupport.onlyBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What leaves the service, on the wire: the prompt switch and the payload redactor (tool input on pre and post,
 * tool output, failure output, prompt), with complete payloads by default.
 */
class PayloadPrivacyTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	/** Drops the {@code ssn} argument and masks the output's card number. */
	static final class DropSsn implements RunlayerPayloadRedactor {

		@Override
		public Map<String, Object> redactToolInput(String toolName, Map<String, Object> input) {
			Map<String, Object> copy = new LinkedHashMap<>(input);
			copy.remove("ssn");
			return copy;
		}

		@Override
		public Object redactToolOutput(String toolName, Object output) {
			return String.valueOf(output).replaceAll("\\d{4}-\\d{4}", "****");
		}

		@Override
		public String redactPrompt(String sessionId, String prompt) {
			return prompt.replace("Alice", "[name]");
		}

	}

	private static ToolCall lookup() {
		return ToolCall.builder()
			.sessionId("s1")
			.toolName("lookupCustomer")
			.toolInput(Map.of("name", "Alice", "ssn", "123-45-6789"))
			.build();
	}

	@Test
	void payloadsAreCompleteByDefault() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		try (RunlayerClient client = client(wm).build()) {
			assertThat(client.sendsPrompts()).isTrue();
			client.runTool(lookup(), (input) -> "card 1234-5678");
			client.emitEventStrict("UserPromptSubmit", "s1", Map.of("prompt", "Hello Alice"));
		}
		assertThat(onlyBody(wm, PRE).at("/payload/tool_input/ssn").stringValue()).isEqualTo("123-45-6789");
		assertThat(onlyBody(wm, POST).at("/payload/tool_response").stringValue()).isEqualTo("card 1234-5678");
		assertThat(onlyBody(wm, EVENTS).at("/payload/prompt").stringValue()).isEqualTo("Hello Alice");
	}

	@Test
	void redactorChangesWhatIsSentButNotWhatTheToolSeesOrReturns() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
		try (RunlayerClient client = client(wm).payloadRedactor(new DropSsn()).build()) {
			Object out = client.runTool(lookup(), (input) -> {
				seen.set(input);
				return "card 1234-5678";
			});
			assertThat(out).isEqualTo("card 1234-5678");
			client.emitEventStrict("UserPromptSubmit", "s1", Map.of("prompt", "Hello Alice"));
		}
		assertThat(seen.get()).containsEntry("ssn", "123-45-6789");
		JsonNode pre = onlyBody(wm, PRE);
		assertThat(pre.at("/payload/tool_input").has("ssn")).isFalse();
		assertThat(pre.at("/payload/tool_input/name").stringValue()).isEqualTo("Alice");
		JsonNode post = onlyBody(wm, POST);
		assertThat(post.at("/payload/tool_input").has("ssn")).isFalse();
		assertThat(post.at("/payload/tool_response").stringValue()).isEqualTo("card ****");
		assertThat(onlyBody(wm, EVENTS).at("/payload/prompt").stringValue()).isEqualTo("Hello [name]");
	}

	@Test
	void redactorAppliesToTheOutputOfFailureTelemetry() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = client(wm).payloadRedactor(new DropSsn()).build()) {
			ToolInvocation invocation = client.beginTool(lookup());
			invocation.fail(new FailedWithOutput());
		}
		JsonNode failure = onlyBody(wm, POST);
		assertThat(failure.at("/payload/tool_input").has("ssn")).isFalse();
		assertThat(failure.toString()).doesNotContain("1234-5678").doesNotContain("123-45-6789");
	}

	@Test
	void aFailingRedactorSendsNothingAndTheToolDoesNotRun() {
		RunlayerPayloadRedactor broken = new RunlayerPayloadRedactor() {
			@Override
			public Map<String, Object> redactToolInput(String toolName, Map<String, Object> input) {
				throw new IllegalStateException("boom");
			}
		};
		try (RunlayerClient client = client(wm).payloadRedactor(broken).build()) {
			assertThatThrownBy(() -> client.runTool(lookup(), (input) -> "never"))
				.isInstanceOf(RunlayerException.class)
				.hasMessageContaining("RunlayerPayloadRedactor");
		}
		assertThat(wm.getAllServeEvents()).isEmpty();
	}

	@Test
	void promptsOffSendsTheEventWithAnEmptyPrompt() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		try (RunlayerClient client = client(wm).telemetryPrompts(false).build()) {
			client.emitUserPromptSubmit("s1", "my bank password is hunter2");
		}
		JsonNode event = awaitEvent();
		assertThat(event.at("/event_name").stringValue()).isEqualTo("UserPromptSubmit");
		assertThat(event.at("/payload/session_id").stringValue()).isEqualTo("s1");
		assertThat(event.at("/payload/prompt").stringValue()).isEmpty();
		assertThat(event.toString()).doesNotContain("hunter2");
	}

	private static JsonNode awaitEvent() {
		// the client was closed, which flushes the best-effort queue
		return onlyBody(wm, EVENTS);
	}

	static final class FailedWithOutput extends RuntimeException implements ToolFailureOutput {

		private static final long serialVersionUID = 1L;

		FailedWithOutput() {
			super("lookup failed");
		}

		@Override
		public String stdout() {
			return "";
		}

		@Override
		public String stderr() {
			return "err";
		}

		@Override
		public Object output() {
			return "partial card 1234-5678";
		}

	}

}
