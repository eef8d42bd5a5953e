package com.runlayer.sdk;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.observe.RunlayerObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Observers learn what a rewrite changed and what a mask replaced, just before the decision, also when several
 * observers are registered.
 */
class ObserverDetailsTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final List<String> seen = new CopyOnWriteArrayList<>();

	@Test
	void rewriteAndMaskDetailsReachEveryObserverBeforeTheDecision() {
		wm.stubFor(post("/api/v1/hooks/tool/pre")
			.willReturn(okJson("{\"permission\":\"allow\",\"modified_args\":{\"path\":\"sandbox/notes.txt\"}}")));
		wm.stubFor(post("/api/v1/hooks/tool/post")
			.willReturn(okJson("{\"blocked\":false,\"modified_output\":\"mail [email redacted]\"}")));
		try (RunlayerClient client = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey("rl_test_key")
			.observer(recorder("a"))
			.observer(recorder("b"))
			.build()) {
			Object result = client.runTool(ToolCall.builder()
				.sessionId("s1")
				.toolName("read_file")
				.toolInput(Map.of("path", "../notes.txt"))
				.build(), (input) -> "mail alice@example.com");
			assertThat(result).isEqualTo("mail [email redacted]");
		}
		assertThat(this.seen).containsExactly("a rewrite {path=../notes.txt} -> {path=sandbox/notes.txt}",
				"b rewrite {path=../notes.txt} -> {path=sandbox/notes.txt}", "a REWRITE", "b REWRITE",
				"a mask mail alice@example.com -> mail [email redacted]",
				"b mask mail alice@example.com -> mail [email redacted]", "a MASK", "b MASK");
	}

	private RunlayerObserver recorder(String name) {
		return new RunlayerObserver() {

			@Override
			public EnforcementScope enforcementStarted(EnforcementStage stage, ToolDescriptor tool) {
				return new EnforcementScope() {

					@Override
					public void rewritten(Map<String, Object> originalInput, Map<String, Object> rewrittenInput) {
						ObserverDetailsTests.this.seen.add(name + " rewrite " + originalInput + " -> " + rewrittenInput);
					}

					@Override
					public void masked(Object originalOutput, String maskedOutput) {
						ObserverDetailsTests.this.seen.add(name + " mask " + originalOutput + " -> " + maskedOutput);
					}

					@Override
					public void finished(EnforcementDecision decision, Throwable error) {
						ObserverDetailsTests.this.seen.add(name + " " + decision);
					}

				};
			}

		};
	}

}
