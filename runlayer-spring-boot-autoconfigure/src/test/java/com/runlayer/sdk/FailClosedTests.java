package com.runlayer.sdk;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.ALLOW;
import static com.runlayer.sdk.WireSupport.API_KEY;
import static com.runlayer.sdk.WireSupport.PASS;
import static com.runlayer.sdk.WireSupport.POST;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.bash;
import static com.runlayer.sdk.WireSupport.client;
import static com.runlayer.sdk.WireSupport.closedPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Enforcement is fail-closed: every outage, timeout, 5xx, 408, 429, malformed or unexpected answer blocks with
 * {@code outage() == true} and the tool never runs; in OPEN mode the same cases allow. (Other 4xx answers are
 * definitive refusals, see {@link DefinitiveRefusalTests}.)
 */
class FailClosedTests {

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	static Stream<Arguments> preToolOutages() {
		return Stream.of(Arguments.of("read timeout", okJson(ALLOW).withFixedDelay(2000)),
				Arguments.of("stalled body", okJson("{\"permission\":\"allow\"}" + " ".repeat(200))
					.withChunkedDribbleDelay(10, 3000)),
				Arguments.of("oversized body", okJson("{\"permission\":\"allow\",\"pad\":\"" + "x".repeat(1_100_000) + "\"}")),
				Arguments.of("HTTP 500", serverError().withBody("{\"detail\":\"boom\"}")),
				Arguments.of("HTTP 429 without Retry-After", aResponse().withStatus(429)),
				Arguments.of("HTTP 408", aResponse().withStatus(408).withBody("{\"detail\":\"slow\"}")),
				Arguments.of("non-JSON body", aResponse().withStatus(200).withBody("<html>gateway</html>")),
				Arguments.of("empty body", aResponse().withStatus(200)),
				Arguments.of("JSON array", okJson("[]")),
				Arguments.of("missing permission", okJson("{\"block_reason\":\"x\"}")),
				Arguments.of("null permission", okJson("{\"permission\":null}")),
				Arguments.of("non-string permission", okJson("{\"permission\":true}")),
				Arguments.of("unknown permission", okJson("{\"permission\":\"ask\"}")),
				Arguments.of("non-object modified_args", okJson("{\"permission\":\"allow\",\"modified_args\":\"ls\"}")),
				Arguments.of("redirect", aResponse().withStatus(302).withHeader("Location", "http://example.invalid/")),
				// an ambiguous answer (a key given twice) is invalid, whichever value comes last
				Arguments.of("duplicate permission, allow last",
						okJson("{\"permission\":\"deny\",\"block_reason\":\"x\",\"permission\":\"allow\"}")),
				Arguments.of("duplicate permission, deny last",
						okJson("{\"permission\":\"allow\",\"permission\":\"deny\"}")),
				Arguments.of("duplicate key inside modified_args", okJson(
						"{\"permission\":\"allow\",\"modified_args\":{\"command\":\"ls\",\"command\":\"rm -rf /\"}}")));
	}

	static Stream<Arguments> postToolOutages() {
		return Stream.of(Arguments.of("read timeout", okJson(PASS).withFixedDelay(2000)),
				Arguments.of("HTTP 500", serverError()),
				Arguments.of("HTTP 429 without Retry-After", aResponse().withStatus(429)),
				Arguments.of("non-JSON body", aResponse().withStatus(200).withBody("not json")),
				Arguments.of("missing blocked", okJson("{\"modified_output\":\"x\"}")),
				Arguments.of("non-boolean blocked", okJson("{\"blocked\":\"false\"}")),
				Arguments.of("non-string modified_output", okJson("{\"blocked\":false,\"modified_output\":{\"a\":1}}")),
				Arguments.of("duplicate blocked, false last",
						okJson("{\"blocked\":true,\"block_reason\":\"x\",\"blocked\":false}")),
				Arguments.of("duplicate modified_output",
						okJson("{\"blocked\":false,\"modified_output\":\"masked\",\"modified_output\":\"raw\"}")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("preToolOutages")
	void preToolOutageBlocksAndNeverRunsTheToolWhenClosed(String name, ResponseDefinitionBuilder answer) {
		wm.stubFor(post(PRE).willReturn(answer));
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient client = client(wm).timeout(TIMEOUT).build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> runs.incrementAndGet()))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
					assertThat(ex.outage()).isTrue();
					assertThat(ex.stage()).isEqualTo(EnforcementStage.PRE_TOOL);
					assertThat(ex.getMessage()).contains("Runlayer unavailable");
				});
		}
		assertThat(runs).hasValue(0);
		wm.verify(0, postRequestedFor(urlEqualTo(POST)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("preToolOutages")
	void preToolOutageAllowsTheToolWhenOpen(String name, ResponseDefinitionBuilder answer) {
		wm.stubFor(post(PRE).willReturn(answer));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient client = client(wm).timeout(TIMEOUT)
			.enforcementFailureMode(EnforcementFailureMode.OPEN)
			.build()) {
			Object output = client.runTool(bash("ls"), (input) -> "ran " + runs.incrementAndGet());
			assertThat(output).isEqualTo("ran 1");
		}
		wm.verify(1, postRequestedFor(urlEqualTo(POST)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("postToolOutages")
	void postToolOutageWithholdsTheOutputWhenClosed(String name, ResponseDefinitionBuilder answer) {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(answer));
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient client = client(wm).timeout(TIMEOUT).build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> "secret output " + runs.incrementAndGet()))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
					assertThat(ex.outage()).isTrue();
					assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL);
					assertThat(ex.getMessage()).doesNotContain("secret output");
				});
		}
		assertThat(runs).hasValue(1);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("postToolOutages")
	void postToolOutageReturnsTheRawOutputWhenOpen(String name, ResponseDefinitionBuilder answer) {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(answer));
		try (RunlayerClient client = client(wm).timeout(TIMEOUT)
			.enforcementFailureMode(EnforcementFailureMode.OPEN)
			.build()) {
			assertThat(client.runTool(bash("ls"), (input) -> "raw")).isEqualTo("raw");
		}
	}

	@Test
	void openModeOutageIsLoggedAsAWarningNamingTheOutage() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (LogCapture logs = new LogCapture();
				RunlayerClient client = client(wm).timeout(TIMEOUT).enforcementFailureMode(EnforcementFailureMode.OPEN)
					.build()) {
			client.runTool(bash("ls"), (input) -> "ran");
			assertThat(logs.events(ch.qos.logback.classic.Level.WARN)).singleElement()
				.satisfies((event) -> assertThat(event.getFormattedMessage()).contains("outage", "PRE_TOOL", "Bash",
						"failure mode is open", "HTTP 500"));
		}
	}

	@Test
	void connectionRefusedBlocksAndNeverRunsTheToolWhenClosed() {
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient client = refusingClient().build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> runs.incrementAndGet()))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
					assertThat(ex.outage()).isTrue();
					assertThat(ex.stage()).isEqualTo(EnforcementStage.PRE_TOOL);
					assertThat(ex.reason()).contains("could not be reached");
				});
		}
		assertThat(runs).hasValue(0);
	}

	@Test
	void connectionRefusedAllowsTheToolWhenOpen() {
		try (RunlayerClient client = refusingClient().enforcementFailureMode(EnforcementFailureMode.OPEN).build()) {
			assertThat(client.runTool(bash("ls"), (input) -> "ran")).isEqualTo("ran");
		}
	}

	@Test
	void readTimeoutIsReportedAsATimeoutWithinTheBudget() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW).withFixedDelay(3000)));
		long started = System.nanoTime();
		try (RunlayerClient client = client(wm).timeout(TIMEOUT).build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> "ran"))
				.isInstanceOfSatisfying(RunlayerBlockedException.class,
						(ex) -> assertThat(ex.reason()).contains("did not answer within 500 ms"));
		}
		// generous upper bound: the call gives up near its 500 ms budget, far before the 3 s delay
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
	}

	@Test
	void connectThatHangsIsBoundedByTheTimeout() throws Exception {
		// a listening socket whose accept backlog is full: the kernel drops further SYNs, so connect hangs
		try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			java.util.List<java.net.Socket> fillers = new java.util.ArrayList<>();
			try {
				for (int i = 0; i < 8; i++) {
					java.net.Socket socket = new java.net.Socket();
					try {
						socket.connect(new java.net.InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 200);
						fillers.add(socket);
					}
					catch (java.io.IOException ex) {
						socket.close();
						break;
					}
				}
				long started = System.nanoTime();
				try (RunlayerClient client = RunlayerClient.builder()
					.baseUrl("http://127.0.0.1:" + server.getLocalPort())
					.allowInsecureTransport(true)
					.apiKey(API_KEY)
					.timeout(TIMEOUT)
					.build()) {
					assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> "ran"))
						.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.reason()).contains("did not answer within 500 ms"));
				}
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
			}
			finally {
				for (java.net.Socket socket : fillers) {
					socket.close();
				}
			}
		}
	}

	@Test
	void perCallFailureModeOverridesTheClients() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		try (RunlayerClient client = client(wm).timeout(TIMEOUT).build()) {
			ToolInvocation invocation = client.beginTool(bash("ls"), EnforcementFailureMode.OPEN);
			assertThat(invocation.input()).containsEntry("command", "ls");
		}
	}

	@Test
	void concatenatedAnswersAreMalformedWhateverTheApplicationsMapperAllows() {
		// an application mapper that accepts trailing content must not make the first of two answers the decision
		JsonMapper lenient = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}{\"permission\":\"deny\"}")));
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient client = client(wm).timeout(TIMEOUT).jsonMapper(lenient).build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> runs.incrementAndGet()))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
					assertThat(ex.outage()).isTrue();
					assertThat(ex.reason()).contains("not a JSON object");
				});
		}
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false} {\"blocked\":true}")));
		try (RunlayerClient client = client(wm).timeout(TIMEOUT).jsonMapper(lenient).build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> runs.incrementAndGet()))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.outage()).isTrue());
		}
		assertThat(runs).hasValue(1);
	}

	private static RunlayerClient.Builder refusingClient() {
		return RunlayerClient.builder()
			.baseUrl("http://127.0.0.1:" + closedPort())
			.allowInsecureTransport(true)
			.apiKey(API_KEY)
			.timeout(TIMEOUT);
	}

}
