package com.runlayer.sdk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.ALLOW;
import static com.runlayer.sdk.WireSupport.EVENTS;
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
 * The output cap counts what is sent: the UTF-8 bytes of a value's JSON form, escapes included, for tool outputs,
 * failure fields and transcript lines. Newlines and control characters cannot smuggle a body several times the cap.
 */
class JsonFormCapTests {

	private static final int CAP = 4096;

	private static final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	/** The bytes a string value takes inside a JSON body, without its quotes. */
	private static long sentBytes(JsonNode value) {
		return json.writeValueAsString(value.stringValue()).getBytes(StandardCharsets.UTF_8).length - 2;
	}

	static List<String> texts() {
		return List.of("\n".repeat(CAP), "\u0001".repeat(CAP), "\"".repeat(CAP), "a\\b\tc\r".repeat(CAP / 2));
	}

	@Test
	void textOutputIsCutByItsEscapedSizeWithTheMetadataSaying() {
		for (String output : texts()) {
			wm.resetAll();
			wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
			wm.stubFor(post(POST).willReturn(okJson(PASS)));
			try (RunlayerClient client = client(wm).maxToolOutputBytes(CAP).build()) {
				client.runTool(bash("cat"), (input) -> output);
			}
			JsonNode payload = onlyBody(wm, POST).get("payload");
			JsonNode sent = payload.get("tool_response");
			assertThat(sentBytes(sent)).isLessThanOrEqualTo(CAP);
			assertThat(sent.stringValue()).contains("…[truncated by Runlayer SDK: ");
			long escaped = json.writeValueAsString(output).getBytes(StandardCharsets.UTF_8).length - 2;
			assertThat(payload.get("truncation").get("tool_response").get("original_bytes").longValue())
				.isEqualTo(escaped);
			assertThat(payload.get("truncation").get("tool_response").get("sent_bytes").longValue())
				.isEqualTo(sentBytes(sent));
		}
	}

	@Test
	void aStructuredOutputFullOfQuotesIsCutByItsEscapedSize() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		List<Map<String, String>> rows = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			rows.add(Map.of("k", "\"v\"\n"));
		}
		try (RunlayerClient client = client(wm).maxToolOutputBytes(CAP).build()) {
			client.runTool(bash("cat"), (input) -> rows);
		}
		JsonNode sent = onlyBody(wm, POST).get("payload").get("tool_response");
		assertThat(sent.isString()).isTrue();
		assertThat(sentBytes(sent)).isLessThanOrEqualTo(CAP);
	}

	@Test
	void failureFieldsAreCutByTheirEscapedSize() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		RuntimeException failure = new RuntimeException("\n".repeat(CAP));
		try (RunlayerClient client = client(wm).maxToolOutputBytes(CAP).build()) {
			catchThrowable(() -> client.runTool(bash("make"), (input) -> {
				throw failure;
			}));
		}
		JsonNode payload = onlyBody(wm, POST).get("payload");
		for (String field : List.of("error", "output")) {
			assertThat(sentBytes(payload.get(field))).as(field).isLessThanOrEqualTo(CAP);
			assertThat(payload.get("truncation").has(field)).as(field).isTrue();
		}
	}

	@Test
	void transcriptChunksAreMeasuredAsSent() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		// each line is 100 KiB raw but about 200 KiB once its quotes are escaped: 8 lines fit 1 MiB raw, not as sent
		String line = "{\"t\":\"" + "\"".repeat(100 * 1024 - 10) + "\"}";
		List<String> lines = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			lines.add(line.replace("{\"t\"", "{\"t" + i + "\""));
		}
		try (RunlayerClient client = client(wm).build()) {
			client.emitTranscriptStop(new TranscriptStop("s1", "m", lines));
		}
		List<LoggedRequest> sent = requests(wm, EVENTS);
		assertThat(sent).hasSizeGreaterThan(1);
		for (LoggedRequest request : sent) {
			assertThat(sentBytes(WireSupport.body(request).get("transcript"))).isLessThanOrEqualTo(1024 * 1024);
		}
	}

}
