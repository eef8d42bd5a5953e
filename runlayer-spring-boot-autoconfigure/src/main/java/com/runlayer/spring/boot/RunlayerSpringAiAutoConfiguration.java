package com.runlayer.spring.boot;

import java.util.function.Consumer;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.spring.ai.DenialMode;
import com.runlayer.spring.ai.McpClientServers;
import com.runlayer.spring.ai.McpToolSources;
import com.runlayer.spring.ai.RunlayerAdvisor;
import com.runlayer.spring.ai.RunlayerChatModelCheck;
import com.runlayer.spring.ai.RunlayerMcpToolNamePrefixGenerator;
import com.runlayer.spring.ai.RunlayerToolCallback;
import com.runlayer.spring.ai.RunlayerToolCallbackResolver;
import com.runlayer.spring.ai.RunlayerToolCallbacks;
import com.runlayer.spring.ai.RunlayerToolCallingManager;
import com.runlayer.spring.aop.ToolCallIdentityResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.ai.mcp.McpToolNamePrefixGenerator;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpClientCommonProperties;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpSseClientProperties;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpStdioClientProperties;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpStreamableHttpClientProperties;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.tool.resolution.ToolCallbackResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the Spring AI integration: every tool call that Spring AI's {@link ToolCallingManager}
 * executes is enforced by Runlayer (decorators of the manager and of the {@link ToolCallbackResolver} it finds tools
 * by name with, applied by a {@link BeanPostProcessor}), MCP client tools carry their server name and URL, and
 * auto-configured {@code ChatClient.Builder}s get the {@link RunlayerAdvisor}, which also wraps each request's
 * tools. Tool identities and session ids come from the shared {@link ToolCallIdentityResolver}. Active with a
 * {@link RunlayerClient} bean, unless {@code runlayer.spring-ai.enabled=false}.
 */
@AutoConfiguration(after = { RunlayerAutoConfiguration.class, RunlayerAopAutoConfiguration.class },
		beforeName = { "org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration",
				"org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration",
				"org.springframework.ai.mcp.client.common.autoconfigure.McpToolCallbackAutoConfiguration" })
@ConditionalOnClass(name = "org.springframework.ai.model.tool.ToolCallingManager")
@ConditionalOnBooleanProperty(name = "runlayer.spring-ai.enabled", matchIfMissing = true)
@ConditionalOnBean(RunlayerClient.class)
public final class RunlayerSpringAiAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(RunlayerSpringAiAutoConfiguration.class);

	// runlayer.spring-ai.tool-calling-manager.enabled=false leaves ToolCallingManager beans as they are (tool calls are
	// then enforced only where the application wraps them itself); a ToolCallingManager bean that already is a
	// RunlayerToolCallingManager is kept unchanged.
	@Bean
	@ConditionalOnBooleanProperty(name = "runlayer.spring-ai.tool-calling-manager.enabled", matchIfMissing = true)
	@ConditionalOnMissingBean(name = "runlayerToolCallingManagerPostProcessor")
	static BeanPostProcessor runlayerToolCallingManagerPostProcessor(ObjectProvider<RunlayerClient> client,
			ObjectProvider<RunlayerProperties> properties, ObjectProvider<McpToolSources> mcpToolSources,
			ObjectProvider<RunlayerToolRegistry> registry, ObjectProvider<ToolCallIdentityResolver> identities) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof ToolCallingManager manager && !(bean instanceof RunlayerToolCallingManager)) {
					RunlayerClient runlayer = client.getObject();
					RunlayerToolCallbacks.Options options = options(properties.getObject(),
							mcpToolSources.getIfAvailable(), identities.getIfAvailable());
					String off = RunlayerToolCallbacks.mcpSourceEnforcementOffReason(runlayer, options);
					if (off != null && options.mcpSourceEnforcement() && options.mcpToolSources() != null) {
						logger.info("Runlayer direct MCP source enforcement of Spring AI MCP tools is off: {}", off);
					}
					else if (off != null) {
						logger.debug("Runlayer direct MCP source enforcement of Spring AI MCP tools is off: {}", off);
					}
					// Spring AI 2.0 tools come with each request, so they are listed once they were first offered
					return new RunlayerToolCallingManager(manager, runlayer, options, toolSeen(registry));
				}
				if (bean instanceof ToolCallbackResolver resolver && !(bean instanceof RunlayerToolCallbackResolver)) {
					// tools the manager resolves by name (spring.ai.tools.resolution.fallback.enabled=true)
					return new RunlayerToolCallbackResolver(resolver, client.getObject(),
							options(properties.getObject(), mcpToolSources.getIfAvailable(),
									identities.getIfAvailable()),
							toolSeen(registry));
				}
				return bean;
			}

		};
	}

	static Consumer<RunlayerToolCallback> toolSeen(ObjectProvider<RunlayerToolRegistry> registry) {
		return (callback) -> {
			RunlayerToolRegistry tools = registry.getIfAvailable();
			if (tools != null) {
				tools.registerIfAbsent(callback.identity(),
						callback.mcp() ? RunlayerToolRegistry.MCP_SERVER : RunlayerToolRegistry.SPRING_AI,
						callback.getDelegate().getClass().getSimpleName());
			}
		};
	}

	static RunlayerToolCallbacks.Options options(RunlayerProperties properties, McpToolSources sources,
			ToolCallIdentityResolver identities) {
		RunlayerProperties.SpringAi springAi = properties.springAi();
		DenialMode mode = (springAi.onDeny() == RunlayerProperties.SpringAi.OnDeny.EXCEPTION) ? DenialMode.EXCEPTION
				: DenialMode.FEEDBACK;
		return new RunlayerToolCallbacks.Options(mode, springAi.mcpSourceEnforcement(), sources, identities);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.ai.chat.client.ChatClientCustomizer")
	static class AdvisorConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RunlayerAdvisor runlayerAdvisor(RunlayerClient client, RunlayerProperties properties,
				ObjectProvider<McpToolSources> mcpToolSources, ObjectProvider<RunlayerToolRegistry> registry,
				ObjectProvider<ToolCallIdentityResolver> identities) {
			return RunlayerAdvisor.builder(client)
				.transcriptStop(properties.springAi().transcriptStop())
				.toolOptions(options(properties, mcpToolSources.getIfAvailable(), identities.getIfAvailable()))
				.toolSeen(toolSeen(registry))
				.build();
		}

		@Bean
		@ConditionalOnBooleanProperty(name = "runlayer.spring-ai.advisor.enabled", matchIfMissing = true)
		@ConditionalOnMissingBean(name = "runlayerChatClientCustomizer")
		ChatClientCustomizer runlayerChatClientCustomizer(RunlayerAdvisor advisor) {
			return (builder) -> builder.defaultAdvisors(advisor, advisor.turnRecorder());
		}


	}

	// names a hand-built ChatClient whose tools would run unenforced (one WARN), from the models' observations
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "io.micrometer.observation.ObservationHandler",
			"org.springframework.ai.chat.observation.ChatModelObservationContext" })
	static class ChatModelCheckConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RunlayerChatModelCheck runlayerChatModelCheck() {
			return new RunlayerChatModelCheck();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.ai.mcp.McpToolNamePrefixGenerator",
			"org.springframework.ai.mcp.client.common.autoconfigure.properties.McpClientCommonProperties" })
	static class McpConfiguration {

		@Bean
		@ConditionalOnMissingBean
		McpToolSources runlayerMcpToolSources(ObjectProvider<McpStreamableHttpClientProperties> http,
				ObjectProvider<McpSseClientProperties> sse, ObjectProvider<McpStdioClientProperties> stdio) {
			return new McpToolSources(new McpClientServers(http, sse, stdio));
		}

		@Bean
		static BeanPostProcessor runlayerMcpToolNamePrefixGeneratorPostProcessor(ObjectProvider<McpToolSources> sources,
				ObjectProvider<McpClientCommonProperties> common) {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (bean instanceof McpToolNamePrefixGenerator generator
							&& !(bean instanceof RunlayerMcpToolNamePrefixGenerator)) {
						McpClientCommonProperties properties = common.getIfAvailable();
						return new RunlayerMcpToolNamePrefixGenerator(generator, sources.getObject(),
								(properties != null) ? properties.getName() : null);
					}
					return bean;
				}

			};
		}

	}

}
