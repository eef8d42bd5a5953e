package com.runlayer.spring.test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.runlayer.spring.aop.RunlayerSessionId;
import com.runlayer.spring.aop.RunlayerTool;
import com.runlayer.spring.boot.RunlayerAopAutoConfiguration;
import com.runlayer.spring.boot.RunlayerAutoConfiguration;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A small agent application for the test-support tests: a scripted chat model, a Spring AI {@code @Tool} bean and a
 * {@code @RunlayerTool} bean.
 */
final class AgentFixtures {

	private AgentFixtures() {
	}

	/** The whole application, with every auto-configuration on the test classpath (as a user's application). */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.ai.mcp.client.common.autoconfigure.StdioTransportAutoConfiguration",
			"org.springframework.ai.mcp.client.common.autoconfigure.McpClientAutoConfiguration",
			"org.springframework.ai.mcp.client.common.autoconfigure.McpToolCallbackAutoConfiguration",
			"org.springframework.ai.mcp.client.common.autoconfigure.annotations.McpClientAnnotationScannerAutoConfiguration" })
	static class AgentApp {

		@Bean
		ScriptedModel chatModel() {
			return new ScriptedModel();
		}

		@Bean
		WeatherTools weatherTools() {
			return new WeatherTools();
		}

		@Bean
		TicketDesk ticketDesk() {
			return new TicketDesk();
		}

	}

	/** Only the Runlayer client and the {@code @RunlayerTool} interceptor. */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ RunlayerAutoConfiguration.class, RunlayerAopAutoConfiguration.class })
	static class ToolApp {

		@Bean
		TicketDesk ticketDesk() {
			return new TicketDesk();
		}

	}

	/**
	 * A network-free model: without a tool result it asks for {@code weather} of Paris; given a tool result it answers
	 * with it.
	 */
	static class ScriptedModel implements ChatModel {

		final List<String> toolResults = new CopyOnWriteArrayList<>();

		@Override
		public ChatResponse call(Prompt prompt) {
			List<Message> messages = prompt.getInstructions();
			if (messages.get(messages.size() - 1) instanceof ToolResponseMessage tool) {
				String result = tool.getResponses().get(0).responseData();
				this.toolResults.add(result);
				return new ChatResponse(List.of(new Generation(AssistantMessage.builder().content("Answer: " + result).build())));
			}
			AssistantMessage ask = AssistantMessage.builder()
				.content("")
				.toolCalls(List.of(new AssistantMessage.ToolCall("call_1", "function", "weather", "{\"city\":\"Paris\"}")))
				.build();
			return new ChatResponse(List.of(new Generation(ask)));
		}

		@Override
		public Flux<ChatResponse> stream(Prompt prompt) {
			return Flux.defer(() -> Flux.just(call(prompt)));
		}

		@Override
		public ChatOptions getOptions() {
			return ToolCallingChatOptions.builder().model("scripted").build();
		}

	}

	/** A Spring AI tool bean that records the cities it was asked about. */
	static class WeatherTools {

		final List<String> cities = new CopyOnWriteArrayList<>();

		@Tool(description = "Current weather of a city")
		String weather(@ToolParam(description = "the city") String city) {
			this.cities.add(city);
			return "sunny in " + city;
		}

	}

	/** A {@code @RunlayerTool} bean that records the tickets it looked up. */
	static class TicketDesk {

		private final List<String> lookedUp = new CopyOnWriteArrayList<>();

		/** The tickets looked up (a method: the bean is a proxy). */
		public List<String> lookedUp() {
			return this.lookedUp;
		}

		@RunlayerTool(name = "lookup_ticket")
		public Map<String, String> lookupTicket(String ticketId, @RunlayerSessionId String session) {
			this.lookedUp.add(ticketId);
			return Map.of("id", ticketId, "status", "open");
		}

	}

}
