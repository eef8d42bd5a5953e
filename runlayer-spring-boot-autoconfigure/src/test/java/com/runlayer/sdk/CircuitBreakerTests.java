package com.runlayer.sdk;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.transport.HookEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.ALLOW;
import static com.runlayer.sdk.WireSupport.PASS;
import static com.runlayer.sdk.WireSupport.POST;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.TOKEN;
import static com.runlayer.sdk.WireSupport.bash;
import static com.runlayer.sdk.WireSupport.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The per-endpoint circuit breaker against a WireMock Runlayer: a run of outages opens it, calls then fail (closed
 * mode) or pass (open mode) at once with {@code outage() == true}, a probe goes through after the wait and closes
 * it again (or reopens it); answers, denies and definitive 4xx never count. (Separate from the fault matrix.)
 */
class CircuitBreakerTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private static final CircuitBreakerSettings TWO_OUTAGES = new CircuitBreakerSettings(true, 2, 100f,
			Duration.ofMillis(400), 1);

	private static RunlayerClient.Builder guarded() {
		return client(wm).maxRetries(0).circuitBreaker(TWO_OUTAGES);
	}

	private static void outage(RunlayerClient client) {
		assertThatThrownBy(() -> client.beginTool(bash("ls")))
			.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.outage()).isTrue());
	}

	@Test
	void aRunOfOutagesOpensTheBreakerAndCallsFailAtOnceInClosedMode() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		try (RunlayerClient client = guarded().build()) {
			assertThat(client.circuitState(HookEndpoint.TOOL_PRE)).isEqualTo(CircuitState.CLOSED);
			outage(client);
			outage(client);
			assertThat(client.circuitState(HookEndpoint.TOOL_PRE)).isEqualTo(CircuitState.OPEN);
			// other endpoints have their own breaker
			assertThat(client.circuitState(HookEndpoint.TOOL_POST)).isEqualTo(CircuitState.CLOSED);
			wm.stubFor(post(PRE).willReturn(okJson(ALLOW).withFixedDelay(3000)));
			long started = System.nanoTime();
			assertThatThrownBy(() -> client.beginTool(bash("ls")))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
					assertThat(ex.outage()).isTrue();
					assertThat(ex.getCause()).isInstanceOf(RunlayerCircuitOpenException.class);
					assertThat(ex.reason()).contains("circuit breaker is open");
				});
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
		}
		wm.verify(2, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void openFailureModePassesAtOnceWhileOpen() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		RecordingObserver observer = new RecordingObserver();
		try (RunlayerClient client = guarded().enforcementFailureMode(EnforcementFailureMode.OPEN)
			.observer(observer)
			.build()) {
			client.beginTool(bash("ls"));
			client.beginTool(bash("ls"));
			ToolInvocation passed = client.beginTool(bash("ls"));
			assertThat(passed.input()).containsKey("command");
		}
		wm.verify(2, postRequestedFor(urlEqualTo(PRE)));
		assertThat(observer.decisions).hasSize(3).allSatisfy((d) -> assertThat(d.outage()).isTrue());
		assertThat(observer.decisions.get(2).reason()).contains("circuit breaker is open");
	}

	@Test
	void tokenEndpointRefusalsNeverOpenTheBreakerSoOpenModeKeepsBlocking() {
		// bad agent-account credentials are Runlayer's answer, not an outage: were they counted, the breaker would
		// open and open mode would then let every tool run unenforced
		wm.stubFor(post(TOKEN).willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid_client\"}")));
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient client = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.agentClientId("client_abc")
			.agentClientSecret("very-secret-value")
			.maxRetries(0)
			.circuitBreaker(TWO_OUTAGES)
			.enforcementFailureMode(EnforcementFailureMode.OPEN)
			.build()) {
			for (int i = 0; i < 4; i++) {
				assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> runs.incrementAndGet()))
					.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
						assertThat(ex.outage()).isFalse();
						assertThat(ex.reason()).contains("HTTP 401");
					});
			}
			assertThat(client.circuitState(HookEndpoint.TOOL_PRE)).isEqualTo(CircuitState.CLOSED);
		}
		assertThat(runs).hasValue(0);
		wm.verify(4, postRequestedFor(urlEqualTo(TOKEN)));
	}

	@Test
	void aProbeAfterTheWaitClosesTheBreakerWhenRunlayerIsBack() throws InterruptedException {
		wm.stubFor(post(PRE).willReturn(serverError()));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = guarded().build()) {
			outage(client);
			outage(client);
			assertThat(client.circuitState(HookEndpoint.TOOL_PRE)).isEqualTo(CircuitState.OPEN);
			wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
			outage(client); // still open: nothing sent
			Thread.sleep(600);
			assertThat(client.beginTool(bash("ls")).enforced()).isTrue(); // the probe, half-open
			assertThat(client.circuitState(HookEndpoint.TOOL_PRE)).isEqualTo(CircuitState.CLOSED);
			assertThat(client.beginTool(bash("ls")).enforced()).isTrue();
		}
		wm.verify(4, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void aFailedProbeReopensTheBreaker() throws InterruptedException {
		wm.stubFor(post(PRE).willReturn(serverError()));
		try (RunlayerClient client = guarded().build()) {
			outage(client);
			outage(client);
			Thread.sleep(600);
			outage(client); // the probe reaches Runlayer and fails
			assertThat(client.circuitState(HookEndpoint.TOOL_PRE)).isEqualTo(CircuitState.OPEN);
			outage(client); // not sent
		}
		wm.verify(3, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void deniesAndDefinitive4xxNeverOpenIt() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"no\"}")));
		try (RunlayerClient client = guarded().build()) {
			for (int i = 0; i < 4; i++) {
				assertThatThrownBy(() -> client.beginTool(bash("rm"))).isInstanceOf(RunlayerBlockedException.class);
			}
			assertThat(client.circuitState(HookEndpoint.TOOL_PRE)).isEqualTo(CircuitState.CLOSED);
			wm.stubFor(post(PRE).willReturn(aResponse().withStatus(403)));
			for (int i = 0; i < 4; i++) {
				assertThatThrownBy(() -> client.beginTool(bash("rm"))).isInstanceOf(RunlayerBlockedException.class);
			}
			assertThat(client.circuitState(HookEndpoint.TOOL_PRE)).isEqualTo(CircuitState.CLOSED);
		}
		wm.verify(8, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void disabledBreakerNeverOpens() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		try (RunlayerClient client = client(wm).maxRetries(0).circuitBreaker(CircuitBreakerSettings.disabled())
			.build()) {
			for (int i = 0; i < 6; i++) {
				outage(client);
			}
			assertThat(client.circuitState(HookEndpoint.TOOL_PRE)).isEqualTo(CircuitState.DISABLED);
		}
		wm.verify(6, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void defaultsAreDocumented() {
		CircuitBreakerSettings defaults = CircuitBreakerSettings.defaults();
		assertThat(defaults.enabled()).isTrue();
		assertThat(defaults.slidingWindowSize()).isEqualTo(5);
		assertThat(defaults.failureRateThreshold()).isEqualTo(100f);
		assertThat(defaults.waitInOpenState()).isEqualTo(Duration.ofSeconds(30));
		assertThat(defaults.permittedCallsInHalfOpenState()).isEqualTo(1);
		assertThatThrownBy(() -> new CircuitBreakerSettings(true, 0, 100f, Duration.ofSeconds(1), 1))
			.isInstanceOf(RunlayerConfigurationException.class)
			.hasMessageContaining("sliding-window-size");
	}

}
