package com.runlayer.spring.boot;

import java.net.URL;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.EnforcementFailureMode;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.auth.AuthMode;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.enforcement.ToolEnforcementPredicate;
import com.runlayer.sdk.transport.HookEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RunlayerAutoConfiguration} on an {@link ApplicationContextRunner}.
 */
class RunlayerAutoConfigurationTests {

	private static final String KEY = "rl_autoconfig_key_31f";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RunlayerAutoConfiguration.class));

	private final ApplicationContextRunner configured = this.runner
		.withPropertyValues("runlayer.base-url=https://tenant.runlayer.com", "runlayer.api-key=" + KEY);

	@Test
	void twoRedactorBeansFailTheStartupInsteadOfSendingEverythingUnredacted() {
		this.configured.withUserConfiguration(TwoRedactorsConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasRootCauseInstanceOf(org.springframework.beans.factory.NoUniqueBeanDefinitionException.class));
	}

	@Test
	void ofTwoRedactorBeansThePrimaryOneIsApplied() {
		wm.stubFor(post("/api/v1/hooks/tool/pre").willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post("/api/v1/hooks/tool/post").willReturn(okJson("{\"blocked\":false}")));
		this.runner
			.withPropertyValues("runlayer.base-url=" + wm.baseUrl(), "runlayer.api-key=" + KEY,
					"runlayer.allow-insecure-transport=true")
			.withUserConfiguration(TwoRedactorsConfiguration.class, PrimaryRedactorConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(RunlayerClient.class)
					.runTool(ToolCall.builder().sessionId("s1").toolName("Bash").toolInput(Map.of("command", "cat secrets"))
						.build(), (input) -> "ok");
			});
		wm.verify(1, postRequestedFor(urlEqualTo("/api/v1/hooks/tool/pre"))
			.withRequestBody(matchingJsonPath("$.payload.tool_input.command", equalTo("[primary]"))));
	}

	@Test
	void clientIsBuiltFromTheProperties() {
		this.configured.withPropertyValues("runlayer.client=java-agent", "runlayer.client-version=agent/1.2",
				"runlayer.timeout=1500ms", "runlayer.max-tool-output-bytes=4KB",
				"runlayer.enforcement-failure-mode=open", "runlayer.debug=true",
				"runlayer.direct-mcp-source-enforcement-path=/api/v1/hooks/cursor",
				"runlayer.tool-enforcement.ignored-tool-names=localHealthcheck",
				"runlayer.tool-enforcement.ignored-mcp-server-names=github-preview")
			.run((context) -> {
				assertThat(context).hasSingleBean(RunlayerClient.class);
				RunlayerClient client = context.getBean(RunlayerClient.class);
				assertThat(client.baseUrl()).isEqualTo("https://tenant.runlayer.com");
				assertThat(client.authMode()).isEqualTo(AuthMode.API_KEY);
				assertThat(client.client()).isEqualTo("java-agent");
				assertThat(client.clientVersion()).isEqualTo("agent/1.2");
				assertThat(client.transportTimeout(HookEndpoint.EVENTS)).isEqualTo(Duration.ofMillis(1500));
				assertThat(client.maxToolOutputBytes()).isEqualTo(4096);
				assertThat(client.enforcementFailureMode()).isEqualTo(EnforcementFailureMode.OPEN);
				assertThat(client.debug()).isTrue();
				assertThat(client.directMcpSourceEnforcementPath()).isEqualTo("/api/v1/hooks/cursor");
				assertThat(client.shouldEnforceTool(ToolDescriptor.of("localHealthcheck"))).isFalse();
				assertThat(client.shouldEnforceTool(new ToolDescriptor("mcp__github-preview__x", "mcp", "github-preview",
						null))).isFalse();
				assertThat(client.shouldEnforceTool(ToolDescriptor.of("Bash"))).isTrue();
				assertThat(context.getBean(RunlayerProperties.class).toString()).doesNotContain(KEY);
			});
	}

	@Test
	void defaultsMatchTheSdk() {
		this.configured.run((context) -> {
			RunlayerClient client = context.getBean(RunlayerClient.class);
			assertThat(client.client()).isEqualTo("python-sdk");
			assertThat(client.maxToolOutputBytes()).isEqualTo(65536);
			assertThat(client.enforcementFailureMode()).isEqualTo(EnforcementFailureMode.CLOSED);
			assertThat(client.transportTimeout(HookEndpoint.TOOL_PRE)).isEqualTo(Duration.ofSeconds(30));
			assertThat(client.transportTimeout(HookEndpoint.EVENTS)).isEqualTo(Duration.ofSeconds(5));
			assertThat(client.debug()).isFalse();
		});
	}

	@Test
	void configuredClientTalksToRunlayerOnTheWire() {
		wm.stubFor(post("/api/v1/hooks/tool/pre").willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post("/api/v1/hooks/tool/post").willReturn(okJson("{\"blocked\":false}")));
		this.runner
			.withPropertyValues("runlayer.base-url=" + wm.baseUrl(), "runlayer.api-key=" + KEY,
					"runlayer.allow-insecure-transport=true", "runlayer.client=java-agent")
			.run((context) -> {
				RunlayerClient client = context.getBean(RunlayerClient.class);
				Object out = client.runTool(ToolCall.builder().sessionId("s1").toolName("Bash").toolInput(Map.of("c", 1)).build(),
						(input) -> "ok");
				assertThat(out).isEqualTo("ok");
			});
		wm.verify(postRequestedFor(urlEqualTo("/api/v1/hooks/tool/pre")).withHeader("x-runlayer-api-key", equalTo(KEY))
			.withRequestBody(matchingJsonPath("$.client", equalTo("java-agent"))));
	}

	@Test
	void disabledCreatesNoClientEvenWhenUnconfigured() {
		this.runner.withPropertyValues("runlayer.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(RunlayerClient.class);
		});
	}

	@Test
	void userClientBeanWins() {
		this.configured.withUserConfiguration(UserClientConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(RunlayerClient.class);
			assertThat(context.getBean(RunlayerClient.class).client()).isEqualTo("user-bean");
		});
	}

	@Test
	void customizersApplyInOrderAfterTheProperties() {
		this.configured.withPropertyValues("runlayer.client-version=from-properties")
			.withUserConfiguration(CustomizerConfiguration.class)
			.run((context) -> {
				RunlayerClient client = context.getBean(RunlayerClient.class);
				assertThat(client.clientVersion()).isEqualTo("second");
				assertThat(client.client()).isEqualTo("customized");
			});
	}

	@Test
	void toolEnforcementPredicateBeansReachTheFilterOptions() {
		this.configured.withUserConfiguration(PredicateConfiguration.class).run((context) -> {
			RunlayerClient client = context.getBean(RunlayerClient.class);
			assertThat(client.toolEnforcement().predicates())
				.containsExactly(context.getBean("skipInternal", ToolEnforcementPredicate.class));
			assertThat(client.shouldEnforceTool(ToolDescriptor.of("internal_ping"))).isFalse();
			assertThat(client.shouldEnforceTool(ToolDescriptor.of("Bash"))).isTrue();
		});
	}

	@Test
	void userJsonMapperIsUsed() {
		this.configured.withUserConfiguration(JsonMapperConfiguration.class).run((context) -> assertThat(
				context.getBean(RunlayerClient.class).jsonMapper()).isSameAs(context.getBean(JsonMapper.class)));
	}

	@Test
	void unconfiguredStarterFailsWithAnAnalysisNamingThePropertyEnvVarAndTheSwitch() {
		this.runner.run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new RunlayerConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("runlayer.base-url").contains("RUNLAYER_BASE_URL");
			assertThat(analysis.getAction()).contains("runlayer.base-url")
				.contains("RUNLAYER_BASE_URL")
				.contains("runlayer.enabled=false");
		});
	}

	@Test
	void missingCredentialsAnalysisNamesBothAuthSources() {
		this.runner.withPropertyValues("runlayer.base-url=https://tenant.runlayer.com").run((context) -> {
			FailureAnalysis analysis = new RunlayerConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("runlayer.api-key", "RUNLAYER_API_KEY",
					"runlayer.agent.client-id");
			assertThat(analysis.getAction()).contains("runlayer.api-key", "RUNLAYER_API_KEY", "runlayer.enabled=false");
		});
	}

	@Test
	void plainHttpAnalysisPointsAtInsecureTransport() {
		this.runner.withPropertyValues("runlayer.base-url=http://tenant.runlayer.com", "runlayer.api-key=" + KEY)
			.run((context) -> {
				FailureAnalysis analysis = new RunlayerConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("https://", "runlayer.allow-insecure-transport")
					.doesNotContain(KEY);
				assertThat(analysis.getAction()).contains("runlayer.enabled=false");
			});
	}

	@Test
	void analyzerAndEnvironmentPostProcessorAreRegistered() throws Exception {
		StringBuilder analyzers = new StringBuilder();
		StringBuilder postProcessors = new StringBuilder();
		for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
			Properties factories = PropertiesLoaderUtils.loadProperties(new UrlResource(url));
			analyzers.append(factories.getProperty(FailureAnalyzer.class.getName(), "")).append(',');
			postProcessors.append(factories.getProperty(EnvironmentPostProcessor.class.getName(), "")).append(',');
		}
		assertThat(analyzers).contains(RunlayerConfigurationFailureAnalyzer.class.getName());
		assertThat(postProcessors).contains(RunlayerEnvironmentPostProcessor.class.getName());
	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		@Bean
		RunlayerClient myRunlayerClient() {
			return RunlayerClient.builder().baseUrl("https://other.runlayer.com").apiKey("k").client("user-bean").build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		@Bean
		@Order(2)
		RunlayerClientCustomizer second() {
			return (builder) -> builder.clientVersion("second");
		}

		@Bean
		@Order(1)
		RunlayerClientCustomizer first() {
			return (builder) -> builder.clientVersion("first").client("customized");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PredicateConfiguration {

		@Bean
		ToolEnforcementPredicate skipInternal() {
			return (tool) -> !tool.toolName().startsWith("internal_");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JsonMapperConfiguration {

		@Bean
		JsonMapper jsonMapper() {
			return JsonMapper.builder().build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoRedactorsConfiguration {

		@Bean
		com.runlayer.sdk.RunlayerPayloadRedactor commandRedactor() {
			return new com.runlayer.sdk.RunlayerPayloadRedactor() {
				@Override
				public Map<String, Object> redactToolInput(String toolName, Map<String, Object> input) {
					return Map.of("command", "[one]");
				}
			};
		}

		@Bean
		com.runlayer.sdk.RunlayerPayloadRedactor outputRedactor() {
			return new com.runlayer.sdk.RunlayerPayloadRedactor() {
				@Override
				public Map<String, Object> redactToolInput(String toolName, Map<String, Object> input) {
					return Map.of("command", "[two]");
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrimaryRedactorConfiguration {

		@Bean
		@org.springframework.context.annotation.Primary
		com.runlayer.sdk.RunlayerPayloadRedactor primaryRedactor() {
			return new com.runlayer.sdk.RunlayerPayloadRedactor() {
				@Override
				public Map<String, Object> redactToolInput(String toolName, Map<String, Object> input) {
					return Map.of("command", "[primary]");
				}
			};
		}

	}

}
