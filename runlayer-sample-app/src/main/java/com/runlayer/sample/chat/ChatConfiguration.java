package com.runlayer.sample.chat;

import com.runlayer.sample.tools.CommandTools;
import com.runlayer.sample.tools.FileTools;
import com.runlayer.sample.tools.TicketTools;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The agent: a {@link ChatClient} with the three tools, on the scripted offline model unless a real model is
 * configured.
 *
 * <p>Runlayer needs no wiring here. The {@code ChatClient.Builder} is Spring AI's auto-configured one, which the
 * starter's {@code RunlayerSpringAiAutoConfiguration} customizes with the {@code RunlayerAdvisor} (prompt and
 * transcript Stop of each turn); tool calls go through the auto-configured {@code ToolCallingManager}, which the
 * starter decorates so that each call is enforced (tool/pre, tool/post). The tool methods also carry
 * {@code @RunlayerTool}, for callers outside Spring AI; a call through the {@code ChatClient} is still enforced
 * once, by the Spring AI decorator.
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
	ChatClient chatClient(ChatClient.Builder builder, CommandTools commands, FileTools files, TicketTools tickets) {
		return builder.defaultSystem(SYSTEM_PROMPT).defaultTools(commands, files, tickets).build();
	}

}
