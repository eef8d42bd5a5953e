package com.runlayer.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.ALLOW;
import static com.runlayer.sdk.WireSupport.EVENTS;
import static com.runlayer.sdk.WireSupport.PASS;
import static com.runlayer.sdk.WireSupport.POST;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.TOKEN;
import static com.runlayer.sdk.WireSupport.bash;
import static com.runlayer.sdk.WireSupport.closedPort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret (API key, client secret, subject token, minted token) appears in any log line at any level, in any
 * exception message or {@code toString()}, even when Runlayer echoes the secret back in an error body.
 */
class SecretLeakTests {

	private static final String API_KEY = "rl_SECRETKEY_7c1e0b";

	private static final String CLIENT_SECRET = "SECRETCLIENT_55aa";

	private static final String SUBJECT = "SECRETSUBJECT@example.com";

	private static final String ACCESS_TOKEN = "SECRETTOKEN_jwt_9f8e";

	private static final List<String> SECRETS = List.of(API_KEY, CLIENT_SECRET, SUBJECT, ACCESS_TOKEN);

	// loggers of the WireMock test server itself, which logs the requests it receives by design
	private static final List<String> TEST_SERVER_LOGGERS = List.of("wiremock", "com.github.tomakehurst", "WireMock");

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final List<Throwable> thrown = new ArrayList<>();

	private Logger root;

	private Level rootLevel;

	@BeforeEach
	void captureAllLogs() {
		this.root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		this.rootLevel = this.root.getLevel();
		this.root.setLevel(Level.TRACE);
		this.appender.start();
		this.root.addAppender(this.appender);
	}

	@AfterEach
	void noSecretWasLoggedOrThrown() {
		this.root.detachAppender(this.appender);
		this.root.setLevel(this.rootLevel);
		assertThat(this.appender.list).as("captured log events").isNotEmpty();
		for (ILoggingEvent event : this.appender.list) {
			if (TEST_SERVER_LOGGERS.stream().anyMatch(event.getLoggerName()::startsWith)) {
				continue;
			}
			assertNoSecret(event.getLoggerName() + " " + event.getLevel() + " " + event.getFormattedMessage());
			for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
				assertNoSecret(event.getLoggerName() + " exception " + t.getClassName() + ": " + t.getMessage());
			}
		}
		for (Throwable t : this.thrown) {
			for (Throwable c = t; c != null; c = c.getCause()) {
				assertNoSecret(c.toString());
			}
		}
	}

	@Test
	void allowDenyAndMaskFlows() {
		wm.stubFor(post(PRE).inScenario("flow").whenScenarioStateIs(Scenario.STARTED).willReturn(okJson(ALLOW))
			.willSetStateTo("deny"));
		wm.stubFor(post(PRE).inScenario("flow").whenScenarioStateIs("deny")
			.willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"no\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false,\"modified_output\":\"masked\"}")));
		try (RunlayerClient client = apiKeyClient().debug(true).build()) {
			remember(client.toString());
			client.runTool(bash("ls"), (input) -> "out");
			capture(() -> client.runTool(bash("rm"), (input) -> "out"));
		}
		wm.verify(2, postRequestedFor(urlEqualTo(PRE)).withHeader("x-runlayer-api-key", equalTo(API_KEY)));
	}

	@Test
	void outageWhoseErrorBodyEchoesTheKeyClosedAndOpen() {
		String echo = "{\"detail\":\"invalid key " + API_KEY + "\"}";
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(503).withBody(echo)));
		wm.stubFor(post(POST).willReturn(aResponse().withStatus(500).withBody(echo)));
		wm.stubFor(post(EVENTS).willReturn(aResponse().withStatus(400).withBody(echo)));
		try (RunlayerClient client = apiKeyClient().debug(true).build()) {
			capture(() -> client.runTool(bash("ls"), (input) -> "out"));
			capture(() -> client.emitEventStrict("Stop", "s1", Map.of()));
			client.emitStop("s1");
		}
		try (RunlayerClient client = apiKeyClient().debug(true).enforcementFailureMode(EnforcementFailureMode.OPEN)
			.build()) {
			client.runTool(bash("ls"), (input) -> "out");
		}
		assertThat(this.thrown).hasSize(2);
		// an outage's reason is the SDK's own text and the status, never the server's body (it may reach a model);
		// the strict event's error carries the scrubbed excerpt
		assertThat(this.thrown.get(0).getMessage()).contains("HTTP 503").doesNotContain("invalid key");
		assertThat(this.thrown.get(1).getMessage()).contains("invalid key [redacted]");
		// the SDK did log these failures (debug on: telemetry WARN, open-mode outage WARN)
		assertThat(this.appender.list).filteredOn((e) -> e.getLoggerName().startsWith("com.runlayer")
				&& e.getLevel() == Level.WARN && e.getFormattedMessage().contains("[redacted]")).hasSizeGreaterThanOrEqualTo(2);
	}

	@Test
	void unreachableRunlayer() {
		try (RunlayerClient client = RunlayerClient.builder()
			.baseUrl("http://127.0.0.1:" + closedPort())
			.allowInsecureTransport(true)
			.apiKey(API_KEY)
			.debug(true)
			.build()) {
			capture(() -> client.runTool(bash("ls"), (input) -> "out"));
			client.emitStop("s1");
		}
		assertThat(this.thrown).hasSize(1);
	}

	@Test
	void agentAccountFlowsIncludingRefreshAndRejectedCredentials() {
		wm.stubFor(post(TOKEN).withRequestBody(containing("grant_type=client_credentials"))
			.willReturn(okJson("{\"access_token\":\"" + ACCESS_TOKEN + "_m2m\",\"expires_in\":3600}")));
		wm.stubFor(post(TOKEN).withRequestBody(containing("token-exchange"))
			.willReturn(okJson("{\"access_token\":\"" + ACCESS_TOKEN + "\",\"expires_in\":3600}")));
		wm.stubFor(post(PRE).inScenario("agent").whenScenarioStateIs(Scenario.STARTED).willReturn(okJson(ALLOW))
			.willSetStateTo("expired"));
		wm.stubFor(post(PRE).inScenario("agent").whenScenarioStateIs("expired")
			.willReturn(aResponse().withStatus(401).withBody("{\"detail\":\"token " + ACCESS_TOKEN + " expired\"}")));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = agentClient().build()) {
			remember(client.toString());
			client.runTool(bash("ls"), (input) -> "out");
			capture(() -> client.runTool(bash("ls"), (input) -> "out"));
		}
		wm.verify(postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN)));

		wm.resetAll();
		wm.stubFor(post(TOKEN).willReturn(aResponse().withStatus(401)
			.withBody("{\"detail\":\"bad secret " + CLIENT_SECRET + " for " + SUBJECT + "\"}")));
		try (RunlayerClient client = agentClient().build()) {
			capture(() -> client.runTool(bash("ls"), (input) -> "out"));
		}
		wm.resetAll();
		wm.stubFor(post(TOKEN).willReturn(aResponse().withStatus(500)
			.withBody("{\"detail\":\"bad secret " + CLIENT_SECRET + " for " + SUBJECT + "\"}")));
		try (RunlayerClient client = agentClient().build()) {
			capture(() -> client.runTool(bash("ls"), (input) -> "out"));
		}
		assertThat(this.thrown).hasSize(3).allSatisfy((t) -> assertThat(t).isInstanceOf(RunlayerBlockedException.class));
	}

	private RunlayerClient.Builder apiKeyClient() {
		return RunlayerClient.builder().baseUrl(wm.baseUrl()).allowInsecureTransport(true).apiKey(API_KEY);
	}

	private RunlayerClient.Builder agentClient() {
		return RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.agentClientId("client_123")
			.agentClientSecret(CLIENT_SECRET)
			.agentSubjectToken(SUBJECT)
			.agentSubjectTokenType("urn:runlayer:token-type:user-email")
			.debug(true);
	}

	private void capture(Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			this.thrown.add(ex);
		}
	}

	private void remember(String text) {
		assertNoSecret(text);
	}

	private static void assertNoSecret(String text) {
		for (String secret : SECRETS) {
			assertThat(text).doesNotContain(secret);
		}
	}

}
