package com.runlayer.sdk.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerConfigurationException;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.ToolCall;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Per-call subjects against a WireMock Runlayer: each user's calls exchange that user's subject once and carry that
 * user's on-behalf-of token, never another user's; events and tool/post keep the subject of the caller; 401s,
 * cache bounds and failures stay per subject; subject tokens never reach logs, messages or string forms.
 */
class OnBehalfOfSubjectsTests {

	private static final String TOKEN = "/api/v1/oauth/token";

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	private static final String EVENTS = "/api/v1/hooks/events";

	private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

	private static final List<String> USERS = List.of("alice@example.com", "bob@example.com");

	private static final ThreadLocal<RunlayerSubject> CURRENT_USER = new ThreadLocal<>();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().containerThreads(64))
		.build();

	@BeforeEach
	void stubs() {
		wm.stubFor(post(TOKEN).withFormParam("grant_type", equalTo("client_credentials"))
			.willReturn(token("m2m-token", 3600)));
		for (String user : USERS) {
			wm.stubFor(post(TOKEN).withFormParam("grant_type", equalTo(EXCHANGE))
				.withFormParam("subject_token", equalTo(user))
				.willReturn(token(oboToken(user), 3600).withFixedDelay(200)));
		}
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
	}

	private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder token(String value, long expiresIn) {
		return okJson("{\"access_token\":\"" + value + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}");
	}

	private static String oboToken(String user) {
		return "obo-" + user.substring(0, user.indexOf('@'));
	}

	private RunlayerClient client(Consumer<RunlayerClient.Builder> customizer) {
		RunlayerClient.Builder builder = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.agentClientId("client_agent_1")
			.agentClientSecret("s3cr3t-agent-secret-value")
			.subjectResolver((sessionId) -> Optional.ofNullable(CURRENT_USER.get()));
		customizer.accept(builder);
		return builder.build();
	}

	private static ToolCall call(String sessionId) {
		return ToolCall.builder().sessionId(sessionId).toolName("export_ledger").toolType("function")
			.toolInput(Map.of("year", 2026)).build();
	}

	@Test
	void twoUsersConcurrentCallsEachExchangeTheirSubjectOnceAndCarryTheirOwnToken() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(16);
		AtomicInteger ran = new AtomicInteger();
		try (RunlayerClient client = client((b) -> {
		})) {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Object>> results = new ArrayList<>();
			for (int i = 0; i < 60; i++) {
				String user = USERS.get(i % 2);
				String session = user + "#" + i;
				results.add(pool.submit(() -> {
					CURRENT_USER.set(RunlayerSubject.userEmail(user));
					try {
						start.await();
						client.emitUserPromptSubmit(session, "hello");
						return client.runTool(call(session), (input) -> ran.incrementAndGet());
					}
					finally {
						CURRENT_USER.remove();
					}
				}));
			}
			start.countDown();
			for (Future<Object> result : results) {
				result.get(60, TimeUnit.SECONDS);
			}
			for (int i = 0; i < 60; i++) {
				client.eventDispatcher().awaitSession(USERS.get(i % 2) + "#" + i, Duration.ofSeconds(10));
			}
			TokenCacheStats stats = client.subjectTokenCache().orElseThrow();
			assertThat(stats.size()).isEqualTo(2);
			assertThat(stats.misses() + stats.hits()).isEqualTo(60 * 3);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(ran).hasValue(60);
		// one M2M token shared by both users, one exchange per user
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN)).withFormParam("grant_type", equalTo("client_credentials")));
		for (String user : USERS) {
			wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN)).withFormParam("grant_type", equalTo(EXCHANGE))
				.withFormParam("subject_token", equalTo(user))
				.withFormParam("subject_token_type", equalTo(RunlayerSubject.USER_EMAIL))
				.withFormParam("actor_token", equalTo("m2m-token")));
		}
		int checked = 0;
		for (String path : List.of(PRE, POST, EVENTS)) {
			for (LoggedRequest request : wm.findAll(postRequestedFor(urlEqualTo(path)))) {
				JsonNode body = JSON.readTree(request.getBodyAsString());
				String session = body.path("payload").path("session_id").asString();
				String user = session.substring(0, session.indexOf('#'));
				assertThat(request.getHeader("Authorization")).as(path + " of " + session)
					.isEqualTo("Bearer " + oboToken(user));
				checked++;
			}
		}
		assertThat(checked).isEqualTo(180);
	}

	@Test
	void aCallsOwnSubjectWinsOverTheResolverAndTheStaticSubject() {
		try (RunlayerClient client = client((b) -> b.agentSubjectToken("carol@example.com")
			.agentSubjectTokenType(RunlayerSubject.USER_EMAIL))) {
			wm.stubFor(post(TOKEN).withFormParam("grant_type", equalTo(EXCHANGE))
				.withFormParam("subject_token", equalTo("carol@example.com"))
				.willReturn(token("obo-carol", 3600)));
			// no resolver answer: the static subject
			client.runTool(call("static#1"), (input) -> "ok");
			// the call's own subject
			client.runTool(call("own#2").withSubject(RunlayerSubject.userEmail("bob@example.com")), (input) -> "ok");
			assertThat(client.subjectSource()).isEqualTo("custom+static");
		}
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer obo-carol")));
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer obo-bob")));
	}

	@Test
	void withoutAnySubjectTheAgentActsAsItself() {
		try (RunlayerClient client = client((b) -> {
		})) {
			client.runTool(call("none#1"), (input) -> "ok");
			assertThat(client.subjectSource()).isEqualTo("custom");
		}
		wm.verify(exactly(0), postRequestedFor(urlEqualTo(TOKEN)).withFormParam("grant_type", equalTo(EXCHANGE)));
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer m2m-token")));
	}

	@Test
	void a401ForOneUsersTokenRefreshesThatUserOnlyAndKeepsTheOtherUsersToken() {
		wm.stubFor(post(PRE).withHeader("Authorization", equalTo("Bearer obo-alice"))
			.willReturn(aResponse().withStatus(401)));
		try (RunlayerClient client = client((b) -> {
		})) {
			runAs("bob@example.com", () -> client.runTool(call("bob@example.com#1"), (input) -> "ok"));
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> runAs("alice@example.com", () -> client.runTool(call("alice@example.com#2"),
						(input) -> "never")));
			runAs("bob@example.com", () -> client.runTool(call("bob@example.com#3"), (input) -> "ok"));
		}
		// alice: exchanged, rejected, exchanged again; bob: once
		wm.verify(exactly(2), postRequestedFor(urlEqualTo(TOKEN)).withFormParam("subject_token", equalTo("alice@example.com")));
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(TOKEN)).withFormParam("subject_token", equalTo("bob@example.com")));
		wm.verify(exactly(2), postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer obo-bob")));
	}

	@Test
	void theCacheIsBoundedAndCountsHitsMissesAndEvictions() {
		List<String> users = List.of("u1@example.com", "u2@example.com", "u3@example.com");
		for (String user : users) {
			wm.stubFor(post(TOKEN).withFormParam("grant_type", equalTo(EXCHANGE)).withFormParam("subject_token", equalTo(user))
				.willReturn(token("obo-" + user.substring(0, 2), 3600)));
		}
		try (RunlayerClient client = client((b) -> b.subjectTokenCache(2, Duration.ofMinutes(30)))) {
			for (String user : users) {
				runAs(user, () -> client.runTool(call(user + "#1"), (input) -> "ok"));
			}
			TokenCacheStats stats = client.subjectTokenCache().orElseThrow();
			assertThat(stats.maxSize()).isEqualTo(2);
			assertThat(stats.size()).isLessThanOrEqualTo(2);
			assertThat(stats.evictions()).isGreaterThanOrEqualTo(1);
			// three users, pre and post each: the first lookup of each user misses, the second hits
			assertThat(stats.misses()).isEqualTo(3);
			assertThat(stats.hits()).isEqualTo(3);
			assertThat(stats.toString()).doesNotContain("u1@", "u2@", "u3@", "obo-");
		}
	}

	@Test
	void aFailingResolverBlocksTheCallAsAnOutageWithoutQuotingIt() {
		AtomicInteger ran = new AtomicInteger();
		try (RunlayerClient client = client((b) -> b.subjectResolver((sessionId) -> {
			throw new IllegalStateException("no user");
		}))) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.runTool(call("s#1"), (input) -> ran.incrementAndGet()))
				.satisfies((ex) -> assertThat(ex.outage()).isTrue())
				.withMessageContaining("subject resolver");
		}
		assertThat(ran).hasValue(0);
		wm.verify(exactly(0), postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void inOpenModeAFailingResolverLetsTheToolRunButSendsNothingUnderAnotherIdentity() {
		try (RunlayerClient client = client((b) -> b
			.enforcementFailureMode(com.runlayer.sdk.EnforcementFailureMode.OPEN)
			.subjectResolver((sessionId) -> {
				throw new IllegalStateException("no user");
			}))) {
			assertThat(client.runTool(call("s#1"), (input) -> "ran")).isEqualTo("ran");
		}
		wm.verify(exactly(0), postRequestedFor(urlEqualTo(PRE)));
		wm.verify(exactly(0), postRequestedFor(urlEqualTo(POST)));
	}

	@Test
	void aResumedCallIsScannedForTheResolversUserLikeItsPreToolCall() {
		// e.g. a Claude PostToolUse hook: the post-tool scan must act for the same user as the pre-tool decision,
		// not for the agent alone (whose policies may let the output through)
		try (RunlayerClient client = client((b) -> {
		})) {
			runAs("alice@example.com", () -> client.beginTool(call("alice@example.com#1")));
			Object out = runAs("alice@example.com",
					() -> client.resumeTool(call("alice@example.com#1")).complete("ledger"));
			assertThat(out).isEqualTo("ledger");
		}
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer obo-alice")));
		wm.verify(exactly(1), postRequestedFor(urlEqualTo(POST)).withHeader("Authorization", equalTo("Bearer obo-alice")));
		wm.verify(exactly(0), postRequestedFor(urlEqualTo(POST)).withHeader("Authorization", equalTo("Bearer m2m-token")));
	}

	@Test
	void aResumedCallWhoseResolverFailsIsNotScannedUnderAnotherIdentityAndBlocksWhenClosed() {
		try (RunlayerClient client = client((b) -> b.subjectResolver((sessionId) -> {
			throw new IllegalStateException("no user");
		}))) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.resumeTool(call("s#1")).complete("ledger"))
				.satisfies((ex) -> assertThat(ex.outage()).isTrue())
				.withMessageContaining("subject resolver");
		}
		try (RunlayerClient client = client((b) -> b
			.enforcementFailureMode(com.runlayer.sdk.EnforcementFailureMode.OPEN)
			.subjectResolver((sessionId) -> {
				throw new IllegalStateException("no user");
			}))) {
			assertThat(client.resumeTool(call("s#2")).complete("ledger")).isEqualTo("ledger");
		}
		wm.verify(exactly(0), postRequestedFor(urlEqualTo(POST)));
	}

	@Test
	void anErrorBodyEchoingAUsersTokenIsScrubbedFromTheOutage() {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(403).withBody("{\"detail\":\"token obo-alice is not"
				+ " allowed here\"}")));
		try (RunlayerClient client = client((b) -> {
		})) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> runAs("alice@example.com", () -> client.runTool(call("alice@example.com#1"),
						(input) -> "never")))
				.satisfies((ex) -> {
					for (Throwable t = ex; t != null; t = t.getCause()) {
						assertThat(String.valueOf(t)).doesNotContain("obo-alice");
					}
				});
		}
	}

	@Test
	void subjectsNeedAgentCredentials() {
		assertThatExceptionOfType(RunlayerConfigurationException.class).isThrownBy(() -> RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey("rl_test_key_123456")
			.subjectResolver((sessionId) -> Optional.empty())
			.build()).withMessageContaining("agent");
		try (RunlayerClient client = RunlayerClient.builder().baseUrl(wm.baseUrl()).allowInsecureTransport(true)
			.apiKey("rl_test_key_123456").build()) {
			assertThatExceptionOfType(RunlayerException.class).isThrownBy(() -> client
				.runTool(call("s#1").withSubject(RunlayerSubject.userId("u-1")), (input) -> "never"))
				.withMessageContaining("agent-account");
		}
	}

	@Test
	void subjectTokensNeverReachLogsMessagesOrStringForms() {
		String accessToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJlLW9mLXVzZXItNDI";
		wm.stubFor(post(TOKEN).withFormParam("grant_type", equalTo(EXCHANGE))
			.withFormParam("subject_token", equalTo(accessToken))
			.willReturn(aResponse().withStatus(500).withBody("cannot exchange " + accessToken)));
		RunlayerSubject subject = RunlayerSubject.accessToken(accessToken);
		List<ILoggingEvent> logs = new ArrayList<>();
		List<String> texts = new ArrayList<>();
		try (LogTap tap = new LogTap(logs); RunlayerClient client = client((b) -> b.timeout(Duration.ofSeconds(3)))) {
			runAs(null, () -> {
				CURRENT_USER.set(subject);
				try {
					client.runTool(call("s#1"), (input) -> "never");
				}
				catch (RunlayerException ex) {
					for (Throwable t = ex; t != null; t = t.getCause()) {
						texts.add(String.valueOf(t));
					}
				}
				client.emitUserPromptSubmit("s#1", "hi");
				try {
					client.emitEventStrict("UserPromptSubmit", "s#1", Map.of("prompt", "hi"));
				}
				catch (RunlayerException ex) {
					texts.add(String.valueOf(ex));
				}
				return null;
			});
			client.eventDispatcher().awaitSession("s#1", Duration.ofSeconds(10));
			texts.add(client.toString());
			texts.add(String.valueOf(client.subjectTokenCache()));
			texts.add(subject.toString());
			texts.add(call("s#1").withSubject(subject).toString());
		}
		assertThat(texts).hasSizeGreaterThan(4);
		logs.forEach((event) -> texts.add(event.getFormattedMessage() + " " + event.getThrowableProxy()));
		assertThat(logs).isNotEmpty();
		assertThat(texts).allSatisfy((text) -> assertThat(text).doesNotContain(accessToken)
			.doesNotContain("c2lnbmF0dXJlLW9mLXVzZXItNDI"));
	}

	private static <T> T runAs(String user, java.util.concurrent.Callable<T> body) {
		if (user != null) {
			CURRENT_USER.set(RunlayerSubject.userEmail(user));
		}
		try {
			return body.call();
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			CURRENT_USER.remove();
		}
	}

	/** Captures the com.runlayer and org.springframework loggers at TRACE. */
	private static final class LogTap implements AutoCloseable {

		private final List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger("com.runlayer"),
				(Logger) LoggerFactory.getLogger("org.springframework"));

		private final List<Level> levels = new ArrayList<>();

		private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

		private final List<ILoggingEvent> sink;

		LogTap(List<ILoggingEvent> sink) {
			this.sink = sink;
			this.appender.start();
			for (Logger logger : this.loggers) {
				this.levels.add(logger.getLevel());
				logger.setLevel(Level.TRACE);
				logger.addAppender(this.appender);
			}
		}

		@Override
		public void close() {
			for (int i = 0; i < this.loggers.size(); i++) {
				this.loggers.get(i).detachAppender(this.appender);
				this.loggers.get(i).setLevel(this.levels.get(i));
			}
			this.sink.addAll(this.appender.list);
		}

	}

}
