package com.runlayer.sdk;

import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The strict preflight sequence on the wire.
 */
class PreflightTests {

	private static final String API_KEY = "rl_preflight_secret_key_123";

	private static final String EVENTS = "/api/v1/hooks/events";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final JsonMapper json = JsonMapper.builder().build();

	private RunlayerClient client;

	@BeforeEach
	void createClient() {
		this.client = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey(API_KEY)
			.build();
	}

	@AfterEach
	void closeClient() {
		this.client.close();
	}

	@Test
	void preflightEventsCarryTheConfiguredWorkingDirectoryElseTheProcesses() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		this.client.sendPreflight(null);
		assertThat(eventBodies()).hasSize(3)
			.allSatisfy((body) -> assertThat(body.get("payload").get("cwd").stringValue())
				.isEqualTo(System.getProperty("user.dir")));
		wm.resetRequests();
		try (RunlayerClient configured = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey(API_KEY)
			.cwd("/srv/agent")
			.build()) {
			configured.sendPreflight(null);
		}
		assertThat(eventBodies()).hasSize(3)
			.allSatisfy((body) -> assertThat(body.get("payload").get("cwd").stringValue()).isEqualTo("/srv/agent"));
	}

	@Test
	void preflightSendsSessionStartPromptAndStopInOrderForOneFreshSession() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));

		PreflightResult result = this.client.sendPreflight("is ingestion working?");

		assertThat(UUID.fromString(result.sessionId()).version()).isEqualTo(4);
		assertThat(result.events()).extracting(PreflightResult.SentEvent::eventName)
			.containsExactly("SessionStart", "UserPromptSubmit", "Stop");
		assertThat(result.events()).allSatisfy((event) -> assertThat(event.roundTrip()).isPositive());
		List<JsonNode> bodies = eventBodies();
		assertThat(bodies).hasSize(3);
		assertThat(bodies).extracting((body) -> body.get("event_name").stringValue())
			.containsExactly("SessionStart", "UserPromptSubmit", "Stop");
		assertThat(bodies).allSatisfy((body) -> {
			assertThat(body.get("client").stringValue()).isEqualTo("python-sdk");
			assertThat(body.get("payload").get("session_id").stringValue()).isEqualTo(result.sessionId());
			assertThat(body.get("payload").get("hook_event_name").stringValue())
				.isEqualTo(body.get("event_name").stringValue());
		});
		assertThat(bodies.get(0).get("payload").get("source").stringValue()).isEqualTo("startup");
		assertThat(bodies.get(1).get("payload").get("prompt").stringValue()).isEqualTo("is ingestion working?");
		assertThat(bodies.get(2).get("payload").get("stop_hook_active").isBoolean()).isTrue();
		assertThat(bodies.get(2).get("payload").get("stop_hook_active").booleanValue()).isFalse();
		wm.verify(3, postRequestedFor(urlEqualTo(EVENTS)).withHeader("x-runlayer-api-key", equalTo(API_KEY)));
	}

	@Test
	void eachPreflightUsesANewSessionId() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));

		String first = this.client.sendPreflight(null).sessionId();
		String second = this.client.sendPreflight(null).sessionId();

		assertThat(first).isNotEqualTo(second);
		wm.verify(postRequestedFor(urlEqualTo(EVENTS))
			.withRequestBody(matchingJsonPath("$.payload.prompt", equalTo("Runlayer ingestion preflight"))));
	}

	@Test
	void failingEventThrowsNamingTheEventStatusAndBodyWithoutTheSecretAndStopsTheSequence() {
		wm.stubFor(post(EVENTS).withRequestBody(matchingJsonPath("$.event_name", equalTo("SessionStart")))
			.willReturn(okJson("{}")));
		wm.stubFor(post(EVENTS).withRequestBody(matchingJsonPath("$.event_name", equalTo("UserPromptSubmit")))
			.willReturn(aResponse().withStatus(403)
				.withBody("{\"detail\":\"client python-sdk not allowed for key " + API_KEY + "\"}" + "x".repeat(5000))));

		RunlayerException ex = catchThrowableOfType(RunlayerException.class, () -> this.client.sendPreflight("hi"));

		assertThat(ex).isNotNull().isNotInstanceOf(RunlayerBlockedException.class);
		assertThat(ex.getMessage()).contains("UserPromptSubmit")
			.contains("403")
			.contains("not allowed for key")
			.doesNotContain(API_KEY)
			.hasSizeLessThan(2000);
		List<JsonNode> bodies = eventBodies();
		assertThat(bodies).extracting((body) -> body.get("event_name").stringValue())
			.containsExactly("SessionStart", "UserPromptSubmit");
	}

	@Test
	void serverErrorOnTheFirstEventIsNotRetriedAndSendsNothingElse() {
		wm.stubFor(post(EVENTS).willReturn(aResponse().withStatus(500).withBody("boom")));

		RunlayerException ex = catchThrowableOfType(RunlayerException.class, () -> this.client.sendPreflight("hi"));

		assertThat(ex.getMessage()).contains("SessionStart").contains("500").contains("boom");
		wm.verify(1, postRequestedFor(urlEqualTo(EVENTS)));
	}

	@Test
	void unreachableRunlayerFailsThePreflightAtSessionStart() {
		RunlayerClient offline = RunlayerClient.builder()
			.baseUrl("http://127.0.0.1:" + freePort())
			.allowInsecureTransport(true)
			.apiKey(API_KEY)
			.build();
		try (offline) {
			RunlayerException ex = catchThrowableOfType(RunlayerException.class, () -> offline.sendPreflight("hi"));
			assertThat(ex.getMessage()).contains("SessionStart").contains("could not be reached").doesNotContain(API_KEY);
		}
	}

	private List<JsonNode> eventBodies() {
		List<LoggedRequest> requests = wm.findAll(postRequestedFor(urlEqualTo(EVENTS)));
		return requests.stream().map((request) -> this.json.readTree(request.getBodyAsString())).toList();
	}

	static int freePort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
