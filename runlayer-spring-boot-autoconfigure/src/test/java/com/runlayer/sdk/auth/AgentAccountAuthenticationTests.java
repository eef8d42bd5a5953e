package com.runlayer.sdk.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerConfigurationException;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.ToolCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Agent-account authentication against a WireMock Runlayer: token minting, caching, refresh, OBO exchange, 401
 * handling and token-endpoint failures on enforcement and telemetry paths.
 */
class AgentAccountAuthenticationTests {

	private static final String TOKEN = "/api/v1/oauth/token";

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	private static final String EVENTS = "/api/v1/hooks/events";

	private static final String CLIENT_ID = "client_agent_1";

	private static final String SECRET = "s3cr3t-agent-secret-value";

	private static final String SUBJECT = "user@example.com";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private RunlayerClient agentClient() {
		return agentClient((b) -> {
		});
	}

	private RunlayerClient agentClient(Consumer<RunlayerClient.Builder> customizer) {
		RunlayerClient.Builder builder = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.agentClientId(CLIENT_ID)
			.agentClientSecret(SECRET);
		customizer.accept(builder);
		return builder.build();
	}

	private static void stubToken(String accessToken, long expiresIn) {
		wm.stubFor(post(TOKEN).willReturn(tokenResponse(accessToken, expiresIn)));
	}

	private static ResponseDefinitionBuilder tokenResponse(String accessToken, long expiresIn) {
		return okJson("{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
				+ "}");
	}

	private static void stubAllowingHooks() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
	}

	private static ToolCall bashCall() {
		return ToolCall.builder()
			.sessionId("s1")
			.toolName("Bash")
			.toolType("shell")
			.toolInput(Map.of("command", "ls"))
			.build();
	}

	// ---------------------------------------------------------------------------------------------------------
	// Minting, caching, headers

	@Test
	void tokenIsMintedOnceAndReusedAcross200ConcurrentToolCalls() throws Exception {
		// a slow token endpoint makes every thread ask for a token while the first request is still in flight
		wm.stubFor(post(TOKEN).willReturn(tokenResponse("tok-1", 3600).withFixedDelay(300)));
		stubAllowingHooks();
		AtomicInteger ran = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(32);
		try (RunlayerClient client = agentClient()) {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Object>> results = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				results.add(pool.submit(() -> {
					start.await();
					return client.runTool(bashCall(), (input) -> "ok-" + ran.incrementAndGet());
				}));
			}
			start.countDown();
			for (Future<Object> result : results) {
				assertThat(result.get(60, TimeUnit.SECONDS)).asString().startsWith("ok-");
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(ran).hasValue(200);
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN)));
		wm.verify(exactly(200), postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer tok-1")));
		wm.verify(exactly(200), postRequestedFor(urlEqualTo(POST)).withHeader("Authorization", equalTo("Bearer tok-1")));
	}

	@Test
	void clientCredentialsRequestIsFormEncodedWithTheClientIdAndSecret() {
		stubToken("tok-1", 3600);
		stubAllowingHooks();
		try (RunlayerClient client = agentClient()) {
			client.runTool(bashCall(), (input) -> "ok");
		}
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN))
			.withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
			.withHeader("x-runlayer-api-key", absent())
			.withHeader("Authorization", absent())
			.withFormParam("grant_type", equalTo("client_credentials"))
			.withFormParam("client_id", equalTo(CLIENT_ID))
			.withFormParam("client_secret", equalTo(SECRET)));
	}

	@Test
	void hookCallsCarryTheBearerTokenAndNoApiKeyHeader() {
		stubToken("tok-1", 3600);
		stubAllowingHooks();
		try (RunlayerClient client = agentClient()) {
			assertThat(client.authMode()).isEqualTo(AuthMode.AGENT);
			client.runTool(bashCall(), (input) -> "ok");
			client.emitEventStrict("UserPromptSubmit", "s1", Map.of("prompt", "hi"));
		}
		for (String path : List.of(PRE, POST, EVENTS)) {
			wm.verify(exactly(1), postRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo("Bearer tok-1"))
				.withHeader("x-runlayer-api-key", absent()));
		}
	}

	@Test
	void aTokenEndpointAnswerWithoutExpiresInUsesTheJwtExpiry() {
		// header.payload.signature with payload {"exp": 4102444800} (2100-01-01)
		String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln";
		wm.stubFor(post(TOKEN).willReturn(okJson("{\"access_token\":\"" + jwt + "\",\"token_type\":\"Bearer\"}")));
		stubAllowingHooks();
		try (RunlayerClient client = agentClient()) {
			client.runTool(bashCall(), (input) -> "ok");
			client.runTool(bashCall(), (input) -> "ok");
		}
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN)));
		wm.verify(exactly(2), postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer " + jwt)));
	}

	// ---------------------------------------------------------------------------------------------------------
	// Refresh

	@Test
	void tokenIsRefreshedBeforeItExpires() {
		MutableClock clock = new MutableClock();
		wm.stubFor(post(TOKEN).inScenario("refresh").whenScenarioStateIs(Scenario.STARTED)
			.willReturn(tokenResponse("tok-1", 600)).willSetStateTo("second"));
		wm.stubFor(post(TOKEN).inScenario("refresh").whenScenarioStateIs("second")
			.willReturn(tokenResponse("tok-2", 600)));
		try (TokenFixture fixture = new TokenFixture(clock, AgentCredentials.of(CLIENT_ID, SECRET, null, null))) {
			AgentAccountAuthentication auth = fixture.auth;
			assertThat(auth.token()).isEqualTo("tok-1");
			// 600 s lifetime: refresh when less than max(60 s, 10 %) = 60 s remains, i.e. from 540 s on
			clock.advance(Duration.ofSeconds(539));
			assertThat(auth.token()).isEqualTo("tok-1");
			wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN)));
			clock.advance(Duration.ofSeconds(2));
			assertThat(auth.token()).isEqualTo("tok-2");
			assertThat(auth.token()).isEqualTo("tok-2");
			wm.verify(exactly(2), postRequestedFor(urlEqualTo(TOKEN)));
		}
	}

	@Test
	void aVeryShortLivedTokenIsStillReusedForHalfItsLifetime() {
		MutableClock clock = new MutableClock();
		stubToken("tok-short", 30);
		try (TokenFixture fixture = new TokenFixture(clock, AgentCredentials.of(CLIENT_ID, SECRET, null, null))) {
			fixture.auth.token();
			clock.advance(Duration.ofSeconds(14));
			fixture.auth.token();
			wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN)));
			clock.advance(Duration.ofSeconds(2));
			fixture.auth.token();
			wm.verify(exactly(2), postRequestedFor(urlEqualTo(TOKEN)));
		}
	}

	@Test
	void aFailedEarlyRefreshKeepsUsingTheStillValidToken() {
		MutableClock clock = new MutableClock();
		wm.stubFor(post(TOKEN).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
			.willReturn(tokenResponse("tok-1", 600)).willSetStateTo("down"));
		wm.stubFor(post(TOKEN).inScenario("flaky").whenScenarioStateIs("down")
			.willReturn(aResponse().withStatus(400).withBody("{\"error\":\"invalid_client\"}")));
		try (TokenFixture fixture = new TokenFixture(clock, AgentCredentials.of(CLIENT_ID, SECRET, null, null))) {
			assertThat(fixture.auth.token()).isEqualTo("tok-1");
			clock.advance(Duration.ofSeconds(550));
			assertThat(fixture.auth.token()).isEqualTo("tok-1");
			// the next attempt waits a few seconds instead of hitting the token endpoint on every call
			assertThat(fixture.auth.token()).isEqualTo("tok-1");
			wm.verify(exactly(2), postRequestedFor(urlEqualTo(TOKEN)));
			clock.advance(Duration.ofSeconds(60));
			assertThatExceptionOfType(RunlayerException.class).isThrownBy(fixture.auth::token)
				.withMessageContaining("client_credentials");
		}
	}

	@Test
	void a401OnAHookCallRefreshesTheTokenOnceAndResendsOnce() {
		wm.stubFor(post(TOKEN).inScenario("rotate").whenScenarioStateIs(Scenario.STARTED)
			.willReturn(tokenResponse("tok-old", 3600)).willSetStateTo("rotated"));
		wm.stubFor(post(TOKEN).inScenario("rotate").whenScenarioStateIs("rotated")
			.willReturn(tokenResponse("tok-new", 3600)));
		wm.stubFor(post(PRE).withHeader("Authorization", equalTo("Bearer tok-old")).willReturn(aResponse().withStatus(401)));
		wm.stubFor(post(PRE).withHeader("Authorization", equalTo("Bearer tok-new"))
			.willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		try (RunlayerClient client = agentClient()) {
			assertThat(client.runTool(bashCall(), (input) -> "ran")).isEqualTo("ran");
		}
		wm.verify(exactly(2), postRequestedFor(urlEqualTo(TOKEN)));
		wm.verify(exactly(2), postRequestedFor(urlEqualTo(PRE)));
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer tok-new")));
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(POST)).withHeader("Authorization", equalTo("Bearer tok-new")));
	}

	@Test
	void manyConcurrentCallsRejectedWithTheSameTokenCauseOneRefresh() throws Exception {
		wm.stubFor(post(TOKEN).inScenario("rotate").whenScenarioStateIs(Scenario.STARTED)
			.willReturn(tokenResponse("tok-old", 3600)).willSetStateTo("rotated"));
		wm.stubFor(post(TOKEN).inScenario("rotate").whenScenarioStateIs("rotated")
			.willReturn(tokenResponse("tok-new", 3600)));
		wm.stubFor(post(PRE).withHeader("Authorization", equalTo("Bearer tok-old"))
			.willReturn(aResponse().withStatus(401).withFixedDelay(100)));
		wm.stubFor(post(PRE).withHeader("Authorization", equalTo("Bearer tok-new"))
			.willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try (RunlayerClient client = agentClient()) {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Object>> results = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				results.add(pool.submit(() -> {
					start.await();
					return client.runTool(bashCall(), (input) -> "ran");
				}));
			}
			start.countDown();
			for (Future<Object> result : results) {
				assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo("ran");
			}
		}
		finally {
			pool.shutdownNow();
		}
		wm.verify(exactly(2), postRequestedFor(urlEqualTo(TOKEN)));
		wm.verify(exactly(20), postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer tok-new")));
	}

	@Test
	void aHookCallStillAnswering401AfterTheRefreshIsBlockedWithoutFurtherResends() {
		stubToken("tok-1", 3600);
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(401).withBody("{\"detail\":\"bad token\"}")));
		AtomicInteger ran = new AtomicInteger();
		try (RunlayerClient client = agentClient()) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.runTool(bashCall(), (input) -> ran.incrementAndGet()))
				.satisfies((ex) -> assertThat(ex.outage()).isFalse())
				.withMessageContaining("401");
		}
		assertThat(ran).hasValue(0);
		wm.verify(exactly(2), postRequestedFor(urlEqualTo(TOKEN)));
		wm.verify(exactly(2), postRequestedFor(urlEqualTo(PRE)));
	}

	// ---------------------------------------------------------------------------------------------------------
	// On-behalf-of exchange

	@ParameterizedTest
	@ValueSource(strings = { "urn:runlayer:token-type:user-id", "urn:runlayer:token-type:user-email",
			"urn:ietf:params:oauth:token-type:access_token" })
	void onBehalfOfExchangeSendsTheSubjectAndTheM2mTokenAsActor(String subjectTokenType) {
		wm.stubFor(post(TOKEN).withFormParam("grant_type", equalTo("client_credentials"))
			.willReturn(tokenResponse("m2m-jwt", 3600)));
		wm.stubFor(post(TOKEN).withFormParam("grant_type", equalTo("urn:ietf:params:oauth:grant-type:token-exchange"))
			.willReturn(tokenResponse("obo-jwt", 3600)));
		stubAllowingHooks();
		try (RunlayerClient client = agentClient(
				(b) -> b.agentSubjectToken(SUBJECT).agentSubjectTokenType(subjectTokenType))) {
			assertThat(client.authMode()).isEqualTo(AuthMode.AGENT_OBO);
			client.runTool(bashCall(), (input) -> "ok");
			client.runTool(bashCall(), (input) -> "ok");
		}
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN))
			.withFormParam("grant_type", equalTo("client_credentials"))
			.withFormParam("client_id", equalTo(CLIENT_ID))
			.withFormParam("client_secret", equalTo(SECRET)));
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN))
			.withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
			.withFormParam("grant_type", equalTo("urn:ietf:params:oauth:grant-type:token-exchange"))
			.withFormParam("subject_token", equalTo(SUBJECT))
			.withFormParam("subject_token_type", equalTo(subjectTokenType))
			.withFormParam("actor_token", equalTo("m2m-jwt"))
			.withFormParam("actor_token_type", equalTo("urn:ietf:params:oauth:token-type:access_token"))
			.withFormParam("client_id", equalTo(CLIENT_ID))
			.withFormParam("client_secret", equalTo(SECRET)));
		wm.verify(exactly(2), postRequestedFor(urlEqualTo(TOKEN)));
		wm.verify(exactly(2), postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer obo-jwt")));
	}

	@Test
	void aRejectedExchangeNamesTheOnBehalfOfGrantAndItsSettings() {
		wm.stubFor(post(TOKEN).withFormParam("grant_type", equalTo("client_credentials"))
			.willReturn(tokenResponse("m2m-jwt", 3600)));
		wm.stubFor(post(TOKEN).withFormParam("grant_type", equalTo("urn:ietf:params:oauth:grant-type:token-exchange"))
			.willReturn(aResponse().withStatus(400).withBody("{\"error\":\"invalid_grant\"}")));
		stubAllowingHooks();
		try (RunlayerClient client = agentClient((b) -> b.agentSubjectToken(SUBJECT)
			.agentSubjectTokenType("urn:runlayer:token-type:user-email"))) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.runTool(bashCall(), (input) -> "never"))
				.withMessageContaining("token-exchange")
				.withMessageContaining("RUNLAYER_AGENT_SUBJECT_TOKEN_TYPE")
				.withMessageContaining("HTTP 400")
				.withMessageNotContaining("invalid_grant")
				.withMessageNotContaining(SECRET)
				.withMessageNotContaining("m2m-jwt")
				.withMessageNotContaining(SUBJECT);
		}
		wm.verify(exactly(0), postRequestedFor(urlEqualTo(PRE)));
	}

	// ---------------------------------------------------------------------------------------------------------
	// Token endpoint failures

	static Stream<Arguments> tokenEndpointFailures() {
		// the error bodies echo the secret to prove it is scrubbed from messages
		return Stream.of(
				Arguments.of("400", aResponse().withStatus(400)
					.withBody("{\"error\":\"invalid_client\",\"error_description\":\"bad " + SECRET + "\"}")),
				Arguments.of("401", aResponse().withStatus(401).withBody("{\"error\":\"invalid_client\"," + "\"echo\":\""
						+ SECRET + "\"}")),
				Arguments.of("500", aResponse().withStatus(500).withBody("boom " + SECRET)),
				Arguments.of("timeout", okJson("{\"access_token\":\"late\",\"expires_in\":3600}").withFixedDelay(3000)));
	}

	@ParameterizedTest(name = "token endpoint {0}")
	@MethodSource("tokenEndpointFailures")
	void aTokenEndpointFailureBlocksEnforcementNamingTheGrantAndSettings(String label,
			ResponseDefinitionBuilder answer) {
		wm.stubFor(post(TOKEN).willReturn(answer));
		stubAllowingHooks();
		AtomicInteger ran = new AtomicInteger();
		try (RunlayerClient client = agentClient((b) -> b.timeout(Duration.ofMillis(1500)))) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.runTool(bashCall(), (input) -> ran.incrementAndGet()))
				.satisfies((ex) -> {
					// a 400 or 401 refuses the credentials (a decision); a 500 or a timeout is an outage
					assertThat(ex.outage()).isEqualTo(!label.startsWith("4"));
					assertThat(ex.stage()).isEqualTo(EnforcementStage.PRE_TOOL);
					assertThat(ex.getMessage()).contains("client_credentials", "RUNLAYER_AGENT_CLIENT_ID",
							"RUNLAYER_AGENT_CLIENT_SECRET");
					assertThat(fullText(ex)).doesNotContain(SECRET);
				});
		}
		assertThat(ran).hasValue(0);
		wm.verify(exactly(0), postRequestedFor(urlEqualTo(PRE)));
	}

	@ParameterizedTest(name = "token endpoint {0}")
	@MethodSource("tokenEndpointFailures")
	void aTokenEndpointFailureIsSwallowedByBestEffortTelemetryAndRaisedByStrictTelemetry(String label,
			ResponseDefinitionBuilder answer) {
		wm.stubFor(post(TOKEN).willReturn(answer));
		stubAllowingHooks();
		try (RunlayerClient client = agentClient((b) -> b.timeout(Duration.ofMillis(1500)))) {
			assertThatNoException().isThrownBy(() -> client.emitEvent("UserPromptSubmit", "s1", Map.of("prompt", "hi")));
			assertThatExceptionOfType(RunlayerException.class)
				.isThrownBy(() -> client.emitEventStrict("UserPromptSubmit", "s1", Map.of("prompt", "hi")))
				.satisfies((ex) -> {
					assertThat(ex.getMessage()).contains("UserPromptSubmit", "client_credentials",
							"RUNLAYER_AGENT_CLIENT_ID");
					assertThat(fullText(ex)).doesNotContain(SECRET);
				});
		}
		wm.verify(exactly(0), postRequestedFor(urlEqualTo(EVENTS)));
	}

	@Test
	void a400FromTheTokenEndpointSaysWhichGrantFailedAndWhatToCheck() {
		wm.stubFor(post(TOKEN).willReturn(aResponse().withStatus(400).withBody("{\"error\":\"invalid_client\"}")));
		try (RunlayerClient client = agentClient()) {
			assertThatExceptionOfType(RunlayerException.class)
				.isThrownBy(() -> client.emitEventStrict("Stop", "s1", null))
				.withMessageContaining("Runlayer rejected the agent-account client_credentials grant")
				.withMessageContaining("HTTP 400")
				.withMessageContaining("runlayer.agent.client-id")
				// the token endpoint's error body is never quoted: it may echo credentials
				.withMessageNotContaining("invalid_client");
		}
	}

	// ---------------------------------------------------------------------------------------------------------
	// Configuration

	@Test
	void anUnknownSubjectTokenTypeIsAConfigurationErrorListingTheThreeTypes() {
		assertThatExceptionOfType(RunlayerConfigurationException.class)
			.isThrownBy(() -> agentClient((b) -> b.agentSubjectToken(SUBJECT).agentSubjectTokenType("email")))
			// a value that is not a URN may be a subject token typed into the wrong setting: it is not quoted
			.withMessageContaining("not a URN")
			.withMessageNotContaining("'email'")
			.withMessageContaining("urn:runlayer:token-type:user-id")
			.withMessageContaining("urn:runlayer:token-type:user-email")
			.withMessageContaining("urn:ietf:params:oauth:token-type:access_token")
			.withMessageContaining("RUNLAYER_AGENT_SUBJECT_TOKEN_TYPE")
			.withMessageNotContaining(SUBJECT);
	}

	@Test
	void anUnknownSubjectTokenTypeFromTheEnvironmentIsAConfigurationError() {
		Map<String, String> env = Map.of("RUNLAYER_BASE_URL", wm.baseUrl(), "RUNLAYER_ALLOW_INSECURE_TRANSPORT", "1",
				"RUNLAYER_AGENT_CLIENT_ID", CLIENT_ID, "RUNLAYER_AGENT_CLIENT_SECRET", SECRET,
				"RUNLAYER_AGENT_SUBJECT_TOKEN", SUBJECT, "RUNLAYER_AGENT_SUBJECT_TOKEN_TYPE", "urn:other");
		assertThatExceptionOfType(RunlayerConfigurationException.class)
			.isThrownBy(() -> RunlayerClient.fromEnvironment(env, (b) -> {
			}))
			.withMessageContaining("urn:runlayer:token-type:user-id, urn:runlayer:token-type:user-email,"
					+ " urn:ietf:params:oauth:token-type:access_token");
	}

	@Test
	void aSubjectTokenWithoutItsTypeIsAConfigurationError() {
		assertThatExceptionOfType(RunlayerConfigurationException.class)
			.isThrownBy(() -> agentClient((b) -> b.agentSubjectToken(SUBJECT)))
			.withMessageContaining("RUNLAYER_AGENT_SUBJECT_TOKEN_TYPE");
	}

	@Test
	void anApiKeyTogetherWithAgentCredentialsIsAConfigurationError() {
		assertThatExceptionOfType(RunlayerConfigurationException.class)
			.isThrownBy(() -> agentClient((b) -> b.apiKey("rl_user_key_123")))
			.withMessageContaining("RUNLAYER_API_KEY")
			.withMessageContaining("RUNLAYER_AGENT_")
			.withMessageNotContaining("rl_user_key_123")
			.withMessageNotContaining(SECRET);
	}

	@Test
	void anAgentClientIdWithoutASecretIsAConfigurationError() {
		assertThatExceptionOfType(RunlayerConfigurationException.class)
			.isThrownBy(() -> RunlayerClient.builder()
				.baseUrl(wm.baseUrl())
				.allowInsecureTransport(true)
				.agentClientId(CLIENT_ID)
				.build())
			.withMessageContaining("RUNLAYER_AGENT_CLIENT_SECRET");
	}

	@Test
	void noStringFormOfTheClientOrCredentialsShowsASecret() {
		stubToken("tok-visible-only-on-the-wire", 3600);
		stubAllowingHooks();
		RunlayerClient.Builder builder = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.agentClientId(CLIENT_ID)
			.agentClientSecret(SECRET)
			.agentSubjectToken(SUBJECT)
			.agentSubjectTokenType("urn:runlayer:token-type:user-email");
		AgentCredentials credentials = AgentCredentials.of(CLIENT_ID, SECRET, SUBJECT,
				"urn:runlayer:token-type:user-email");
		try (RunlayerClient client = builder.build()) {
			client.runTool(bashCall(), (input) -> "ok");
			assertThat(client.toString()).doesNotContain(SECRET, SUBJECT, "tok-visible-only-on-the-wire");
		}
		assertThat(builder.toString()).doesNotContain(SECRET);
		assertThat(credentials.toString()).doesNotContain(SECRET, SUBJECT);
		assertThat(new AgentAccountAuthentication(credentials).toString()).doesNotContain(SECRET, SUBJECT);
	}

	private static String fullText(Throwable error) {
		StringBuilder text = new StringBuilder();
		for (Throwable t = error; t != null; t = t.getCause()) {
			text.append(t).append('\n');
		}
		return text.toString();
	}

	/** An auth wired to WireMock through its own token transport, with a controllable clock. */
	private static final class TokenFixture implements AutoCloseable {

		private final com.runlayer.sdk.transport.HookTransport transport;

		private final AgentAccountAuthentication auth;

		TokenFixture(MutableClock clock, AgentCredentials credentials) {
			this.transport = new com.runlayer.sdk.transport.HookTransport(
					new com.runlayer.sdk.transport.TransportSettings(wm.baseUrl(), null, 1024 * 1024,
							com.runlayer.sdk.transport.RetryPolicy.DEFAULT, "Runlayer-Java-SDK/test", false, null),
					null);
			this.auth = new AgentAccountAuthentication(credentials, clock);
			this.auth.useTransport(this.transport);
		}

		@Override
		public void close() {
			this.transport.close();
		}

	}

}
