package com.runlayer.spring.ai;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.runlayer.sdk.transport.DelayedHookServer;
import com.runlayer.spring.boot.RunlayerAutoConfiguration;
import com.runlayer.spring.boot.RunlayerSpringAiAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring context closed while a chat waits for Runlayer's pre-tool answer: the chat's tool call ends as an outage
 * (the tool does not run in closed mode) within its budget, and no thread of the Runlayer client survives the context.
 */
class ContextClosedMidChatTests {

	// Runlayer answers after 4 s, the call's budget is 6 s; the context closes while the pre-tool call is in flight.
	// Had the close not ended the call, the allow would arrive at 4 s and the tool would run.
	private static final Duration ANSWER_DELAY = Duration.ofSeconds(4);

	@Test
	void chatInFlightEndsAsAnOutageAndNoThreadOutlivesTheContext() throws Exception {
		Set<Thread> before = Thread.getAllStackTraces().keySet();
		ScriptedChatModel model = new ScriptedChatModel();
		WeatherTools tools = new WeatherTools();
		try (DelayedHookServer server = new DelayedHookServer(ANSWER_DELAY)) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(RunlayerAutoConfiguration.class,
						RunlayerSpringAiAutoConfiguration.class, ToolCallingAutoConfiguration.class,
						ChatClientAutoConfiguration.class))
				.withBean(ChatModel.class, () -> model)
				.withPropertyValues("runlayer.base-url=" + server.baseUrl(), "runlayer.api-key=rl_test_key",
						"runlayer.allow-insecure-transport=true", "runlayer.max-retries=0", "runlayer.timeout=6s")
				.run((context) -> {
					ChatClient chat = context.getBean(ChatClient.Builder.class).build();
					long started = System.nanoTime();
					CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
						try {
							return chat.prompt()
								.user("What is the weather in Paris?")
								.tools(tools)
								.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "conv-1"))
								.call()
								.content();
						}
						catch (RuntimeException ex) {
							return "failed: " + ex;
						}
					}, (task) -> new Thread(task, "test-chat").start());
					long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
					while (server.receivedPreTool() == 0 && System.nanoTime() < waitUntil) {
						Thread.sleep(10);
					}
					assertThat(server.receivedPreTool()).as("pre-tool call in flight").isPositive();
					context.close();
					String outcome = answer.get(8, TimeUnit.SECONDS);
					assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
					assertThat(outcome).contains("Runlayer client closed");
				});
		}
		assertThat(tools.calls).as("tool runs without an allow").isEmpty();
		com.runlayer.sdk.ClientCloseTestsSupport.assertNoThreadOutlives(before);
	}

}
