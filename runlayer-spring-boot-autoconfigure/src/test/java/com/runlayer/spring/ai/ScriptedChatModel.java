package com.runlayer.spring.ai;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import reactor.core.publisher.Flux;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * A network-free model: the first turn asks for one tool call (with reasoning in the OpenAI-style
 * {@code reasoningContent} metadata), the turn after the tool result answers with text quoting the tool result.
 */
class ScriptedChatModel implements ChatModel {

	static final String MODEL = "scripted-1";

	static final String REASONING = "The user wants the weather, so I call the tool.";

	private final List<Prompt> prompts = new CopyOnWriteArrayList<>();

	private volatile String toolName = "weather";

	private volatile String arguments = "{\"city\":\"Paris\"}";

	private volatile boolean streamTools;

	/** Streams the same tool-call script as {@link #call(Prompt)}, one chunk per turn. */
	ScriptedChatModel streamTools() {
		this.streamTools = true;
		return this;
	}

	ScriptedChatModel callTool(String toolName, String arguments) {
		this.toolName = toolName;
		this.arguments = arguments;
		return this;
	}

	@Override
	public ChatResponse call(Prompt prompt) {
		this.prompts.add(prompt);
		String toolResult = toolResult(prompt);
		if (toolResult == null) {
			AssistantMessage ask = AssistantMessage.builder()
				.content("")
				.properties(Map.of("reasoningContent", REASONING))
				.toolCalls(List.of(new AssistantMessage.ToolCall("call_1", "function", this.toolName, this.arguments)))
				.build();
			return response("resp_1", ask, "tool_calls");
		}
		return response("resp_2", AssistantMessage.builder().content("Answer: " + toolResult).build(), "stop");
	}

	@Override
	public Flux<ChatResponse> stream(Prompt prompt) {
		if (this.streamTools) {
			return Flux.defer(() -> Flux.just(call(prompt)));
		}
		this.prompts.add(prompt);
		AssistantMessage thinking = AssistantMessage.builder()
			.content("")
			.properties(Map.of("reasoningContent", "Streaming thoughts."))
			.build();
		return Flux.just(response("resp_s", thinking, null),
				response("resp_s", AssistantMessage.builder().content("Hello ").build(), null),
				response("resp_s", AssistantMessage.builder().content("world").build(), "stop"));
	}

	@Override
	public ChatOptions getOptions() {
		return ToolCallingChatOptions.builder().model(MODEL).build();
	}

	List<Prompt> prompts() {
		return this.prompts;
	}

	/** The last tool result the model was given. */
	String lastToolResult() {
		for (int i = this.prompts.size() - 1; i >= 0; i--) {
			String result = toolResult(this.prompts.get(i));
			if (result != null) {
				return result;
			}
		}
		return null;
	}

	private static String toolResult(Prompt prompt) {
		List<Message> messages = prompt.getInstructions();
		Message last = messages.get(messages.size() - 1);
		if (last instanceof ToolResponseMessage tool) {
			return tool.getResponses().get(0).responseData();
		}
		return null;
	}

	private static ChatResponse response(String id, AssistantMessage message, String finishReason) {
		ChatGenerationMetadata.Builder generation = ChatGenerationMetadata.builder();
		if (finishReason != null) {
			generation.finishReason(finishReason);
		}
		return ChatResponse.builder()
			.generations(List.of(new Generation(message, generation.build())))
			.metadata(ChatResponseMetadata.builder().id(id).model(MODEL).usage(new DefaultUsage(12, 7)).build())
			.build();
	}

}
