package com.runlayer.spring.ai;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.runlayer.sdk.transport.DelayedHookServer;
import org.junit.jupiter.api.Test;

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
			SpringAiTestApp.runner(server.baseUrl(), model)
				.withPropertyValues("runlayer.timeout=6s")
				.run((context) -> {
					long started = System.nanoTime();
					CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
						try {
							return SpringAiTestApp.ask(context, "What is the weather in Paris?", tools, "conv-1");
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
