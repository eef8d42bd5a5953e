package com.runlayer.sdk.claude;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.ToolInvocation;
import com.runlayer.sdk.TranscriptStop;
import com.runlayer.sdk.hooks.HookPayloads;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runlayer hooks for runtimes that speak Claude's hook JSON (a Java command registered as a Claude Code hook, or a
 * Java host of the Claude Agent SDK): one hook input map in, Claude's output map out.
 *
 * <ul>
 * <li>{@code UserPromptSubmit}: the prompt event, best-effort; answers {@code {}}.</li>
 * <li>{@code PreToolUse}: pre-tool enforcement. Allowed: {@code {}} (Claude's own permission rules still apply);
 * rewritten: {@code hookSpecificOutput.permissionDecision "allow"} with {@code updatedInput}; denied (or an outage
 * in closed mode, or a definitive refusal): {@code permissionDecision "deny"} with {@code permissionDecisionReason}
 * (Runlayer's {@code agent_message} when it gave one, else the reason).</li>
 * <li>{@code PostToolUse}: the output scan. Passed: {@code {}}; masked: {@code hookSpecificOutput.updatedToolOutput}
 * is the masked output in the shape of the original (JSON of the same kind as parsed, else the text wrapped like the
 * original: Bash {@code stdout}, {@code runlayer_redacted}, a text content block); blocked: {@code decision "block"} with {@code reason}, and the output replaced by a note
 * shaped like the original ({@code updatedToolOutput}).</li>
 * <li>{@code PostToolUseFailure}: failure telemetry (observational); answers {@code {}}.</li>
 * <li>{@code Stop}: a bare stop event, best-effort, unless {@code includeStop} is false (when the caller sends a
 * transcript-bearing Stop itself, see {@link #emitTranscriptStop}); answers {@code {}}.</li>
 * </ul>
 *
 * <p>{@code SessionStart} and {@code SessionEnd} are not handled (answer {@code {}}); use
 * {@link RunlayerClient#sendPreflight(String)} for a strict synthetic session. Tool filters of the client apply
 * (Runlayer's own MCP servers are not enforced). The tool payload sent to Runlayer is the hook input: its
 * {@code session_id}, {@code tool_name}, {@code tool_input}, {@code tool_use_id} and {@code cwd} make the call, and
 * every other field ({@code transcript_path}, {@code permission_mode}, {@code agent_id}, ...) is forwarded as given,
 * capped like tool output; fields the SDK sets itself ({@code tool_type}, {@code client_version},
 * {@code truncation}, ...) are never taken from the input. Prompt and Stop inputs are forwarded whole as event
 * payloads. Thread-safe.
 */
public final class ClaudeHooks {

	/** Hook event names handled. */
	public static final List<String> EVENTS = List.of(HookPayloads.USER_PROMPT_SUBMIT, HookPayloads.PRE_TOOL_USE,
			HookPayloads.POST_TOOL_USE, HookPayloads.POST_TOOL_USE_FAILURE, HookPayloads.STOP);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(ClaudeHooks.class);

	/**
	 * Hook input fields that become parts of the tool call, or are sent by the enforcement itself (the output and the
	 * failure); every other field of a tool hook's input is forwarded in the payload as given.
	 */
	private static final Set<String> TOOL_CALL_FIELDS = Set.of("session_id", "hook_event_name", "tool_name",
			"tool_input", "tool_use_id", "cwd", "tool_response", "error", "is_interrupt");

	private final RunlayerClient client;

	private final boolean includeStop;

	private ClaudeHooks(RunlayerClient client, boolean includeStop) {
		this.client = Objects.requireNonNull(client, "client");
		this.includeStop = includeStop;
	}

	/**
	 * The hooks with the defaults (Stop included).
	 * @param client the client
	 * @return the hooks
	 */
	public static ClaudeHooks create(RunlayerClient client) {
		return new ClaudeHooks(client, true);
	}

	/**
	 * The hooks with an option map: {@code {"includeStop": false}} or {@code {"include_stop": false}} leaves Stop
	 * out ({@code includeStop} wins when both are given).
	 * @param client the client
	 * @param options the options, may be null
	 * @return the hooks
	 * @throws IllegalArgumentException when the option is neither a boolean nor {@code "true"}/{@code "false"}
	 */
	public static ClaudeHooks create(RunlayerClient client, Map<String, ?> options) {
		Builder builder = builder(client);
		if (options != null) {
			String name = (options.get("includeStop") != null) ? "includeStop" : "include_stop";
			Object value = options.get(name);
			if (value instanceof Boolean flag) {
				builder.includeStop(flag);
			}
			else if (value instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
				builder.includeStop(Boolean.parseBoolean(text));
			}
			else if (value != null) {
				throw new IllegalArgumentException("Claude hooks option '" + name
						+ "' must be true or false, got " + value.getClass().getSimpleName() + " " + value);
			}
		}
		return builder.build();
	}

	/**
	 * Starts a builder.
	 * @param client the client
	 * @return the builder
	 */
	public static Builder builder(RunlayerClient client) {
		return new Builder(client);
	}

	/**
	 * Whether Stop is handled.
	 * @return the flag
	 */
	public boolean includeStop() {
		return this.includeStop;
	}

	/**
	 * The hook map: one handler per hook event name ({@code Stop} only when included), in Claude's order. Each
	 * handler handles its own event, whatever the input's {@code hook_event_name} says (or when it has none).
	 * @return the map; unmodifiable
	 */
	public Map<String, Function<Map<String, Object>, Map<String, Object>>> hooks() {
		Map<String, Function<Map<String, Object>, Map<String, Object>>> hooks = new LinkedHashMap<>();
		for (String event : EVENTS) {
			if (this.includeStop || !HookPayloads.STOP.equals(event)) {
				hooks.put(event, (input) -> handle(event, Objects.requireNonNull(input, "input")));
			}
		}
		return Collections.unmodifiableMap(hooks);
	}

	/**
	 * Handles one hook input by its {@code hook_event_name}.
	 * @param input the hook input
	 * @return Claude's output; {@code {}} when there is nothing to say
	 */
	public Map<String, Object> handle(Map<String, Object> input) {
		Objects.requireNonNull(input, "input");
		String event = text(input.get("hook_event_name"));
		if (event == null) {
			return new LinkedHashMap<>();
		}
		return handle(event, input);
	}

	private Map<String, Object> handle(String event, Map<String, Object> input) {
		return switch (event) {
			case HookPayloads.USER_PROMPT_SUBMIT -> event(event, input);
			case HookPayloads.STOP -> this.includeStop ? event(event, input) : new LinkedHashMap<>();
			case HookPayloads.PRE_TOOL_USE -> preToolUse(input);
			case HookPayloads.POST_TOOL_USE -> postToolUse(input);
			case HookPayloads.POST_TOOL_USE_FAILURE -> postToolUseFailure(input);
			default -> new LinkedHashMap<>();
		};
	}

	/**
	 * Handles one hook input read as JSON and writes Claude's output as JSON: the body of a hook command that reads
	 * its input from standard input and answers on standard output.
	 * @param in the hook input (one JSON object), read to its end
	 * @param out where the output JSON goes ({@code {}} when there is nothing to say); flushed, not closed
	 * @throws RunlayerException when the input is not a JSON object or the output cannot be written
	 */
	public void handleJson(InputStream in, OutputStream out) {
		Map<String, Object> input = readInput(in);
		try {
			out.write(JSON.writeValueAsBytes(handle(input)));
			out.flush();
		}
		catch (IOException ex) {
			throw new RunlayerException("Claude hook output could not be written: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The whole body of a hook command: reads one hook input from {@code in}, builds the client, handles the input and
	 * writes Claude's output to {@code out}, closing the client (which flushes the best-effort events) before it
	 * returns. It fails closed: when the client cannot be built or the hook fails, a {@code PreToolUse} is answered
	 * with a deny and a {@code PostToolUse} with a block whose replacement hides the output (exit code 0, so that
	 * Claude reads them), each naming the problem; other events exit with 1 (Claude's non-blocking error). An input
	 * that is not a JSON object exits with 2, Claude's blocking error. The problem is also written to {@code err}.
	 * @param client builds the client, e.g. {@code () -> RunlayerClient.fromEnv()}
	 * @param in the hook input
	 * @param out where Claude's output goes; flushed, not closed
	 * @param err where problems are reported
	 * @return the exit code for the command: 0, 1 or 2
	 */
	public static int runCommand(Supplier<RunlayerClient> client, InputStream in, OutputStream out, PrintStream err) {
		Map<String, Object> input;
		try {
			input = readInput(in);
		}
		catch (RunlayerException ex) {
			err.println("Runlayer hook: " + ex.getMessage());
			return 2;
		}
		String event = text(input.get("hook_event_name"));
		Map<String, Object> output;
		try (RunlayerClient runlayer = client.get()) {
			output = create(runlayer).handle(input);
		}
		catch (RuntimeException ex) {
			String problem = "Runlayer hook failed: " + ex.getMessage();
			err.println(problem);
			if (HookPayloads.PRE_TOOL_USE.equals(event)) {
				Map<String, Object> specific = specific(HookPayloads.PRE_TOOL_USE);
				specific.put("permissionDecision", "deny");
				specific.put("permissionDecisionReason", problem);
				output = wrap(specific);
			}
			else if (HookPayloads.POST_TOOL_USE.equals(event)) {
				output = blocked(input.get("tool_response"), problem);
			}
			else {
				return 1;
			}
		}
		try {
			out.write(JSON.writeValueAsBytes(output));
			out.flush();
		}
		catch (IOException ex) {
			err.println("Runlayer hook: the output could not be written: " + ex.getMessage());
			return 2;
		}
		return 0;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> readInput(InputStream in) {
		try {
			Object value = JSON.readValue(in, Object.class);
			if (!(value instanceof Map<?, ?>)) {
				throw new RunlayerException("Claude hook input is not a JSON object");
			}
			return (Map<String, Object>) value;
		}
		catch (JacksonException ex) {
			throw new RunlayerException("Claude hook input is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	private Map<String, Object> event(String event, Map<String, Object> input) {
		String sessionId = text(input.get("session_id"));
		Map<String, Object> payload = new LinkedHashMap<>(input);
		payload.remove("session_id");
		payload.remove("hook_event_name");
		this.client.emitEvent(event, sessionId, payload);
		return new LinkedHashMap<>();
	}

	private Map<String, Object> preToolUse(Map<String, Object> input) {
		ToolInvocation invocation;
		try {
			invocation = this.client.beginTool(call(input));
		}
		catch (RunlayerBlockedException ex) {
			Map<String, Object> specific = specific(HookPayloads.PRE_TOOL_USE);
			specific.put("permissionDecision", "deny");
			specific.put("permissionDecisionReason", (ex.agentMessage() != null) ? ex.agentMessage() : ex.reason());
			return wrap(specific);
		}
		if (!invocation.rewritten()) {
			return new LinkedHashMap<>();
		}
		Map<String, Object> specific = specific(HookPayloads.PRE_TOOL_USE);
		specific.put("permissionDecision", "allow");
		specific.put("updatedInput", new LinkedHashMap<>(invocation.input()));
		return wrap(specific);
	}

	private Map<String, Object> postToolUse(Map<String, Object> input) {
		Object response = input.get("tool_response");
		Object result;
		try {
			// a masked output comes back as Runlayer's text, shaped for Claude below
			result = this.client.resumeTool(call(input)).complete(response, String.class);
		}
		catch (RunlayerBlockedException ex) {
			return blocked(response, (ex.agentMessage() != null) ? ex.agentMessage() : ex.reason());
		}
		if (result == response) {
			return new LinkedHashMap<>();
		}
		Map<String, Object> specific = specific(HookPayloads.POST_TOOL_USE);
		specific.put("updatedToolOutput", masked((String) result, response));
		return wrap(specific);
	}

	/** A blocked PostToolUse: the block decision, and the output replaced by a note of the same shape. */
	private static Map<String, Object> blocked(Object response, String reason) {
		Map<String, Object> output = new LinkedHashMap<>();
		output.put("decision", "block");
		output.put("reason", reason);
		Map<String, Object> specific = specific(HookPayloads.POST_TOOL_USE);
		specific.put("updatedToolOutput", replacement(response, "Runlayer blocked this tool output: " + reason));
		output.put("hookSpecificOutput", specific);
		return output;
	}

	/**
	 * A masked output in the shape of the original: JSON text of the same kind (object for an object, list for a
	 * list) as parsed, otherwise the text wrapped like {@link #replacement}.
	 */
	private static Object masked(String text, Object original) {
		if (original == null || original instanceof CharSequence) {
			return text;
		}
		try {
			Object parsed = JSON.readValue(text, Object.class);
			if ((original instanceof Map<?, ?> && parsed instanceof Map<?, ?>)
					|| (original instanceof List<?> && parsed instanceof List<?>)) {
				return parsed;
			}
		}
		catch (JacksonException ex) {
			// plain text: wrapped below
		}
		return replacement(original, text);
	}

	private Map<String, Object> postToolUseFailure(Map<String, Object> input) {
		try {
			ToolInvocation invocation = this.client.resumeTool(call(input));
			invocation.fail(text(input.get("error")), Boolean.TRUE.equals(input.get("is_interrupt")));
		}
		catch (RuntimeException ex) {
			// observational telemetry: a report that cannot be made (no session id, a closed client) is dropped
			logger.debug("Runlayer PostToolUseFailure not reported: {}", ex.getMessage());
		}
		return new LinkedHashMap<>();
	}

	@SuppressWarnings("unchecked")
	private static ToolCall call(Map<String, Object> input) {
		Object toolInput = input.get("tool_input");
		// the rest of the hook input (transcript_path, permission_mode, agent_id, ...) travels in the payload as given
		Map<String, Object> rest = new LinkedHashMap<>();
		input.forEach((name, value) -> {
			if (value != null && !TOOL_CALL_FIELDS.contains(name)) {
				rest.put(name, value);
			}
		});
		return ToolCall.builder()
			.sessionId(text(input.get("session_id")))
			.toolName(text(input.get("tool_name")))
			.toolInput((toolInput instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of())
			.toolUseId(text(input.get("tool_use_id")))
			.cwd(text(input.get("cwd")))
			.payloadFields(rest)
			.build();
	}

	/** A note in the shape of the original output, so that Claude can still read the tool result. */
	private static Object replacement(Object original, String note) {
		if (original instanceof Map<?, ?> map) {
			Map<String, Object> shaped = new LinkedHashMap<>();
			if (map.containsKey("stdout")) {
				shaped.put("stdout", note);
				shaped.put("stderr", "");
				shaped.put("interrupted", false);
				shaped.put("isImage", false);
			}
			else {
				shaped.put("runlayer_redacted", note);
			}
			return shaped;
		}
		if (original instanceof List<?>) {
			return List.of(Map.of("type", "text", "text", note));
		}
		return note;
	}

	private static Map<String, Object> specific(String event) {
		Map<String, Object> specific = new LinkedHashMap<>();
		specific.put("hookEventName", event);
		return specific;
	}

	private static Map<String, Object> wrap(Map<String, Object> specific) {
		Map<String, Object> output = new LinkedHashMap<>();
		output.put("hookSpecificOutput", specific);
		return output;
	}

	private static String text(Object value) {
		return (value instanceof String s && !s.isBlank()) ? s : null;
	}

	// ---------------------------------------------------------------------------------------------------------
	// Transcript helpers

	/**
	 * Turns a raw Claude assistant message into one transcript line without a session id (the Stop that carries it
	 * names the session); see {@link #assistantMessageToTranscriptLine(Map, String)}.
	 * @param message the assistant message
	 * @return the JSON line, without a line break
	 */
	public static String assistantMessageToTranscriptLine(Map<String, ?> message) {
		return assistantMessageToTranscriptLine(message, null);
	}

	/**
	 * Turns a raw Claude assistant message ({@code id}, {@code role}, {@code model}, {@code content} blocks with
	 * {@code thinking} and {@code text}, {@code usage}) into one transcript line:
	 * {@code {"type":"assistant","session_id":…,"timestamp":…,"message":{…}}}.
	 * @param message the assistant message
	 * @param sessionId the session id, may be null
	 * @return the JSON line, without a line break
	 */
	public static String assistantMessageToTranscriptLine(Map<String, ?> message, String sessionId) {
		Objects.requireNonNull(message, "message");
		Map<String, Object> body = new LinkedHashMap<>(message);
		body.putIfAbsent("role", "assistant");
		Map<String, Object> line = new LinkedHashMap<>();
		line.put("type", "assistant");
		if (sessionId != null) {
			line.put("session_id", sessionId);
		}
		line.put("timestamp", HookPayloads.timestamp(Instant.now()));
		line.put("message", body);
		return JSON.writeValueAsString(line);
	}

	/**
	 * Sends the transcript-bearing Stop of a finished session, strict (use with {@code includeStop} false).
	 * @param client the client
	 * @param model the model name, may be null
	 * @param sessionId the session id
	 * @param transcriptLines the lines, e.g. from {@link #assistantMessageToTranscriptLine}
	 * @throws com.runlayer.sdk.RunlayerException when Runlayer did not accept it
	 */
	public static void emitTranscriptStop(RunlayerClient client, String model, String sessionId,
			List<String> transcriptLines) {
		client.emitTranscriptStop(new TranscriptStop(sessionId, model, transcriptLines));
	}

	/**
	 * Builder of {@link ClaudeHooks}.
	 */
	public static final class Builder {

		private final RunlayerClient client;

		private boolean includeStop = true;

		private Builder(RunlayerClient client) {
			this.client = client;
		}

		/**
		 * Whether to handle Stop with a bare stop event (default true); false when the caller sends a
		 * transcript-bearing Stop itself.
		 * @param includeStop the flag
		 * @return this builder
		 */
		public Builder includeStop(boolean includeStop) {
			this.includeStop = includeStop;
			return this;
		}

		/**
		 * Builds the hooks.
		 * @return the hooks
		 */
		public ClaudeHooks build() {
			return new ClaudeHooks(this.client, this.includeStop);
		}

	}

}
