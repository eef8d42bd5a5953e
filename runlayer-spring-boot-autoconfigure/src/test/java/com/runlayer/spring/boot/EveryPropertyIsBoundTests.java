package com.runlayer.spring.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.CircuitState;
import com.runlayer.sdk.EnforcementFailureMode;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.RunlayerMode;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.transport.HookEndpoint;
import com.runlayer.spring.ai.DenialMode;
import com.runlayer.spring.ai.RunlayerAdvisor;
import com.runlayer.spring.aop.RunlayerToolAdvisor;
import com.runlayer.spring.aop.RunlayerToolStartupCheck;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every {@code runlayer.*} property the starter declares is bound through Spring and has an effect on what is built:
 * each row sets one property to a value other than its default and checks the built client (an accessor, or what it
 * does on the wire) or the bean the property configures. A property without a row fails
 * {@link #everyDeclaredPropertyHasARow()}, so a new property cannot go unchecked.
 */
class EveryPropertyIsBoundTests {

	private static final String KEY = "rl_bound_key_7c1";

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	private static final String EVENTS = "/api/v1/hooks/events";

	private static final String TOKEN = "/api/v1/oauth/token";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, RunlayerAutoConfiguration.class,
				RunlayerAopAutoConfiguration.class, RunlayerSpringAiAutoConfiguration.class));

	@BeforeEach
	void stubs() {
		wm.resetAll();
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		wm.stubFor(post(TOKEN).willReturn(okJson("{\"access_token\":\"tok_abc_123\",\"expires_in\":3600}")));
	}

	/** A check of one property, run in a context where only that property differs from the base. */
	interface Check {

		void verify(AssertableApplicationContext context) throws Exception;

	}

	private record Row(String property, String value, boolean withApiKey, Check check) {

		@Override
		public String toString() {
			return this.property + "=" + this.value;
		}

	}

	private static Row row(String property, String value, Check check) {
		return new Row(property, value, true, check);
	}

	private static Row agentRow(String property, String value, Check check) {
		return new Row(property, value, false, check);
	}

	private static RunlayerClient client(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(RunlayerClient.class);
	}

	private static Object runBash(RunlayerClient client, Map<String, Object> input) {
		return client.runTool(ToolCall.builder().sessionId("s1").toolName("Bash").toolInput(input).build(),
				(in) -> "ran");
	}

	private static final String AGENT_BASE = "runlayer.agent.client-id=agent_1,runlayer.agent.client-secret=sec_xyz_987";

	static List<Row> rows() {
		return List.of(row("runlayer.enabled", "false", (context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(RunlayerClient.class);
		}), row("runlayer.base-url", "(the WireMock URL)", (context) -> {
			assertThat(client(context).baseUrl()).isEqualTo(wm.baseUrl());
		}), row("runlayer.api-key", "(set)", (context) -> {
			runBash(client(context), Map.of("c", 1));
			wm.verify(postRequestedFor(urlEqualTo(PRE)).withHeader("x-runlayer-api-key", equalTo(KEY)));
		}), agentRow("runlayer.agent.client-id", "agent_1", (context) -> {
			runBash(client(context), Map.of("c", 1));
			wm.verify(postRequestedFor(urlEqualTo(TOKEN)).withRequestBody(containing("client_id=agent_1")));
			wm.verify(postRequestedFor(urlEqualTo(PRE)).withHeader("Authorization", equalTo("Bearer tok_abc_123")));
		}), agentRow("runlayer.agent.client-secret", "sec_xyz_987", (context) -> {
			runBash(client(context), Map.of("c", 1));
			wm.verify(postRequestedFor(urlEqualTo(TOKEN)).withRequestBody(containing("sec_xyz_987")));
		}), agentRow("runlayer.agent.subject-token", "user@example.com", (context) -> {
			runBash(client(context), Map.of("c", 1));
			wm.verify(postRequestedFor(urlEqualTo(TOKEN)).withRequestBody(containing("subject_token=user%40example.com")));
		}), agentRow("runlayer.agent.subject-token-type", "urn:runlayer:token-type:user-email", (context) -> {
			runBash(client(context), Map.of("c", 1));
			wm.verify(postRequestedFor(urlEqualTo(TOKEN))
				.withRequestBody(containing("subject_token_type=urn%3Arunlayer%3Atoken-type%3Auser-email")));
		}), row("runlayer.client", "java-agent", (context) -> {
			assertThat(client(context).client()).isEqualTo("java-agent");
		}), row("runlayer.client-version", "agent/9", (context) -> {
			assertThat(client(context).clientVersion()).isEqualTo("agent/9");
		}), row("runlayer.timeout", "1500ms", (context) -> {
			for (HookEndpoint endpoint : HookEndpoint.values()) {
				assertThat(client(context).transportTimeout(endpoint)).isEqualTo(Duration.ofMillis(1500));
			}
		}), row("runlayer.max-tool-output-bytes", "4KB", (context) -> {
			assertThat(client(context).maxToolOutputBytes()).isEqualTo(4096);
		}), row("runlayer.enforcement-failure-mode", "open", (context) -> {
			assertThat(client(context).enforcementFailureMode()).isEqualTo(EnforcementFailureMode.OPEN);
		}), row("runlayer.allow-insecure-transport", "true", (context) -> {
			// the base URL of every row is plain http: only this property lets the client build
			assertThat(client(context).baseUrl()).startsWith("http://");
		}), row("runlayer.direct-mcp-source-enforcement-path", "/custom/cursor", (context) -> {
			assertThat(client(context).directMcpSourceEnforcementPath()).isEqualTo("/custom/cursor");
		}), row("runlayer.debug", "true", (context) -> {
			assertThat(client(context).debug()).isTrue();
		}), row("runlayer.max-retries", "0", (context) -> {
			wm.stubFor(post(PRE).willReturn(aResponse().withStatus(503)));
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> runBash(client(context), Map.of("c", 1)));
			wm.verify(1, postRequestedFor(urlEqualTo(PRE)));
		}), row("runlayer.max-response-bytes", "200B", (context) -> {
			wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\",\"pad\":\"" + "x".repeat(300) + "\"}")));
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> runBash(client(context), Map.of("c", 1)))
				.satisfies((ex) -> assertThat(ex.outage()).isTrue());
		}), row("runlayer.max-tool-input-bytes", "100B", (context) -> {
			assertThatExceptionOfType(RunlayerException.class)
				.isThrownBy(() -> runBash(client(context), Map.of("c", "y".repeat(200))))
				.withMessageContaining("runlayer.max-tool-input-bytes");
			wm.verify(0, postRequestedFor(urlEqualTo(PRE)));
		}), row("runlayer.compression", "true", (context) -> {
			runBash(client(context), Map.of("c", "z".repeat(40_000)));
			wm.verify(postRequestedFor(urlEqualTo(PRE)).withHeader("Content-Encoding", equalTo("gzip")));
		}), row("runlayer.tool-enforcement.ignored-mcp-server-names", "github-preview", (context) -> {
			assertThat(client(context).shouldEnforceTool(new ToolDescriptor("list", "mcp", "github-preview", null)))
				.isFalse();
		}), row("runlayer.tool-enforcement.ignored-tool-names", "localHealthcheck", (context) -> {
			assertThat(client(context).shouldEnforceTool(ToolDescriptor.of("localHealthcheck"))).isFalse();
		}), row("runlayer.tool-enforcement.skip-runlayer-mcp-proxy-urls", "false", (context) -> {
			ToolDescriptor proxied = new ToolDescriptor("mcp__x__y", "mcp", "x",
					"https://tenant.runlayer.com/api/v1/proxy/server-id/mcp");
			assertThat(client(context).shouldEnforceTool(proxied)).isTrue();
			assertThat(client(context).toolEnforcement().skipRunlayerMcpProxyUrls()).isFalse();
		}), row("runlayer.tool-enforcement.skip-runlayer-self-mcp", "false", (context) -> {
			assertThat(client(context).shouldEnforceTool(new ToolDescriptor("search", "mcp", "runlayer", null)))
				.isTrue();
		}), row("runlayer.aop.order", "42", (context) -> {
			assertThat(context.getBean(RunlayerToolAdvisor.class).getOrder()).isEqualTo(42);
		}), row("runlayer.aop.startup-check.enabled", "false", (context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(RunlayerToolStartupCheck.class);
		}), row("runlayer.spring-ai.tool-calling-manager.enabled", "false", (context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean("runlayerToolCallingManagerPostProcessor");
		}), row("runlayer.spring-ai.enabled", "false", (context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(RunlayerClient.class).doesNotHaveBean(RunlayerAdvisor.class);
		}), row("runlayer.spring-ai.on-deny", "exception", (context) -> {
			assertThat(RunlayerSpringAiAutoConfiguration.options(context.getBean(RunlayerProperties.class), null, null)
				.onDeny()).isEqualTo(DenialMode.EXCEPTION);
		}), row("runlayer.spring-ai.mcp-source-enforcement", "false", (context) -> {
			assertThat(RunlayerSpringAiAutoConfiguration.options(context.getBean(RunlayerProperties.class), null, null)
				.mcpSourceEnforcement()).isFalse();
		}), row("runlayer.spring-ai.transcript-stop", "false", (context) -> {
			assertThat(context.getBean(RunlayerAdvisor.class).toString()).contains("transcriptStop=false");
		}), row("runlayer.events.queue-capacity", "3", (context) -> {
			assertThat(client(context).eventDispatcher().capacity()).isEqualTo(3);
		}), row("runlayer.events.queue-max-bytes", "2KB", (context) -> {
			assertThat(client(context).eventDispatcher().maxBytes()).isEqualTo(2048);
		}), row("runlayer.events.max-field-bytes", "1KB", (context) -> {
			RunlayerClient client = client(context);
			client.emitUserPromptSubmit("s1", "p".repeat(5000));
			client.eventDispatcher().awaitSession("s1", Duration.ofSeconds(5));
			wm.verify(postRequestedFor(urlEqualTo(EVENTS))
				.withRequestBody(matchingJsonPath("$.payload.truncation.prompt.original_bytes", equalTo("5000")))
				.withRequestBody(matchingJsonPath("$.payload.truncation.prompt.sent_bytes", equalTo("1024"))));
		}), row("runlayer.events.shutdown-timeout", "200ms", (context) -> {
			// the events endpoint hangs: closing waits the shutdown timeout (default 5 s), then drops what is left
			wm.stubFor(post(EVENTS).willReturn(okJson("{}").withFixedDelay(20_000)));
			RunlayerClient client = client(context);
			client.emitEvent("Event1", "s1", null);
			client.emitEvent("Event2", "s1", null);
			long started = System.nanoTime();
			client.close();
			long tookMillis = (System.nanoTime() - started) / 1_000_000;
			// 200 ms flush + at most 1 s for the interrupted lane, far below the 5 s default
			assertThat(tookMillis).isBetween(150L, 3_000L);
			assertThat(client.eventDispatcher().droppedCount()).isPositive();
		}), row("runlayer.mode", "monitor", (context) -> {
			assertThat(client(context).mode()).isEqualTo(RunlayerMode.MONITOR);
		}), row("runlayer.tools", "(Bash in monitor mode)", (context) -> {
			assertThat(client(context).mode("Bash")).isEqualTo(RunlayerMode.MONITOR);
			assertThat(client(context).mode("Write")).isEqualTo(RunlayerMode.ENFORCE);
		}), row("runlayer.telemetry.prompts", "false", (context) -> {
			assertThat(client(context).sendsPrompts()).isFalse();
		}), row("runlayer.circuit-breaker.enabled", "false", (context) -> {
			assertThat(client(context).circuitState(HookEndpoint.TOOL_PRE)).isEqualTo(CircuitState.DISABLED);
		}), row("runlayer.circuit-breaker.sliding-window-size", "3", (context) -> {
			assertThat(client(context).circuitBreaker().slidingWindowSize()).isEqualTo(3);
		}), row("runlayer.circuit-breaker.failure-rate-threshold", "50", (context) -> {
			assertThat(client(context).circuitBreaker().failureRateThreshold()).isEqualTo(50f);
		}), row("runlayer.circuit-breaker.wait-in-open-state", "10s", (context) -> {
			assertThat(client(context).circuitBreaker().waitInOpenState()).isEqualTo(Duration.ofSeconds(10));
		}), row("runlayer.circuit-breaker.permitted-calls-in-half-open-state", "2", (context) -> {
			assertThat(client(context).circuitBreaker().permittedCallsInHalfOpenState()).isEqualTo(2);
		}), row("runlayer.spring-ai.advisor.enabled", "false", (context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(RunlayerAdvisor.class)
				.doesNotHaveBean("runlayerChatClientCustomizer");
		}), row("runlayer.cwd", "/srv/agent", (context) -> {
			runBash(client(context), Map.of("c", 1));
			wm.verify(postRequestedFor(urlEqualTo(PRE))
				.withRequestBody(matchingJsonPath("$.payload.cwd", equalTo("/srv/agent"))));
		}), row("runlayer.telemetry.failure-stack-traces", "true", (context) -> {
			RunlayerClient client = client(context);
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> client.runTool(
					ToolCall.builder().sessionId("s1").toolName("Bash").toolInput(Map.of()).build(), (in) -> {
						throw new IllegalStateException("boom");
					}));
			// failure telemetry leaves on the session's ordered event lane
			client.eventDispatcher().awaitSession("s1", Duration.ofSeconds(5));
			wm.verify(postRequestedFor(urlEqualTo(POST))
				.withRequestBody(matchingJsonPath("$.payload.output", containing("\tat com.runlayer"))));
		}), row("runlayer.ssl.bundle", "missing-bundle", (context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("runlayer.ssl.bundle");
		}), row("runlayer.agent-subject.source", "security-context", (context) -> {
			// without Spring Security's auto-configured resolver (not in this runner) the source cannot be honoured
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("runlayer.agent-subject.source=security-context");
		}), row("runlayer.agent-subject.principal-name-type", "user-email", (context) -> {
			assertThat(context.getBean(RunlayerProperties.class).agentSubject().principalNameType())
				.isEqualTo(com.runlayer.spring.boot.security.SecurityContextSubjectResolver.PrincipalNameType.USER_EMAIL);
		}), agentRow("runlayer.agent-subject.token-cache.max-size", "7", (context) -> {
			assertThat(client(context).subjectTokenCache().orElseThrow().maxSize()).isEqualTo(7);
		}), agentRow("runlayer.agent-subject.token-cache.idle-expiry", "90s", (context) -> {
			assertThat(client(context).subjectTokenCache().orElseThrow().idleExpiry()).isEqualTo(Duration.ofSeconds(90));
		}));
	}

	static Stream<Arguments> table() {
		return rows().stream().map((row) -> Arguments.of(row));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("table")
	void eachPropertyReachesWhatItConfigures(Row row) {
		List<String> values = new java.util.ArrayList<>();
		values.add("runlayer.base-url=" + wm.baseUrl());
		values.add("runlayer.allow-insecure-transport=true");
		if (!row.property().equals("runlayer.timeout")) {
			values.add("runlayer.timeout=5s");
		}
		if (row.withApiKey()) {
			values.add("runlayer.api-key=" + KEY);
		}
		else {
			values.addAll(List.of(AGENT_BASE.split(",")));
		}
		if (!row.value().startsWith("(")) {
			values.add(row.property() + "=" + row.value());
		}
		if (row.property().equals("runlayer.agent.subject-token")) {
			values.add("runlayer.agent.subject-token-type=urn:runlayer:token-type:user-email");
		}
		if (row.property().equals("runlayer.tools")) {
			values.add("runlayer.tools.Bash.mode=monitor");
		}
		if (row.property().equals("runlayer.agent.subject-token-type")) {
			values.add("runlayer.agent.subject-token=user@example.com");
		}
		this.runner.withPropertyValues(values.toArray(String[]::new)).run(row.check()::verify);
	}

	@Test
	void everyDeclaredPropertyHasARow() {
		Set<String> declared = new TreeSet<>(ConfigurationMetadataTests.readMetadataNames());
		Set<String> checked = new TreeSet<>();
		rows().forEach((row) -> checked.add(row.property()));
		assertThat(declared).isNotEmpty();
		assertThat(checked).isEqualTo(declared);
	}

}
