package com.runlayer.sdk;

import java.io.IOException;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.ALLOW;
import static com.runlayer.sdk.WireSupport.PASS;
import static com.runlayer.sdk.WireSupport.POST;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.bash;
import static com.runlayer.sdk.WireSupport.client;
import static com.runlayer.sdk.WireSupport.onlyBody;
import static com.runlayer.sdk.WireSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Failure telemetry sends what exists (no invented stdout, no stack trace unless asked for), and {@code cwd} is sent
 * in tool payloads when the call or the client knows it.
 */
class FailureTelemetryAndCwdTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void aPlainExceptionSendsItsTypeAndMessageAsOutputAndNoStdoutOrStderr() {
		JsonNode payload = fail(client(wm).build());
		assertThat(payload.has("stdout")).isFalse();
		assertThat(payload.has("stderr")).isFalse();
		assertThat(payload.get("error").stringValue()).isEqualTo("java.io.IOException: disk on fire");
		assertThat(payload.get("output").stringValue()).isEqualTo("java.io.IOException: disk on fire");
		assertThat(payload.toString()).doesNotContain("\tat ");
	}

	@Test
	void withFailureStackTracesOnTheOutputIsTheBoundedStackTrace() {
		JsonNode payload = fail(client(wm).failureStackTraces(true).maxToolOutputBytes(600).build());
		String output = payload.get("output").stringValue();
		assertThat(output).startsWith("java.io.IOException: disk on fire").contains("\tat com.runlayer");
		assertThat(payload.has("stderr")).isFalse();
		if (payload.has("truncation")) {
			assertThat(output).contains("…[truncated by Runlayer SDK: ");
		}
	}

	private static JsonNode fail(RunlayerClient built) {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = built) {
			Throwable thrown = catchThrowable(() -> client.runTool(bash("df"), (input) -> {
				throw new IOException("disk on fire");
			}));
			assertThat(thrown).isInstanceOf(IOException.class);
		}
		return onlyBody(wm, POST).get("payload");
	}

	@Test
	void aCallsCwdIsSentOnPreAndPost() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = client(wm).cwd("/srv/default").build()) {
			client.runTool(ToolCall.builder()
				.sessionId("s1")
				.toolName("Bash")
				.toolInput(Map.of("command", "ls"))
				.cwd("/work/repo")
				.build(), (input) -> "ok");
		}
		assertThat(onlyBody(wm, PRE).get("payload").get("cwd").stringValue()).isEqualTo("/work/repo");
		assertThat(onlyBody(wm, POST).get("payload").get("cwd").stringValue()).isEqualTo("/work/repo");
	}

	@Test
	void theClientDefaultCwdIsSentWhenTheCallHasNoneAndNothingWithout() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = client(wm).cwd("/srv/agent").build()) {
			client.runTool(bash("ls"), (input) -> "ok");
		}
		try (RunlayerClient client = client(wm).build()) {
			client.runTool(bash("ls"), (input) -> "ok");
		}
		assertThat(requests(wm, PRE)).extracting((r) -> WireSupport.body(r).get("payload").path("cwd").asString(null))
			.containsExactly("/srv/agent", null);
	}

}
