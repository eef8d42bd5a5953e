package com.runlayer.sdk;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.ALLOW;
import static com.runlayer.sdk.WireSupport.PASS;
import static com.runlayer.sdk.WireSupport.POST;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.bash;
import static com.runlayer.sdk.WireSupport.client;
import static com.runlayer.sdk.WireSupport.closedPort;
import static com.runlayer.sdk.WireSupport.onlyBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An exception nobody planned for on the enforcement path (a bug, a broken JSON mapper, an arithmetic overflow)
 * never escapes {@code runTool} raw: it is an outage with the exception as its cause, blocked or allowed by the
 * failure mode like any other outage.
 */
class UnexpectedFailureTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	/** A mapper whose tree reader throws a plain runtime exception on answers carrying {@code "explode"}. */
	private static JsonMapper explodingMapper() {
		JsonMapper plain = JsonMapper.builder().build();
		SimpleModule module = new SimpleModule();
		module.addDeserializer(JsonNode.class, new ValueDeserializer<JsonNode>() {

			@Override
			public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) {
				JsonNode node = plain.readTree(p);
				if (node != null && node.has("explode")) {
					throw new IllegalStateException("unplanned failure in the answer reader");
				}
				return node;
			}

		});
		return JsonMapper.builder().addModule(module).build();
	}

	@Test
	void anUnexpectedExceptionAtPreToolIsAnOutageThatBlocksWhenClosed() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\",\"explode\":true}")));
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient client = client(wm).jsonMapper(explodingMapper()).build()) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.runTool(bash("ls"), (input) -> runs.incrementAndGet()))
				.satisfies((ex) -> {
					assertThat(ex.outage()).isTrue();
					assertThat(ex.stage()).isEqualTo(EnforcementStage.PRE_TOOL);
					assertThat(ex).hasCauseInstanceOf(IllegalStateException.class);
					assertThat(ex.getMessage()).contains("IllegalStateException");
				});
		}
		assertThat(runs).hasValue(0);
	}

	@Test
	void anUnexpectedExceptionAtPreToolAllowsWhenOpen() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\",\"explode\":true}")));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = client(wm).jsonMapper(explodingMapper())
			.enforcementFailureMode(EnforcementFailureMode.OPEN)
			.build()) {
			assertThat(client.runTool(bash("ls"), (input) -> "ran")).isEqualTo("ran");
		}
	}

	@Test
	void anUnexpectedExceptionAtPostToolWithholdsTheOutputWhenClosed() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false,\"explode\":true}")));
		try (RunlayerClient client = client(wm).jsonMapper(explodingMapper()).build()) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.runTool(bash("ls"), (input) -> "secret output"))
				.satisfies((ex) -> {
					assertThat(ex.outage()).isTrue();
					assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL);
					assertThat(ex).hasCauseInstanceOf(IllegalStateException.class);
					assertThat(ex.getMessage()).doesNotContain("secret output");
				});
		}
		assertThat(onlyBody(wm, POST).at("/payload/tool_response").stringValue()).isEqualTo("secret output");
	}

	@Test
	void anUnexpectedExceptionOnTheMcpSourceRouteIsAnOutage() {
		wm.stubFor(post("/api/v1/hooks/cursor").willReturn(okJson("{\"permission\":\"allow\",\"explode\":true}")));
		try (RunlayerClient client = client(wm).jsonMapper(explodingMapper())
			.directMcpSourceEnforcementPath("/api/v1/hooks/cursor")
			.build()) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.enforceMcpSource(
						McpSourceCheck.ofUrl("g1", "s1", "mcp__x__y", "https://mcp.example.com/mcp")))
				.satisfies((ex) -> {
					assertThat(ex.outage()).isTrue();
					assertThat(ex).hasCauseInstanceOf(IllegalStateException.class);
				});
		}
	}

	@Test
	void aTimeoutOfThreeHundredYearsIsAConfigurationErrorNamingTheProperty() {
		// before the range check this client built, and runTool threw ArithmeticException in closed and open mode
		for (EnforcementFailureMode mode : EnforcementFailureMode.values()) {
			assertThatExceptionOfType(RunlayerConfigurationException.class)
				.isThrownBy(() -> RunlayerClient.builder()
					.baseUrl("http://127.0.0.1:" + closedPort())
					.allowInsecureTransport(true)
					.apiKey("rl_test_key")
					.enforcementFailureMode(mode)
					.timeout(Duration.ofDays(300L * 365))
					.build())
				.withMessageContaining("runlayer.timeout")
				.withMessageContaining("RUNLAYER_HOOK_TIMEOUT_MS");
		}
		Map<String, String> env = Map.of("RUNLAYER_BASE_URL", "https://tenant.runlayer.com", "RUNLAYER_API_KEY",
				"rl_test_key", "RUNLAYER_HOOK_TIMEOUT_MS", "9460800000000");
		assertThatExceptionOfType(RunlayerConfigurationException.class)
			.isThrownBy(() -> RunlayerClient.fromEnvironment(env, (b) -> {
			}))
			.withMessageContaining("runlayer.timeout");
	}

}
