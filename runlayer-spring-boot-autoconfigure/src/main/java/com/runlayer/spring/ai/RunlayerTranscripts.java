package com.runlayer.spring.ai;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.TranscriptStop;
import com.runlayer.sdk.transport.RandomIds;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/**
 * Builds Claude-Code-style transcript lines (D13) from Spring AI assistant messages, for
 * {@link RunlayerClient#emitTranscriptStop(TranscriptStop)}.
 *
 * <p>One line per assistant message: {@code {"type":"assistant","session_id","timestamp","message":{"id",
 * "role":"assistant","model","content":[blocks],"usage"}}}. Blocks: {@code thinking} (reasoning, with its
 * {@code signature} when the provider gives one), {@code redacted_thinking}, {@code text} and {@code tool_use}.
 *
 * <p>Spring AI 2.0.1 has no common reasoning API; reasoning is read where the providers put it: metadata
 * {@code reasoningContent} (OpenAI), {@code thinking} (Ollama), {@code thinking_content} (Mistral),
 * {@code reasoning_content} / {@code reasoning}; Anthropic thinking generations (text with a {@code signature}
 * property, or {@code data} for redacted thinking); Google GenAI thought parts ({@code isThought=true}); DeepSeek's
 * {@code getReasoningContent()}. Stateless and thread-safe.
 */
public final class RunlayerTranscripts {

	private static final JsonMapper DEFAULT_MAPPER = JsonMapper.builder().build();

	private static final List<String> REASONING_KEYS = List.of("reasoningContent", "thinking", "thinking_content",
			"reasoning_content", "reasoning");

	private RunlayerTranscripts() {
	}

	/**
	 * One transcript line for an assistant message.
	 * @param message the assistant message
	 * @param sessionId the session id
	 * @param model the model name, may be null
	 * @return the JSON line, without a line terminator
	 */
	public static String assistantMessageLine(AssistantMessage message, String sessionId, String model) {
		return assistantMessageLine(message, sessionId, model, null, null);
	}

	/**
	 * One transcript line for an assistant message, with the message id and token usage.
	 * @param message the assistant message
	 * @param sessionId the session id
	 * @param model the model name, may be null
	 * @param messageId the provider's message id, or null for a generated one
	 * @param usage the token usage, or null
	 * @return the JSON line, without a line terminator
	 */
	public static String assistantMessageLine(AssistantMessage message, String sessionId, String model,
			String messageId, Usage usage) {
		JsonMapper mapper = DEFAULT_MAPPER;
		ObjectNode line = mapper.createObjectNode();
		line.put("type", "assistant");
		line.put("session_id", sessionId);
		line.put("timestamp", Instant.now().toString());
		ObjectNode msg = line.putObject("message");
		msg.put("id", (messageId != null && !messageId.isBlank()) ? messageId : "msg_" + RandomIds.uuid());
		msg.put("role", "assistant");
		if (model != null) {
			msg.put("model", model);
		}
		ArrayNode content = msg.putArray("content");
		addBlocks(mapper, content, message);
		ObjectNode usageNode = msg.putObject("usage");
		if (usage != null) {
			if (usage.getPromptTokens() != null) {
				usageNode.put("input_tokens", usage.getPromptTokens());
			}
			if (usage.getCompletionTokens() != null) {
				usageNode.put("output_tokens", usage.getCompletionTokens());
			}
		}
		return mapper.writeValueAsString(line);
	}

	/**
	 * The transcript lines of a chat response: one per generation that carries content.
	 * @param response the response
	 * @param sessionId the session id
	 * @param fallbackModel the model to name when the response metadata has none, may be null
	 * @return the lines
	 */
	public static List<String> chatResponseLines(ChatResponse response, String sessionId, String fallbackModel) {
		List<String> lines = new ArrayList<>();
		if (response == null || response.getResults() == null) {
			return lines;
		}
		ChatResponseMetadata metadata = response.getMetadata();
		String model = (metadata != null && metadata.getModel() != null && !metadata.getModel().isBlank())
				? metadata.getModel() : fallbackModel;
		String id = (metadata != null && metadata.getId() != null && !metadata.getId().isBlank()) ? metadata.getId()
				: null;
		Usage usage = (metadata != null) ? metadata.getUsage() : null;
		for (Generation generation : response.getResults()) {
			AssistantMessage message = generation.getOutput();
			if (message != null && hasContent(message)) {
				// Runlayer drops a line whose message id it has already seen: each further generation of one
				// response (several choices) gets its own id, derived from the response's
				String messageId = (id == null || lines.isEmpty()) ? id : id + "_" + lines.size();
				lines.add(assistantMessageLine(message, sessionId, model, messageId, usage));
			}
		}
		return lines;
	}

	static boolean hasContent(AssistantMessage message) {
		return (message.getText() != null && !message.getText().isEmpty()) || message.hasToolCalls()
				|| reasoning(message) != null || message.getMetadata().get("data") instanceof String;
	}

	private static void addBlocks(JsonMapper mapper, ArrayNode content, AssistantMessage message) {
		Map<String, Object> metadata = message.getMetadata();
		String text = message.getText();
		boolean textIsThinking = false;
		if (metadata.get("data") instanceof String redacted && (text == null || text.isEmpty())) {
			content.addObject().put("type", "redacted_thinking").put("data", redacted);
		}
		else if (metadata.get("signature") instanceof String signature && !message.hasToolCalls() && text != null
				&& !text.isEmpty()) {
			// Anthropic returns each thinking block as its own generation: the text is the thinking.
			content.addObject().put("type", "thinking").put("thinking", text).put("signature", signature);
			textIsThinking = true;
		}
		else if (Boolean.TRUE.equals(metadata.get("isThought")) && text != null && !text.isEmpty()) {
			content.addObject().put("type", "thinking").put("thinking", text);
			textIsThinking = true;
		}
		else {
			String reasoning = reasoning(message);
			if (reasoning != null) {
				content.addObject().put("type", "thinking").put("thinking", reasoning);
			}
		}
		if (!textIsThinking && text != null && !text.isEmpty()) {
			content.addObject().put("type", "text").put("text", text);
		}
		for (AssistantMessage.ToolCall call : message.getToolCalls()) {
			ObjectNode block = content.addObject();
			block.put("type", "tool_use");
			block.put("id", call.id());
			block.put("name", call.name());
			block.set("input", toolInput(mapper, call.arguments()));
		}
	}

	/**
	 * The reasoning text of an assistant message, wherever its provider put it.
	 * @param message the message
	 * @return the reasoning, or null
	 */
	static String reasoning(AssistantMessage message) {
		Map<String, Object> metadata = message.getMetadata();
		for (String key : REASONING_KEYS) {
			if (metadata.get(key) instanceof String value && !value.isBlank()) {
				return value;
			}
		}
		return deepSeekReasoning(message);
	}

	private static String deepSeekReasoning(AssistantMessage message) {
		if (message.getClass() == AssistantMessage.class) {
			return null;
		}
		try {
			Method method = message.getClass().getMethod("getReasoningContent");
			Object value = (method.getReturnType() == String.class) ? method.invoke(message) : null;
			return (value instanceof String s && !s.isBlank()) ? s : null;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	private static JsonNode toolInput(JsonMapper mapper, String arguments) {
		if (arguments == null || arguments.isBlank()) {
			return mapper.createObjectNode();
		}
		try {
			return mapper.readTree(arguments);
		}
		catch (JacksonException ex) {
			return mapper.getNodeFactory().stringNode(arguments);
		}
	}

}
