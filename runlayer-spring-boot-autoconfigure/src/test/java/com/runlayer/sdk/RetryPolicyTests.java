package com.runlayer.sdk;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
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
import static com.runlayer.sdk.WireSupport.EVENTS;
import static com.runlayer.sdk.WireSupport.PASS;
import static com.runlayer.sdk.WireSupport.POST;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.bash;
import static com.runlayer.sdk.WireSupport.client;
import static com.runlayer.sdk.WireSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retries on the wire and the idempotency key across retries (docs/protocol.md, "Retries"). These tests use the
 * default 30 s budget: no retry starts with less than 2 s of budget left.
 */
class RetryPolicyTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void serverErrorThenSuccessIsRetriedOnceWithTheSameIdempotencyKey() {
		failThenAllow(serverError());
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = client(wm).build()) {
			assertThat(client.runTool(bash("ls"), (input) -> "ran")).isEqualTo("ran");
		}
		List<LoggedRequest> attempts = requests(wm, PRE);
		assertThat(attempts).hasSize(2);
		String key = attempts.get(0).getHeader("x-runlayer-idempotency-key");
		assertThat(key).isNotBlank();
		assertThat(attempts.get(1).getHeader("x-runlayer-idempotency-key")).isEqualTo(key);
		assertThat(attempts.get(1).getBodyAsString()).isEqualTo(attempts.get(0).getBodyAsString());
		assertThat(requests(wm, POST).get(0).getHeader("x-runlayer-idempotency-key")).isNotEqualTo(key);
	}

	@Test
	void tooManyRequestsWithNumericRetryAfterIsRetried() {
		failThenAllow(aResponse().withStatus(429).withHeader("Retry-After", "1"));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = client(wm).build()) {
			assertThat(client.runTool(bash("ls"), (input) -> "ran")).isEqualTo("ran");
		}
		wm.verify(2, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void tooManyRequestsWithoutRetryAfterIsFinal() {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(429)));
		assertBlockedAfter(1);
	}

	@Test
	void tooManyRequestsWithAnHttpDateRetryAfterIsFinal() {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")));
		assertBlockedAfter(1);
	}

	@Test
	void tooManyRequestsWhoseRetryAfterExceedsTheBudgetIsFinal() {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "60")));
		assertBlockedAfter(1);
	}

	@Test
	void badRequestIsFinal() {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(400).withBody("{\"detail\":\"bad\"}")));
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> "ran"))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.outage()).isFalse());
		}
		wm.verify(1, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void persistentServerErrorIsTriedThreeTimesAtMost() {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(503)));
		assertBlockedAfter(3);
	}

	@Test
	void zeroRetriesMeansOneAttempt() {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(503)));
		try (RunlayerClient client = client(wm).maxRetries(0).build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> "ran"))
				.isInstanceOf(RunlayerBlockedException.class);
		}
		wm.verify(1, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void toolPostIsNotRetriedOnServerError() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(serverError()));
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> "ran"))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
					assertThat(ex.outage()).isTrue();
					assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL);
				});
		}
		wm.verify(1, postRequestedFor(urlEqualTo(POST)));
	}

	@Test
	void toolPostIsNotRetriedOnTooManyRequestsEvenWithRetryAfter() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")));
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> "ran"))
				.isInstanceOf(RunlayerBlockedException.class);
		}
		wm.verify(1, postRequestedFor(urlEqualTo(POST)));
	}

	@Test
	void eventsAreNeverRetried() {
		wm.stubFor(post(EVENTS).willReturn(serverError()));
		try (RunlayerClient client = client(wm).build()) {
			client.emitEvent("UserPromptSubmit", "s1", Map.of("prompt", "hi"));
			assertThatThrownBy(() -> client.emitEventStrict("Stop", "s1", Map.of()))
				.isInstanceOf(RunlayerException.class)
				.hasMessageContaining("HTTP 500");
		}
		wm.verify(2, postRequestedFor(urlEqualTo(EVENTS)));
	}

	@Test
	void noRetryStartsWithLessThanTwoSecondsOfBudget() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		try (RunlayerClient client = client(wm).timeout(Duration.ofMillis(1500)).build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> "ran"))
				.isInstanceOf(RunlayerBlockedException.class);
		}
		wm.verify(1, postRequestedFor(urlEqualTo(PRE)));
	}

	private void assertBlockedAfter(int attempts) {
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.runTool(bash("ls"), (input) -> "ran"))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.outage()).isTrue());
		}
		wm.verify(attempts, postRequestedFor(urlEqualTo(PRE)));
	}

	private static void failThenAllow(ResponseDefinitionBuilder failure) {
		wm.stubFor(post(PRE).inScenario("retry")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(failure)
			.willSetStateTo("recovered"));
		wm.stubFor(post(PRE).inScenario("retry").whenScenarioStateIs("recovered").willReturn(okJson(ALLOW)));
	}

}
