package com.runlayer.sample.chat;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * A deterministic, offline chat model for the demo: it turns a prompt into one tool call and then reports the tool
 * results. {@code run <command>} calls {@code run_command}, {@code read <path>} calls {@code read_file},
 * {@code lookup <ticket>} calls {@code lookup_ticket}; anything else gets a short help text.
 */
public class ScriptedChatModel implements ChatModel {

	private static final Pattern RUN = Pattern.compile("^(?:please\\s+)?run\\s+(.+)$", Pattern.CASE_INSENSITIVE);

	private static final Pattern READ = Pattern.compile("^(?:please\\s+)?read\\s+(\\S+)$", Pattern.CASE_INSENSITIVE);

	private static final Pattern LOOKUP = Pattern.compile("^(?:please\\s+)?look\\s?up\\s+(?:ticket\\s+)?(\\S+)$",
			Pattern.CASE_INSENSITIVE);

	private static final String HELP = "I am the scripted demo model. Try \"run ls\", \"read ../notes.txt\","
			+ " \"lookup T-1\", \"run rm -rf /tmp/x\" or \"read sandbox/secrets.txt\".";

	private final JsonMapper json = JsonMapper.builder().build();

	private final AtomicLong callIds = new AtomicLong();

	@Override
	public ChatResponse call(Prompt prompt) {
		List<Message> messages = prompt.getInstructions();
		Message last = messages.get(messages.size() - 1);
		if (last instanceof ToolResponseMessage toolResults) {
			StringBuilder answer = new StringBuilder();
			for (ToolResponseMessage.ToolResponse response : toolResults.getResponses()) {
				if (!answer.isEmpty()) {
					answer.append('\n');
				}
				answer.append(response.name()).append(" -> ").append(text(response.responseData()));
			}
			return reply(AssistantMessage.builder().content(answer.toString()).build());
		}
		String text = (last.getText() != null) ? last.getText().trim() : "";
		AssistantMessage.ToolCall call = toolCall(text);
		if (call == null) {
			return reply(new AssistantMessage(HELP));
		}
		return reply(AssistantMessage.builder().content("").toolCalls(List.of(call)).build());
	}

	// Spring AI hands a String tool result to the model as JSON ("\"README.md\\nsandbox/\""); show the text itself.
	private String text(String responseData) {
		if (responseData == null || !responseData.startsWith("\"")) {
			return responseData;
		}
		try {
			JsonNode node = this.json.readTree(responseData);
			return node.isString() ? node.stringValue() : responseData;
		}
		catch (JacksonException ex) {
			return responseData;
		}
	}

	private AssistantMessage.ToolCall toolCall(String text) {
		Matcher run = RUN.matcher(text);
		if (run.matches()) {
			return call("run_command", "command", run.group(1));
		}
		Matcher read = READ.matcher(text);
		if (read.matches()) {
			return call("read_file", "path", read.group(1));
		}
		Matcher lookup = LOOKUP.matcher(text);
		if (lookup.matches()) {
			return call("lookup_ticket", "ticketId", lookup.group(1).toUpperCase(Locale.ROOT));
		}
		return null;
	}

	private AssistantMessage.ToolCall call(String tool, String parameter, String value) {
		String arguments = this.json.writeValueAsString(java.util.Map.of(parameter, value));
		return new AssistantMessage.ToolCall("call-" + this.callIds.incrementAndGet(), "function", tool, arguments);
	}

	private static ChatResponse reply(AssistantMessage message) {
		return new ChatResponse(List.of(new Generation(message)));
	}

	// ChatClient only adds tool callbacks to options of this type.
	@Override
	public ChatOptions getOptions() {
		return ToolCallingChatOptions.builder().build();
	}

	@Override
	public ChatOptions getDefaultOptions() {
		return getOptions();
	}

}
