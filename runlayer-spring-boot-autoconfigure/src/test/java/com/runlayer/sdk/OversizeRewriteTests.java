package com.runlayer.sdk;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.PASS;
import static com.runlayer.sdk.WireSupport.POST;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.bash;
import static com.runlayer.sdk.WireSupport.client;
import static com.runlayer.sdk.WireSupport.onlyBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arguments rewritten by Runlayer over max-tool-input-bytes: the tool runs with the whole rewrite, and the tool/post
 * payload carries it truncated and marked in {@code truncation.tool_input}.
 */
class OversizeRewriteTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void anOversizeRewriteRunsWholeAndIsMarkedTruncatedInThePostPayload() {
		String command = "echo " + "x".repeat(5000);
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\",\"modified_args\":{\"command\":\"" + command
				+ "\"}}")));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		AtomicReference<Map<String, Object>> ranWith = new AtomicReference<>();
		try (LogCapture logs = new LogCapture(); RunlayerClient client = client(wm).maxToolInputBytes(1024).build()) {
			client.runTool(bash("ls"), (input) -> {
				ranWith.set(input);
				return "ok";
			});
			assertThat(logs.events(ch.qos.logback.classic.Level.WARN)).anySatisfy(
					(e) -> assertThat(e.getFormattedMessage()).contains("rewrote", "max-tool-input-bytes"));
		}
		assertThat(ranWith.get()).containsEntry("command", command);
		JsonNode payload = onlyBody(wm, POST).get("payload");
		assertThat(payload.get("tool_input").stringValue()).contains("…[truncated by Runlayer SDK: ");
		assertThat(payload.get("truncation").get("tool_input").get("sent_bytes").longValue()).isLessThanOrEqualTo(1024);
	}

}
