package com.runlayer.sdk;

import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

class SmokeTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void rewriteThenMask() {
		wm.stubFor(post("/api/v1/hooks/tool/pre").willReturn(okJson("{\"permission\":\"allow\",\"modified_args\":{\"command\":\"ls\"}}")));
		wm.stubFor(post("/api/v1/hooks/tool/post").willReturn(okJson("{\"blocked\":false,\"modified_output\":\"masked\"}")));
		try (RunlayerClient client = RunlayerClient.builder().baseUrl(wm.baseUrl()).allowInsecureTransport(true).apiKey("rl_test_key").build()) {
			Object out = client.runTool(ToolCall.builder().sessionId("s1").toolName("Bash").toolType("shell")
				.toolInput(Map.of("command", "rm -rf /")).build(), (in) -> "ran " + in.get("command"));
			assertThat(out).isEqualTo("masked");
		}
		wm.verify(postRequestedFor(urlEqualTo("/api/v1/hooks/tool/post")).withRequestBody(matchingJsonPath("$.payload.tool_response", equalTo("ran ls"))));
	}

}
