package com.runlayer.sdk;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.auth.AuthMode;
import com.runlayer.sdk.transport.HookEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.PASS;
import static com.runlayer.sdk.WireSupport.POST;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.bash;
import static com.runlayer.sdk.WireSupport.onlyBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RunlayerClient#fromEnvironment}: every {@code RUNLAYER_*} variable binds with the Python SDK's meaning, and
 * every configuration error names the property and the environment variable.
 */
class ConfigurationTests {

	private static final String SECRET = "rl_config_secret_9x7";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void defaultsAreTheDocumentedOnes() {
		try (RunlayerClient client = fromEnv(Map.of("RUNLAYER_BASE_URL", "https://tenant.runlayer.com/",
				"RUNLAYER_API_KEY", SECRET))) {
			assertThat(client.baseUrl()).isEqualTo("https://tenant.runlayer.com");
			assertThat(client.authMode()).isEqualTo(AuthMode.API_KEY);
			assertThat(client.client()).isEqualTo("python-sdk");
			assertThat(client.clientVersion()).isNull();
			assertThat(client.maxToolOutputBytes()).isEqualTo(65536);
			assertThat(client.enforcementFailureMode()).isEqualTo(EnforcementFailureMode.CLOSED);
			assertThat(client.debug()).isFalse();
			assertThat(client.directMcpSourceEnforcementPath()).isNull();
			assertThat(client.transportTimeout(HookEndpoint.TOOL_PRE)).isEqualTo(Duration.ofSeconds(30));
			assertThat(client.transportTimeout(HookEndpoint.TOOL_POST)).isEqualTo(Duration.ofSeconds(30));
			assertThat(client.transportTimeout(HookEndpoint.EVENTS)).isEqualTo(Duration.ofSeconds(5));
			assertThat(client.transportTimeout(HookEndpoint.MCP_SOURCE)).isEqualTo(Duration.ofSeconds(10));
			assertThat(client.toolEnforcement().skipRunlayerSelfMcp()).isTrue();
			assertThat(client.toolEnforcement().skipRunlayerMcpProxyUrls()).isTrue();
		}
	}

	@Test
	void everyEnvironmentVariableBindsWithTheSdkMeaning() {
		Map<String, String> env = new HashMap<>();
		env.put("RUNLAYER_BASE_URL", "http://localhost:8080");
		env.put("RUNLAYER_API_KEY", SECRET);
		env.put("RUNLAYER_HOOK_CLIENT", "java-agent");
		env.put("RUNLAYER_HOOK_DEBUG", "1");
		env.put("RUNLAYER_HOOK_TIMEOUT_MS", "1500");
		env.put("RUNLAYER_HOOK_MAX_TOOL_OUTPUT_BYTES", "4096");
		env.put("RUNLAYER_HOOK_ENFORCEMENT_FAILURE_MODE", "open");
		env.put("RUNLAYER_ALLOW_INSECURE_TRANSPORT", "1");
		env.put("RUNLAYER_DIRECT_MCP_SOURCE_ENFORCEMENT_PATH", "/api/v1/hooks/cursor");
		env.put("RUNLAYER_HOOK_RETRIES", "1");
		try (RunlayerClient client = fromEnv(env)) {
			assertThat(client.baseUrl()).isEqualTo("http://localhost:8080");
			assertThat(client.client()).isEqualTo("java-agent");
			assertThat(client.debug()).isTrue();
			for (HookEndpoint endpoint : HookEndpoint.values()) {
				assertThat(client.transportTimeout(endpoint)).isEqualTo(Duration.ofMillis(1500));
			}
			assertThat(client.maxToolOutputBytes()).isEqualTo(4096);
			assertThat(client.enforcementFailureMode()).isEqualTo(EnforcementFailureMode.OPEN);
			assertThat(client.directMcpSourceEnforcementPath()).isEqualTo("/api/v1/hooks/cursor");
		}
	}

	/**
	 * One row per environment variable: the variable alone (next to a base URL and a credential) set to a value other
	 * than its default, and what the built client must then show. {@link #everyEnvironmentVariableHasARow()} fails
	 * when a setting with a variable has no row.
	 */
	private static Map<RunlayerSetting, Map.Entry<String, Consumer<RunlayerClient>>> environmentRows() {
		Map<RunlayerSetting, Map.Entry<String, Consumer<RunlayerClient>>> rows = new java.util.EnumMap<>(
				RunlayerSetting.class);
		rows.put(RunlayerSetting.BASE_URL, Map.entry("https://other.runlayer.com/",
				(c) -> assertThat(c.baseUrl()).isEqualTo("https://other.runlayer.com")));
		rows.put(RunlayerSetting.API_KEY, Map.entry(SECRET, (c) -> assertThat(c.authMode()).isEqualTo(AuthMode.API_KEY)));
		rows.put(RunlayerSetting.AGENT_CLIENT_ID, Map.entry("client_123",
				(c) -> assertThat(c.authMode()).isEqualTo(AuthMode.AGENT)));
		rows.put(RunlayerSetting.AGENT_CLIENT_SECRET, Map.entry(SECRET,
				(c) -> assertThat(c.authMode()).isEqualTo(AuthMode.AGENT)));
		rows.put(RunlayerSetting.AGENT_SUBJECT_TOKEN, Map.entry("user@example.com",
				(c) -> assertThat(c.authMode()).isEqualTo(AuthMode.AGENT_OBO)));
		rows.put(RunlayerSetting.AGENT_SUBJECT_TOKEN_TYPE, Map.entry("urn:runlayer:token-type:user-email",
				(c) -> assertThat(c.authMode()).isEqualTo(AuthMode.AGENT_OBO)));
		rows.put(RunlayerSetting.CLIENT, Map.entry("java-agent", (c) -> assertThat(c.client()).isEqualTo("java-agent")));
		rows.put(RunlayerSetting.TIMEOUT, Map.entry("1500", (c) -> {
			for (HookEndpoint endpoint : HookEndpoint.values()) {
				assertThat(c.transportTimeout(endpoint)).isEqualTo(Duration.ofMillis(1500));
			}
		}));
		rows.put(RunlayerSetting.MAX_TOOL_OUTPUT_BYTES, Map.entry("4096",
				(c) -> assertThat(c.maxToolOutputBytes()).isEqualTo(4096)));
		rows.put(RunlayerSetting.ENFORCEMENT_FAILURE_MODE, Map.entry("open",
				(c) -> assertThat(c.enforcementFailureMode()).isEqualTo(EnforcementFailureMode.OPEN)));
		rows.put(RunlayerSetting.DEBUG, Map.entry("1", (c) -> assertThat(c.debug()).isTrue()));
		rows.put(RunlayerSetting.ALLOW_INSECURE_TRANSPORT, Map.entry("1",
				(c) -> assertThat(c.baseUrl()).startsWith("http://")));
		rows.put(RunlayerSetting.DIRECT_MCP_SOURCE_ENFORCEMENT_PATH, Map.entry("/custom/cursor",
				(c) -> assertThat(c.directMcpSourceEnforcementPath()).isEqualTo("/custom/cursor")));
		rows.put(RunlayerSetting.MAX_RETRIES, Map.entry("0", (c) -> {
			// seen on the wire: one attempt at a 503, where the default makes three
			wm.resetAll();
			wm.stubFor(post(PRE).willReturn(aResponse().withStatus(503)));
			org.assertj.core.api.Assertions.assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> c.runTool(bash("ls"), (input) -> "ran"));
			wm.verify(1, postRequestedFor(urlEqualTo(PRE)));
		}));
		return rows;
	}

	@Test
	void everyEnvironmentVariableHasARow() {
		java.util.Set<RunlayerSetting> withVariable = java.util.EnumSet.noneOf(RunlayerSetting.class);
		for (RunlayerSetting setting : RunlayerSetting.values()) {
			if (setting.envVar().isPresent()) {
				withVariable.add(setting);
			}
		}
		assertThat(withVariable).isNotEmpty();
		assertThat(environmentRows().keySet()).isEqualTo(withVariable);
	}

	static java.util.stream.Stream<RunlayerSetting> settingsWithAVariable() {
		return java.util.Arrays.stream(RunlayerSetting.values()).filter((setting) -> setting.envVar().isPresent());
	}

	@ParameterizedTest
	@org.junit.jupiter.params.provider.MethodSource("settingsWithAVariable")
	void eachEnvironmentVariableReachesTheBuiltClient(RunlayerSetting setting) {
		Map.Entry<String, Consumer<RunlayerClient>> row = environmentRows().get(setting);
		assertThat(row).as("row for " + setting).isNotNull();
		Map<String, String> env = new HashMap<>();
		env.put("RUNLAYER_BASE_URL", wm.baseUrl());
		env.put("RUNLAYER_ALLOW_INSECURE_TRANSPORT", "1");
		if (setting.name().startsWith("AGENT_")) {
			env.put("RUNLAYER_AGENT_CLIENT_ID", "client_123");
			env.put("RUNLAYER_AGENT_CLIENT_SECRET", SECRET);
			if (setting == RunlayerSetting.AGENT_SUBJECT_TOKEN || setting == RunlayerSetting.AGENT_SUBJECT_TOKEN_TYPE) {
				env.put("RUNLAYER_AGENT_SUBJECT_TOKEN", "user@example.com");
				env.put("RUNLAYER_AGENT_SUBJECT_TOKEN_TYPE", "urn:runlayer:token-type:user-email");
			}
		}
		else {
			env.put("RUNLAYER_API_KEY", SECRET);
		}
		if (setting == RunlayerSetting.BASE_URL) {
			env.remove("RUNLAYER_ALLOW_INSECURE_TRANSPORT");
		}
		env.put(setting.envVar().get(), row.getKey());
		try (RunlayerClient client = fromEnv(env)) {
			row.getValue().accept(client);
		}
	}

	@Test
	void environmentBoundClientSendsWhatTheVariablesSay() {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(503)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		Map<String, String> env = new HashMap<>();
		env.put("RUNLAYER_BASE_URL", wm.baseUrl());
		env.put("RUNLAYER_API_KEY", SECRET);
		env.put("RUNLAYER_ALLOW_INSECURE_TRANSPORT", "true");
		env.put("RUNLAYER_HOOK_CLIENT", "java-agent");
		env.put("RUNLAYER_HOOK_RETRIES", "0");
		env.put("RUNLAYER_HOOK_ENFORCEMENT_FAILURE_MODE", "OPEN");
		env.put("RUNLAYER_HOOK_MAX_TOOL_OUTPUT_BYTES", "100");
		try (RunlayerClient client = fromEnv(env)) {
			assertThat(client.runTool(bash("ls"), (input) -> "y".repeat(500))).isEqualTo("y".repeat(500));
		}
		wm.verify(1, postRequestedFor(urlEqualTo(PRE)).withHeader("x-runlayer-api-key", equalTo(SECRET))
			.withRequestBody(matchingJsonPath("$.client", equalTo("java-agent"))));
		assertThat(onlyBody(wm, POST).get("payload").get("truncation").get("tool_response").get("original_bytes").longValue())
			.isEqualTo(500);
	}

	@Test
	void agentVariablesSelectAgentAuthentication() {
		Map<String, String> env = new HashMap<>(base());
		env.remove("RUNLAYER_API_KEY");
		env.put("RUNLAYER_AGENT_CLIENT_ID", "client_123");
		env.put("RUNLAYER_AGENT_CLIENT_SECRET", SECRET);
		try (RunlayerClient client = fromEnv(env)) {
			assertThat(client.authMode()).isEqualTo(AuthMode.AGENT);
		}
		env.put("RUNLAYER_AGENT_SUBJECT_TOKEN", "user@example.com");
		env.put("RUNLAYER_AGENT_SUBJECT_TOKEN_TYPE", "urn:runlayer:token-type:user-email");
		try (RunlayerClient client = fromEnv(env)) {
			assertThat(client.authMode()).isEqualTo(AuthMode.AGENT_OBO);
		}
	}

	@Test
	void overridesApplyAfterTheEnvironment() {
		Map<String, String> env = new HashMap<>(base());
		env.put("RUNLAYER_HOOK_CLIENT", "from-env");
		env.put("RUNLAYER_HOOK_TIMEOUT_MS", "1500");
		try (RunlayerClient client = RunlayerClient.fromEnvironment(env,
				(b) -> b.client("from-code").clientVersion("agent/3").timeout(Duration.ofSeconds(2)))) {
			assertThat(client.client()).isEqualTo("from-code");
			assertThat(client.clientVersion()).isEqualTo("agent/3");
			assertThat(client.transportTimeout(HookEndpoint.TOOL_PRE)).isEqualTo(Duration.ofSeconds(2));
		}
	}

	@Test
	void blankVariablesAreIgnored() {
		Map<String, String> env = new HashMap<>(base());
		env.put("RUNLAYER_HOOK_CLIENT", "  ");
		env.put("RUNLAYER_HOOK_TIMEOUT_MS", "");
		try (RunlayerClient client = fromEnv(env)) {
			assertThat(client.client()).isEqualTo("python-sdk");
			assertThat(client.transportTimeout(HookEndpoint.EVENTS)).isEqualTo(Duration.ofSeconds(5));
		}
	}

	@Test
	void plainHttpIsRejectedUnlessInsecureTransportIsAllowed() {
		Map<String, String> env = new HashMap<>(base());
		env.put("RUNLAYER_BASE_URL", "http://tenant.runlayer.com");
		assertConfigurationError(env, "runlayer.base-url", "RUNLAYER_BASE_URL", "https://",
				"RUNLAYER_ALLOW_INSECURE_TRANSPORT=1");
		env.put("RUNLAYER_ALLOW_INSECURE_TRANSPORT", "0");
		assertConfigurationError(env, "runlayer.base-url", "RUNLAYER_BASE_URL");
		env.put("RUNLAYER_ALLOW_INSECURE_TRANSPORT", "1");
		fromEnv(env).close();
	}

	@Test
	void otherSchemesAreRejectedEvenWithInsecureTransport() {
		Map<String, String> env = new HashMap<>(base());
		env.put("RUNLAYER_ALLOW_INSECURE_TRANSPORT", "1");
		env.put("RUNLAYER_BASE_URL", "ftp://tenant.runlayer.com");
		assertConfigurationError(env, "runlayer.base-url", "RUNLAYER_BASE_URL");
		env.put("RUNLAYER_BASE_URL", "tenant.runlayer.com");
		assertConfigurationError(env, "runlayer.base-url", "RUNLAYER_BASE_URL");
		env.put("RUNLAYER_BASE_URL", "https://user:" + SECRET + "@tenant.runlayer.com");
		assertConfigurationError(env, "runlayer.base-url", "RUNLAYER_BASE_URL");
	}

	@Test
	void missingBaseUrlNamesThePropertyAndVariable() {
		Map<String, String> env = new HashMap<>(base());
		env.remove("RUNLAYER_BASE_URL");
		assertConfigurationError(env, "runlayer.base-url", "RUNLAYER_BASE_URL");
	}

	@Test
	void missingCredentialsNameBothAuthSources() {
		Map<String, String> env = new HashMap<>(base());
		env.remove("RUNLAYER_API_KEY");
		assertConfigurationError(env, "runlayer.api-key", "RUNLAYER_API_KEY", "runlayer.agent.client-id",
				"RUNLAYER_AGENT_CLIENT_ID", "RUNLAYER_AGENT_CLIENT_SECRET");
	}

	@Test
	void bothAuthSourcesAreRejected() {
		Map<String, String> env = new HashMap<>(base());
		env.put("RUNLAYER_AGENT_CLIENT_ID", "client_123");
		env.put("RUNLAYER_AGENT_CLIENT_SECRET", "agent_secret_value");
		assertConfigurationError(env, "runlayer.api-key", "RUNLAYER_API_KEY", "RUNLAYER_AGENT_");
	}

	@Test
	void halfAnAgentCredentialIsRejected() {
		Map<String, String> env = new HashMap<>(base());
		env.remove("RUNLAYER_API_KEY");
		env.put("RUNLAYER_AGENT_CLIENT_SECRET", "agent_secret_value");
		assertConfigurationError(env, "runlayer.agent.client-id", "RUNLAYER_AGENT_CLIENT_ID");
		env.remove("RUNLAYER_AGENT_CLIENT_SECRET");
		env.put("RUNLAYER_AGENT_CLIENT_ID", "client_123");
		assertConfigurationError(env, "runlayer.agent.client-secret", "RUNLAYER_AGENT_CLIENT_SECRET");
	}

	@Test
	void unknownSubjectTokenTypeIsRejected() {
		Map<String, String> env = new HashMap<>(base());
		env.remove("RUNLAYER_API_KEY");
		env.put("RUNLAYER_AGENT_CLIENT_ID", "client_123");
		env.put("RUNLAYER_AGENT_CLIENT_SECRET", "agent_secret_value");
		env.put("RUNLAYER_AGENT_SUBJECT_TOKEN", "user@example.com");
		env.put("RUNLAYER_AGENT_SUBJECT_TOKEN_TYPE", "email");
		assertConfigurationError(env, "runlayer.agent.subject-token-type", "RUNLAYER_AGENT_SUBJECT_TOKEN_TYPE");
	}

	@Test
	void badFailureModeIsRejected() {
		assertConfigurationError(with("RUNLAYER_HOOK_ENFORCEMENT_FAILURE_MODE", "sometimes"),
				"runlayer.enforcement-failure-mode", "RUNLAYER_HOOK_ENFORCEMENT_FAILURE_MODE", "'closed' or 'open'");
	}

	@Test
	void negativeOrZeroSizesAreRejected() {
		assertConfigurationError(with("RUNLAYER_HOOK_MAX_TOOL_OUTPUT_BYTES", "-1"), "runlayer.max-tool-output-bytes",
				"RUNLAYER_HOOK_MAX_TOOL_OUTPUT_BYTES");
		assertConfigurationError(with("RUNLAYER_HOOK_MAX_TOOL_OUTPUT_BYTES", "0"), "runlayer.max-tool-output-bytes",
				"RUNLAYER_HOOK_MAX_TOOL_OUTPUT_BYTES");
		assertConfigurationError(with("RUNLAYER_HOOK_MAX_TOOL_OUTPUT_BYTES", "64KB"), "runlayer.max-tool-output-bytes",
				"RUNLAYER_HOOK_MAX_TOOL_OUTPUT_BYTES");
		assertBuilderError((b) -> b.maxToolOutputBytes(-5), "runlayer.max-tool-output-bytes",
				"RUNLAYER_HOOK_MAX_TOOL_OUTPUT_BYTES");
		assertBuilderError((b) -> b.maxResponseBytes(-5), "runlayer.max-response-bytes");
		assertBuilderError((b) -> b.maxToolInputBytes(0), "runlayer.max-tool-input-bytes");
	}

	@Test
	void badTimeoutsAreRejected() {
		assertConfigurationError(with("RUNLAYER_HOOK_TIMEOUT_MS", "-100"), "runlayer.timeout", "RUNLAYER_HOOK_TIMEOUT_MS");
		assertConfigurationError(with("RUNLAYER_HOOK_TIMEOUT_MS", "1.5s"), "runlayer.timeout", "RUNLAYER_HOOK_TIMEOUT_MS");
		assertBuilderError((b) -> b.timeout(Duration.ZERO), "runlayer.timeout", "RUNLAYER_HOOK_TIMEOUT_MS");
	}

	@Test
	void badFlagsAndRetriesAreRejected() {
		assertConfigurationError(with("RUNLAYER_HOOK_DEBUG", "maybe"), "runlayer.debug", "RUNLAYER_HOOK_DEBUG");
		assertConfigurationError(with("RUNLAYER_ALLOW_INSECURE_TRANSPORT", "2"), "runlayer.allow-insecure-transport",
				"RUNLAYER_ALLOW_INSECURE_TRANSPORT");
		assertConfigurationError(with("RUNLAYER_HOOK_RETRIES", "3"), "runlayer.max-retries", "RUNLAYER_HOOK_RETRIES");
		assertConfigurationError(with("RUNLAYER_HOOK_RETRIES", "many"), "runlayer.max-retries", "RUNLAYER_HOOK_RETRIES");
	}

	@Test
	void aClientNameOfControlCharactersOnlyIsRejected() {
		// stripped for the header, nothing is left: no request may go out without a client name
		assertConfigurationError(with("RUNLAYER_HOOK_CLIENT", "\u0007\u0085"), "runlayer.client", "RUNLAYER_HOOK_CLIENT");
		assertBuilderError((b) -> b.client("\r\n\u2028"), "runlayer.client", "RUNLAYER_HOOK_CLIENT");
	}

	@Test
	void badDirectMcpSourcePathIsRejected() {
		assertConfigurationError(with("RUNLAYER_DIRECT_MCP_SOURCE_ENFORCEMENT_PATH", "https://evil.example/hook"),
				"runlayer.direct-mcp-source-enforcement-path", "RUNLAYER_DIRECT_MCP_SOURCE_ENFORCEMENT_PATH");
	}

	@ParameterizedTest
	@EnumSource(RunlayerSetting.class)
	void exactlyTheSecretSettingsAreMarkedSecret(RunlayerSetting setting) {
		boolean secret = java.util.Set.of(RunlayerSetting.API_KEY, RunlayerSetting.AGENT_CLIENT_SECRET,
				RunlayerSetting.AGENT_SUBJECT_TOKEN).contains(setting);
		assertThat(setting.secret()).as(setting.name()).isEqualTo(secret);
	}

	@Test
	void toStringNeverShowsTheSecret() {
		RunlayerClient.Builder builder = RunlayerClient.builder().baseUrl("https://tenant.runlayer.com").apiKey(SECRET);
		assertThat(builder.toString()).doesNotContain(SECRET);
		try (RunlayerClient client = builder.build()) {
			assertThat(client.toString()).doesNotContain(SECRET).contains("API_KEY");
		}
		RunlayerClient.Builder agent = RunlayerClient.builder()
			.baseUrl("https://tenant.runlayer.com")
			.agentClientId("client_123")
			.agentClientSecret(SECRET)
			.agentSubjectToken("user@example.com")
			.agentSubjectTokenType("urn:runlayer:token-type:user-email");
		assertThat(agent.toString()).doesNotContain(SECRET).doesNotContain("user@example.com");
		try (RunlayerClient client = agent.build()) {
			assertThat(client.toString()).doesNotContain(SECRET).doesNotContain("user@example.com");
		}
	}

	@Test
	void configurationErrorsNeverShowTheSecret() {
		Map<String, String> env = new HashMap<>(base());
		env.put("RUNLAYER_AGENT_CLIENT_ID", "client_123");
		env.put("RUNLAYER_AGENT_CLIENT_SECRET", SECRET + "_agent");
		assertThatThrownBy(() -> fromEnv(env)).isInstanceOf(RunlayerConfigurationException.class)
			.satisfies((ex) -> assertThat(ex.toString()).doesNotContain(SECRET));
	}

	private static Map<String, String> base() {
		return Map.of("RUNLAYER_BASE_URL", "https://tenant.runlayer.com", "RUNLAYER_API_KEY", SECRET);
	}

	private static Map<String, String> with(String name, String value) {
		Map<String, String> env = new HashMap<>(base());
		env.put(name, value);
		return env;
	}

	private static RunlayerClient fromEnv(Map<String, String> env) {
		return RunlayerClient.fromEnvironment(env, (b) -> {
		});
	}

	private static void assertConfigurationError(Map<String, String> env, String... mentions) {
		assertThatThrownBy(() -> fromEnv(env).close()).isInstanceOf(RunlayerConfigurationException.class)
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).contains(mentions);
				assertThat(ex.getMessage()).doesNotContain(SECRET);
			});
	}

	private static void assertBuilderError(Consumer<RunlayerClient.Builder> change, String... mentions) {
		RunlayerClient.Builder builder = RunlayerClient.builder().baseUrl("https://tenant.runlayer.com").apiKey(SECRET);
		change.accept(builder);
		assertThatThrownBy(() -> builder.build().close()).isInstanceOf(RunlayerConfigurationException.class)
			.satisfies((ex) -> assertThat(ex.getMessage()).contains(mentions));
	}

}
