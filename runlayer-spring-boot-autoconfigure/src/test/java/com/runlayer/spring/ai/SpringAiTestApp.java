package com.runlayer.spring.ai;

import java.util.ArrayList;
import java.util.List;

import com.runlayer.spring.boot.RunlayerAutoConfiguration;
import com.runlayer.spring.boot.RunlayerSpringAiAutoConfiguration;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * The Spring AI application of the tests: Runlayer's auto-configuration with Spring AI's tool calling and
 * {@code ChatClient} auto-configuration, one {@link ChatModel} (usually a {@link ScriptedChatModel}), against a
 * Runlayer (WireMock or a local server) at a base URL, with no retries.
 */
final class SpringAiTestApp {

	/** The tool/pre route of the Runlayer hook API. */
	static final String PRE = "/api/v1/hooks/tool/pre";

	/** The tool/post route. */
	static final String POST = "/api/v1/hooks/tool/post";

	/** The lifecycle events route. */
	static final String EVENTS = "/api/v1/hooks/events";

	/** The route the direct MCP source check is configured with in the tests. */
	static final String CURSOR = "/api/v1/hooks/cursor";

	private SpringAiTestApp() {
	}

	/**
	 * The application.
	 * @param runlayerUrl the base URL of the Runlayer API
	 * @param model the chat model
	 * @param more further auto-configurations (e.g. AOP for {@code @RunlayerTool} beans, metrics)
	 * @return the runner
	 */
	static ApplicationContextRunner runner(String runlayerUrl, ChatModel model, Class<?>... more) {
		List<Class<?>> configurations = new ArrayList<>(List.of(more));
		configurations.addAll(List.of(RunlayerAutoConfiguration.class, RunlayerSpringAiAutoConfiguration.class,
				ToolCallingAutoConfiguration.class, ChatClientAutoConfiguration.class));
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(configurations.toArray(new Class<?>[0])))
			.withBean(ChatModel.class, () -> model)
			.withPropertyValues("runlayer.base-url=" + runlayerUrl, "runlayer.api-key=rl_test_key",
					"runlayer.allow-insecure-transport=true", "runlayer.max-retries=0");
	}

	/**
	 * Asks the auto-configured {@code ChatClient} one blocking question.
	 * @param context the application
	 * @param user the user message
	 * @param tools the {@code @Tool} object offered with the request, or null
	 * @param conversationId the conversation id advisor param, or null
	 * @return the answer
	 */
	static String ask(ApplicationContext context, String user, Object tools, String conversationId) {
		ChatClient.ChatClientRequestSpec spec = context.getBean(ChatClient.Builder.class).build().prompt().user(user);
		if (tools != null) {
			spec = spec.tools(tools);
		}
		if (conversationId != null) {
			spec = spec.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, conversationId));
		}
		return spec.call().content();
	}

}
