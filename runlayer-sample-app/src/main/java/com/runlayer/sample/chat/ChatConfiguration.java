package com.runlayer.sample.chat;

import com.runlayer.sample.tools.CommandTools;
import com.runlayer.sample.tools.FileTools;
import com.runlayer.sample.tools.TicketTools;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.spring.boot.RunlayerToolRegistry;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The agent: a {@link ChatClient} with the three tools, on the scripted offline model unless a real model is
 * configured.
 */
@Configuration(proxyBeanMethods = false)
public class ChatConfiguration {

	static final String SYSTEM_PROMPT = "You are a helpful operations agent. Use the tools to answer.";

	@Bean
	@ConditionalOnProperty(name = "spring.ai.model.chat", havingValue = "scripted", matchIfMissing = true)
	ScriptedChatModel scriptedChatModel() {
		return new ScriptedChatModel();
	}

	@Bean
	ChatClient chatClient(ChatClient.Builder builder, CommandTools commands, FileTools files, TicketTools tickets,
			ObjectProvider<InterimRunlayerEnforcement> interim) {
		ToolCallback[] tools = ToolCallbacks.from(commands, files, tickets);
		InterimRunlayerEnforcement stopGap = interim.getIfAvailable();
		if (stopGap != null) {
			tools = stopGap.wrap(tools);
		}
		return builder.defaultSystem(SYSTEM_PROMPT)
			.defaultToolCallbacks(tools)
			// LEAD(ai): add the Runlayer advisor here (inject RunlayerAdvisor) unless the ai auto-config already
			// registers it on every ChatClient.Builder:
			// .defaultAdvisors(runlayerAdvisor)
			.build();
	}

	/**
	 * The stop-gap enforcement, only while the starter's Spring AI integration is not on the classpath.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("com.runlayer.spring.ai.RunlayerAdvisor")
	static class InterimEnforcementConfiguration {

		@Bean
		InterimRunlayerEnforcement interimRunlayerEnforcement(RunlayerClient client,
				ObjectProvider<RunlayerToolRegistry> registry) {
			return new InterimRunlayerEnforcement(client, registry.getIfAvailable());
		}

	}

}
