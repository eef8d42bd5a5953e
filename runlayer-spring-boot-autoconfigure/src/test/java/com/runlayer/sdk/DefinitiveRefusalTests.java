package com.runlayer.sdk;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.ALLOW;
import static com.runlayer.sdk.WireSupport.POST;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.TOKEN;
import static com.runlayer.sdk.WireSupport.bash;
import static com.runlayer.sdk.WireSupport.client;
import static com.runlayer.sdk.WireSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A 4xx other than 408 and 429 is Runlayer's final word on a call: a block in both failure modes, reported as a
 * decision ({@code outage() == false}) with a reason naming the status; 401 and 403 (a token-endpoint 400 or 401) are
 * logged once at ERROR with what to check. 408, 429 and 5xx stay outages for the failure mode to decide.
 */
class DefinitiveRefusalTests {

	private static final String CURSOR = "/api/v1/hooks/cursor";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	static Stream<Arguments> refusals() {
		return Stream.of(400, 401, 403, 404, 413, 422)
			.flatMap((status) -> Stream.of(Arguments.of(status, EnforcementFailureMode.CLOSED),
					Arguments.of(status, EnforcementFailureMode.OPEN)));
	}

	@ParameterizedTest(name = "HTTP {0}, {1}")
	@MethodSource("refusals")
	void aPreToolRefusalBlocksInEveryModeAsADecisionNamingTheStatus(int status, EnforcementFailureMode mode) {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(status).withBody("{\"detail\":\"no\"}")));
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient client = client(wm).enforcementFailureMode(mode).build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> runs.incrementAndGet()))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
					assertThat(ex.outage()).isFalse();
					assertThat(ex.stage()).isEqualTo(EnforcementStage.PRE_TOOL);
					assertThat(ex.reason()).contains("HTTP " + status);
				});
		}
		assertThat(runs).hasValue(0);
		assertThat(requests(wm, PRE)).as("a refusal is never retried").hasSize(1);
	}

	@Test
	void aPostToolRefusalBlocksTheOutputInOpenMode() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(aResponse().withStatus(422).withBody("{\"detail\":\"bad body\"}")));
		try (RunlayerClient client = client(wm).enforcementFailureMode(EnforcementFailureMode.OPEN).build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> "secret output"))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
					assertThat(ex.outage()).isFalse();
					assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL);
					assertThat(ex.reason()).contains("HTTP 422");
				});
		}
	}

	@Test
	void anMcpSourceRefusalBlocksInOpenMode() {
		wm.stubFor(post(CURSOR).willReturn(aResponse().withStatus(403)));
		try (RunlayerClient client = client(wm).directMcpSourceEnforcementPath(CURSOR)
			.enforcementFailureMode(EnforcementFailureMode.OPEN)
			.build()) {
			assertThatThrownBy(() -> client.enforceMcpSource(
					McpSourceCheck.ofUrl("g1", "s1", "mcp__github__list_repos", "https://mcp.example.com/mcp")))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
					assertThat(ex.outage()).isFalse();
					assertThat(ex.stage()).isEqualTo(EnforcementStage.MCP_SOURCE);
					assertThat(ex.reason()).contains("HTTP 403");
				});
		}
	}

	@ParameterizedTest(name = "HTTP {0}")
	@MethodSource("outageStatuses")
	void timeoutsRateLimitsAndServerErrorsStayOutages(int status) {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(status)));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		try (RunlayerClient client = client(wm).maxRetries(0).build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> "ran"))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.outage()).isTrue());
		}
		try (RunlayerClient client = client(wm).maxRetries(0)
			.enforcementFailureMode(EnforcementFailureMode.OPEN)
			.build()) {
			assertThat(client.runTool(bash("ls"), (input) -> "ran")).isEqualTo("ran");
		}
	}

	static Stream<Integer> outageStatuses() {
		return Stream.of(408, 429, 500, 503);
	}

	@Test
	void a403IsLoggedOnceAtErrorNamingTheClientAndTheAllowlist() {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(403)));
		try (LogCapture logs = new LogCapture(); RunlayerClient client = client(wm).client("java-agents").build()) {
			for (int i = 0; i < 3; i++) {
				assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> "ran"))
					.isInstanceOf(RunlayerBlockedException.class);
			}
			assertThat(logs.events(Level.ERROR)).singleElement()
				.extracting(ILoggingEvent::getFormattedMessage)
				.satisfies((message) -> assertThat(message).contains("HTTP 403", "allowlist", "'java-agents'",
						"RUNLAYER_HOOK_CLIENT"));
		}
	}

	@Test
	void a401IsLoggedOnceAtErrorNamingTheCredentials() {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(401)));
		try (LogCapture logs = new LogCapture(); RunlayerClient client = client(wm).build()) {
			for (int i = 0; i < 2; i++) {
				assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> "ran"))
					.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.outage()).isFalse());
			}
			assertThat(logs.events(Level.ERROR)).singleElement()
				.extracting(ILoggingEvent::getFormattedMessage)
				.satisfies((message) -> assertThat(message).contains("HTTP 401", "API key", "RUNLAYER_API_KEY")
					.doesNotContain(WireSupport.API_KEY));
		}
	}

	@ParameterizedTest(name = "token endpoint HTTP {0}")
	@MethodSource("tokenRefusals")
	void aTokenEndpointRefusalBlocksInOpenModeAndIsLoggedWithWhatToCheck(int status) {
		wm.stubFor(post(TOKEN).willReturn(aResponse().withStatus(status).withBody("{\"error\":\"invalid_client\"}")));
		AtomicInteger runs = new AtomicInteger();
		try (LogCapture logs = new LogCapture();
				RunlayerClient client = RunlayerClient.builder()
					.baseUrl(wm.baseUrl())
					.allowInsecureTransport(true)
					.agentClientId("client_abc")
					.agentClientSecret("very-secret-value")
					.enforcementFailureMode(EnforcementFailureMode.OPEN)
					.build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> runs.incrementAndGet()))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
					assertThat(ex.outage()).isFalse();
					assertThat(ex.reason()).contains("HTTP " + status);
				});
			assertThat(logs.events(Level.ERROR)).singleElement()
				.extracting(ILoggingEvent::getFormattedMessage)
				.satisfies((message) -> assertThat(message).contains("HTTP " + status, "RUNLAYER_AGENT_CLIENT_ID")
					.doesNotContain("very-secret-value"));
		}
		assertThat(runs).hasValue(0);
		assertThat(requests(wm, PRE)).isEmpty();
	}

	static Stream<Integer> tokenRefusals() {
		return Stream.of(400, 401);
	}

	@Test
	void aTokenEndpointOutageStaysAnOutage() {
		wm.stubFor(post(TOKEN).willReturn(aResponse().withStatus(503)));
		try (RunlayerClient client = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.agentClientId("client_abc")
			.agentClientSecret("very-secret-value")
			.timeout(Duration.ofSeconds(3))
			.build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> "ran"))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.outage()).isTrue());
		}
	}

}
