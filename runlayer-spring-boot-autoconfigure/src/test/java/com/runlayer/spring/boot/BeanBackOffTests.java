package com.runlayer.spring.boot;

import java.util.List;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.spring.ai.DenialMode;
import com.runlayer.spring.ai.RunlayerAdvisor;
import com.runlayer.spring.ai.RunlayerToolCallbacks;
import com.runlayer.spring.ai.RunlayerToolCallingManager;
import com.runlayer.spring.aop.RunlayerToolAdvisor;
import com.runlayer.spring.aop.RunlayerToolStartupCheck;
import com.runlayer.spring.aop.TestTools.TicketTools;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.tool.DefaultToolCallingManager;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.autoproxy.InfrastructureAdvisorAutoProxyCreator;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Every bean the auto-configuration adds can be replaced by the application's own or switched off on its own: the
 * {@code ChatClient} customizer, the {@code ToolCallingManager} decoration, the {@code @RunlayerTool} startup check;
 * and the auto-proxy creator follows {@code spring.aop.auto}.
 */
class BeanBackOffTests {

	private static final String[] CLIENT = { "runlayer.base-url=https://tenant.runlayer.com",
			"runlayer.api-key=rl_test_key" };

	private final ApplicationContextRunner springAi = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RunlayerAutoConfiguration.class,
				RunlayerSpringAiAutoConfiguration.class, ToolCallingAutoConfiguration.class,
				ChatClientAutoConfiguration.class))
		.withBean(ChatModel.class, () -> mock(ChatModel.class))
		.withPropertyValues(CLIENT);

	private final ApplicationContextRunner aop = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, RunlayerAutoConfiguration.class,
				RunlayerAopAutoConfiguration.class))
		.withBean("tickets", TicketTools.class)
		.withPropertyValues(CLIENT);

	@Test
	void everySwitchAndPropertyOutsideRunlayerPropertiesHasConfigurationMetadata() throws Exception {
		java.util.Map<String, tools.jackson.databind.JsonNode> names = new java.util.HashMap<>();
		tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
		for (java.net.URL url : java.util.Collections.list(getClass().getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (java.io.InputStream in = url.openStream()) {
				json.readTree(in).path("properties").forEach((p) -> names.put(p.get("name").stringValue(), p));
			}
		}
		for (String name : List.of("management.health.runlayer.enabled", "management.health.runlayer.outage-threshold",
				"management.health.runlayer.outage-status", "management.endpoint.runlayer.access",
				"runlayer.aop.startup-check.enabled",
				"runlayer.spring-ai.tool-calling-manager.enabled")) {
			assertThat(names).as(name).containsKey(name);
			assertThat(names.get(name).path("description").asString("")).as(name).isNotBlank();
		}
		assertThat(names.get("management.health.runlayer.enabled").path("defaultValue").asBoolean(false)).isTrue();
	}

	// ChatClient customizer

	@Test
	void chatClientCustomizerIsAddedByDefault() {
		this.springAi.run((context) -> assertThat(context).hasBean("runlayerChatClientCustomizer")
			.hasSingleBean(RunlayerAdvisor.class));
	}

	@Test
	void chatClientCustomizerCanBeSwitchedOffAlone() {
		this.springAi.withPropertyValues("runlayer.spring-ai.advisor.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("runlayerChatClientCustomizer")
				.hasSingleBean(RunlayerAdvisor.class)
				// tool calls stay enforced
				.getBean(ToolCallingManager.class)
				.isInstanceOf(RunlayerToolCallingManager.class));
	}

	@Test
	void chatClientCustomizerCanBeReplaced() {
		ChatClientCustomizer own = (builder) -> {
		};
		this.springAi.withBean("runlayerChatClientCustomizer", ChatClientCustomizer.class, () -> own)
			.run((context) -> assertThat(context.getBeansOfType(ChatClientCustomizer.class)).hasSize(1)
				.containsValue(own));
	}

	// ToolCallingManager decoration

	@Test
	void toolCallingManagerIsDecoratedByDefault() {
		this.springAi.run((context) -> assertThat(context.getBean(ToolCallingManager.class))
			.isInstanceOf(RunlayerToolCallingManager.class));
	}

	@Test
	void toolCallingManagerDecorationCanBeSwitchedOffAlone() {
		this.springAi.withPropertyValues("runlayer.spring-ai.tool-calling-manager.enabled=false")
			.run((context) -> {
				assertThat(context.getBean(ToolCallingManager.class)).isNotInstanceOf(RunlayerToolCallingManager.class);
				assertThat(context).hasBean("runlayerChatClientCustomizer");
			});
	}

	@Test
	void anApplicationsOwnRunlayerToolCallingManagerIsKeptAsItIs() {
		this.springAi
			.withBean("toolCallingManager", ToolCallingManager.class,
					() -> new RunlayerToolCallingManager(DefaultToolCallingManager.builder().build(),
							RunlayerClient.builder().baseUrl("https://own.runlayer.com").apiKey("rl_own").build(),
							new RunlayerToolCallbacks.Options(DenialMode.EXCEPTION, false, null)))
			.run((context) -> {
				ToolCallingManager manager = context.getBean(ToolCallingManager.class);
				assertThat(manager).isInstanceOf(RunlayerToolCallingManager.class);
				assertThat(((RunlayerToolCallingManager) manager).getDelegate())
					.isExactlyInstanceOf(DefaultToolCallingManager.class);
			});
	}

	// @RunlayerTool startup check

	@Test
	void startupCheckCanBeReplaced() {
		RunlayerToolStartupCheck own = new RunlayerToolStartupCheck();
		this.aop.withBean("ownStartupCheck", RunlayerToolStartupCheck.class, () -> own)
			.run((context) -> assertThat(context.getBeansOfType(RunlayerToolStartupCheck.class)).hasSize(1)
				.containsValue(own));
	}

	@Test
	void startupCheckCanBeSwitchedOffAlone() {
		this.aop.withPropertyValues("runlayer.aop.startup-check.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RunlayerToolStartupCheck.class)
				.hasSingleBean(RunlayerToolAdvisor.class));
	}

	// auto-proxy creator and spring.aop.auto

	@Test
	void springAopAutoFalseMeansNoAutoProxyCreatorFromRunlayerEither() {
		this.aop.withPropertyValues("spring.aop.auto=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME);
				assertThat(AopUtils.isAopProxy(context.getBean("tickets"))).isFalse();
			});
	}

	@Test
	void withSpringAopAutoFalseTheApplicationsOwnAutoProxyCreatorAppliesTheAdvisor() {
		this.aop.withPropertyValues("spring.aop.auto=false")
			.withBean("ownAutoProxyCreator", InfrastructureAdvisorAutoProxyCreator.class)
			.run((context) -> {
				Object tickets = context.getBean("tickets");
				assertThat(AopUtils.isAopProxy(tickets)).isTrue();
				List<Advisor> advisors = List.of(((Advised) tickets).getAdvisors());
				assertThat(advisors).hasAtLeastOneElementOfType(RunlayerToolAdvisor.class);
			});
	}

	@Test
	void runlayerRegistersAnAutoProxyCreatorWhenSpringAopAutoIsOnButNoneExists() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RunlayerAutoConfiguration.class, RunlayerAopAutoConfiguration.class))
			.withBean("tickets", TicketTools.class)
			.withPropertyValues(CLIENT)
			.run((context) -> assertThat(AopUtils.isAopProxy(context.getBean("tickets"))).isTrue());
	}

}
