package com.runlayer.spring.boot;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.runlayer.sdk.EnforcementFailureMode;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerConfigurationException;
import com.runlayer.sdk.auth.AuthMode;
import com.runlayer.sdk.transport.HookEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RunlayerEnvironmentPostProcessor}: the Python SDK's {@code RUNLAYER_*} variables bind to
 * {@code runlayer.*} with the SDK's meaning.
 */
@ExtendWith(OutputCaptureExtension.class)
class RunlayerEnvironmentPostProcessorTests {

	private static final String KEY = "rl_env_key_8d2";

	@Test
	void everyVariableBindsWithTheSdkMeaning() {
		Map<String, Object> env = new HashMap<>();
		env.put("RUNLAYER_BASE_URL", "http://localhost:9000");
		env.put("RUNLAYER_API_KEY", KEY);
		env.put("RUNLAYER_HOOK_CLIENT", "java-agent");
		env.put("RUNLAYER_HOOK_TIMEOUT_MS", "1500");
		env.put("RUNLAYER_HOOK_MAX_TOOL_OUTPUT_BYTES", "4096");
		env.put("RUNLAYER_HOOK_ENFORCEMENT_FAILURE_MODE", "open");
		env.put("RUNLAYER_HOOK_DEBUG", "1");
		env.put("RUNLAYER_ALLOW_INSECURE_TRANSPORT", "1");
		env.put("RUNLAYER_DIRECT_MCP_SOURCE_ENFORCEMENT_PATH", "/api/v1/hooks/cursor");
		env.put("RUNLAYER_HOOK_RETRIES", "1");
		RunlayerProperties properties = bind(postProcessed(env));
		assertThat(properties.baseUrl()).isEqualTo("http://localhost:9000");
		assertThat(properties.apiKey()).isEqualTo(KEY);
		assertThat(properties.client()).isEqualTo("java-agent");
		assertThat(properties.timeout()).isEqualTo(Duration.ofMillis(1500));
		assertThat(properties.maxToolOutputBytes()).isEqualTo(DataSize.ofBytes(4096));
		assertThat(properties.enforcementFailureMode()).isEqualTo(EnforcementFailureMode.OPEN);
		assertThat(properties.debug()).isTrue();
		assertThat(properties.allowInsecureTransport()).isTrue();
		assertThat(properties.directMcpSourceEnforcementPath()).isEqualTo("/api/v1/hooks/cursor");
		assertThat(properties.maxRetries()).isEqualTo(1);
	}

	@Test
	void agentVariablesBind() {
		Map<String, Object> env = new HashMap<>();
		env.put("RUNLAYER_AGENT_CLIENT_ID", "client_123");
		env.put("RUNLAYER_AGENT_CLIENT_SECRET", "agent-secret");
		env.put("RUNLAYER_AGENT_SUBJECT_TOKEN", "user@example.com");
		env.put("RUNLAYER_AGENT_SUBJECT_TOKEN_TYPE", "urn:runlayer:token-type:user-email");
		RunlayerProperties properties = bind(postProcessed(env));
		assertThat(properties.agent().clientId()).isEqualTo("client_123");
		assertThat(properties.agent().clientSecret()).isEqualTo("agent-secret");
		assertThat(properties.agent().subjectToken()).isEqualTo("user@example.com");
		assertThat(properties.agent().subjectTokenType()).isEqualTo("urn:runlayer:token-type:user-email");
		assertThat(properties.toString()).doesNotContain("agent-secret").doesNotContain("user@example.com");
	}

	@Test
	void flagsTakeZeroAsFalse() {
		RunlayerProperties properties = bind(postProcessed(Map.of("RUNLAYER_HOOK_DEBUG", "0",
				"RUNLAYER_ALLOW_INSECURE_TRANSPORT", "0")));
		assertThat(properties.debug()).isFalse();
		assertThat(properties.allowInsecureTransport()).isFalse();
	}

	@Test
	void variablesOverrideApplicationConfigurationButNotSystemProperties() {
		StandardEnvironment environment = environment(Map.of("RUNLAYER_HOOK_TIMEOUT_MS", "1500",
				"RUNLAYER_HOOK_CLIENT", "from-env"));
		environment.getPropertySources()
			.addLast(new MapPropertySource("application.yml", Map.of("runlayer.timeout", "9s", "runlayer.client", "from-yml",
					"runlayer.client-version", "from-yml")));
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, new MapPropertySource(
					StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, Map.of("runlayer.client", "from-sysprop")));
		new RunlayerEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		RunlayerProperties properties = bind(environment);
		assertThat(properties.timeout()).isEqualTo(Duration.ofMillis(1500));
		assertThat(properties.client()).isEqualTo("from-sysprop");
		assertThat(properties.clientVersion()).isEqualTo("from-yml");
	}

	@Test
	void noRunlayerVariablesAddNoPropertySource() {
		StandardEnvironment environment = postProcessed(Map.of("PATH", "/usr/bin"));
		assertThat(environment.getPropertySources().contains(RunlayerEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
		RunlayerProperties properties = bind(environment);
		assertThat(properties.client()).isEqualTo("python-sdk");
		assertThat(properties.timeout()).isNull();
		assertThat(properties.maxToolOutputBytes()).isEqualTo(DataSize.ofBytes(65536));
	}

	@Test
	void invalidVariableFailsNamingTheVariable() {
		assertThatThrownBy(() -> postProcessed(Map.of("RUNLAYER_HOOK_TIMEOUT_MS", "soon")))
			.isInstanceOf(RunlayerConfigurationException.class)
			.hasMessageContaining("RUNLAYER_HOOK_TIMEOUT_MS")
			.hasMessageContaining("runlayer.timeout");
		assertThatThrownBy(() -> postProcessed(Map.of("RUNLAYER_HOOK_DEBUG", "maybe")))
			.isInstanceOf(RunlayerConfigurationException.class)
			.hasMessageContaining("RUNLAYER_HOOK_DEBUG");
		// the same typed error as RunlayerClient.fromEnv(), not a bare binding failure of the property
		assertThatThrownBy(() -> postProcessed(Map.of("RUNLAYER_HOOK_ENFORCEMENT_FAILURE_MODE", "sometimes")))
			.isInstanceOf(RunlayerConfigurationException.class)
			.hasMessageContaining("RUNLAYER_HOOK_ENFORCEMENT_FAILURE_MODE")
			.hasMessageContaining("'closed' or 'open'");
		assertThatThrownBy(() -> postProcessed(Map.of("RUNLAYER_HOOK_RETRIES", "many")))
			.isInstanceOf(RunlayerConfigurationException.class)
			.hasMessageContaining("RUNLAYER_HOOK_RETRIES")
			.hasMessageContaining("runlayer.max-retries");
		assertThat(bind(postProcessed(Map.of("RUNLAYER_HOOK_ENFORCEMENT_FAILURE_MODE", " OPEN ",
				"RUNLAYER_HOOK_RETRIES", "0"))))
			.satisfies((p) -> assertThat(p.enforcementFailureMode()).isEqualTo(com.runlayer.sdk.EnforcementFailureMode.OPEN))
			.satisfies((p) -> assertThat(p.maxRetries()).isZero());
	}

	@Test
	void disabledStarterIgnoresMalformedVariables() {
		StandardEnvironment environment = environment(Map.of("RUNLAYER_HOOK_TIMEOUT_MS", "soon", "RUNLAYER_ENABLED", "false"));
		new RunlayerEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().contains(RunlayerEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
	}

	@Test
	void variablesReachTheAutoConfiguredClient() {
		Map<String, Object> env = new HashMap<>();
		env.put("RUNLAYER_BASE_URL", "http://localhost:9000");
		env.put("RUNLAYER_API_KEY", KEY);
		env.put("RUNLAYER_ALLOW_INSECURE_TRANSPORT", "1");
		env.put("RUNLAYER_HOOK_TIMEOUT_MS", "2500");
		env.put("RUNLAYER_HOOK_CLIENT", "java-agent");
		env.put("RUNLAYER_HOOK_DEBUG", "1");
		env.put("RUNLAYER_HOOK_MAX_TOOL_OUTPUT_BYTES", "1024");
		env.put("RUNLAYER_HOOK_ENFORCEMENT_FAILURE_MODE", "open");
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RunlayerAutoConfiguration.class))
			.withInitializer(withSystemEnvironment(env))
			.run((context) -> {
				assertThat(context).hasSingleBean(RunlayerClient.class);
				RunlayerClient client = context.getBean(RunlayerClient.class);
				assertThat(client.baseUrl()).isEqualTo("http://localhost:9000");
				assertThat(client.authMode()).isEqualTo(AuthMode.API_KEY);
				assertThat(client.transportTimeout(HookEndpoint.TOOL_PRE)).isEqualTo(Duration.ofMillis(2500));
				assertThat(client.client()).isEqualTo("java-agent");
				assertThat(client.debug()).isTrue();
				assertThat(client.maxToolOutputBytes()).isEqualTo(1024);
				assertThat(client.enforcementFailureMode()).isEqualTo(EnforcementFailureMode.OPEN);
			});
	}

	@Test
	void environmentWithoutInsecureFlagRejectsPlainHttpAtStartup() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RunlayerAutoConfiguration.class))
			.withInitializer(withSystemEnvironment(Map.of("RUNLAYER_BASE_URL", "http://localhost:9000",
					"RUNLAYER_API_KEY", KEY)))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(new RunlayerConfigurationFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
					.contains("RUNLAYER_ALLOW_INSECURE_TRANSPORT=1");
			});
	}

	@Test
	void realSpringApplicationRunsThePostProcessorFromSpringFactories() {
		Map<String, Object> env = new HashMap<>();
		env.put("RUNLAYER_BASE_URL", "https://tenant.runlayer.com");
		env.put("RUNLAYER_API_KEY", KEY);
		env.put("RUNLAYER_HOOK_TIMEOUT_MS", "1234");
		env.put("RUNLAYER_HOOK_DEBUG", "1");
		SpringApplication application = new SpringApplication(EmptyConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setEnvironment(environment(env));
		try (ConfigurableApplicationContext context = application.run("--spring.main.banner-mode=off")) {
			RunlayerClient client = context.getBean(RunlayerClient.class);
			assertThat(client.transportTimeout(HookEndpoint.EVENTS)).isEqualTo(Duration.ofMillis(1234));
			assertThat(client.debug()).isTrue();
		}
	}

	@Test
	void realSpringApplicationReportsAnUnconfiguredStarter(CapturedOutput output) {
		SpringApplication application = new SpringApplication(EmptyConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setEnvironment(environment(Map.of()));
		assertThatThrownBy(() -> application.run("--spring.main.banner-mode=off")).hasRootCauseInstanceOf(
				RunlayerConfigurationException.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("RUNLAYER_BASE_URL")
			.contains("runlayer.enabled=false");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(RunlayerAutoConfiguration.class)
	static class EmptyConfiguration {

	}

	private static ApplicationContextInitializer<ConfigurableApplicationContext> withSystemEnvironment(
			Map<String, Object> env) {
		return (context) -> {
			ConfigurableEnvironment environment = context.getEnvironment();
			environment.getPropertySources()
				.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
						StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
			new RunlayerEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		};
	}

	private static StandardEnvironment environment(Map<String, Object> env) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(env)));
		return environment;
	}

	private static StandardEnvironment postProcessed(Map<String, Object> env) {
		StandardEnvironment environment = environment(env);
		new RunlayerEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

	private static RunlayerProperties bind(ConfigurableEnvironment environment) {
		return Binder.get(environment).bindOrCreate(RunlayerProperties.PREFIX, RunlayerProperties.class);
	}

}
