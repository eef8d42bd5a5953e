package com.runlayer.sdk.hooks;

import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.POJONode;
import tools.jackson.databind.util.RawValue;

/**
 * Builds the request bodies of the hook API, in one place (described in docs/protocol.md).
 *
 * <p>Tool calls use the {@code {client, event_name, tool_name, payload}} wrapper with a Claude-style payload plus
 * {@code tool_type} and {@code client_version}; events use {@code {client, event_name, payload}} with an optional
 * top-level {@code transcript}; the cursor route takes a flat body. Every truncated field gets
 * {@code payload.truncation.<field>}: {@code {"original_bytes": N, "sent_bytes": M}} when the original size is exact
 * (text, and structured values up to twice the cap), {@code {"original_bytes": N, "original_bytes_exact": false, "sent_bytes": M}} when
 * serialization stopped before the end (larger structured values, see {@link OutputTruncator}). Internal API of the SDK. Thread-safe.
 */
public final class HookPayloads {

	/** Event name of the pre-tool hook. */
	public static final String PRE_TOOL_USE = "PreToolUse";

	/** Event name of the post-tool hook. */
	public static final String POST_TOOL_USE = "PostToolUse";

	/** Event name of the failed-tool hook. */
	public static final String POST_TOOL_USE_FAILURE = "PostToolUseFailure";

	/** Event name of a prompt. */
	public static final String USER_PROMPT_SUBMIT = "UserPromptSubmit";

	/** Event name of a stop. */
	public static final String STOP = "Stop";

	/** Event name of a session start. */
	public static final String SESSION_START = "SessionStart";

	/**
	 * Payload fields of a tool call that the SDK sets itself: a caller's further payload field of one of these names
	 * ({@link ToolIdentity#payloadFields()}) is not sent.
	 */
	public static final Set<String> SDK_TOOL_FIELDS = Set.of("session_id", "hook_event_name", "tool_name",
			"tool_use_id", "tool_input", "tool_response", "error", "is_interrupt", "stdout", "stderr", "output", "cwd",
			"tool_type", "mcp_server_name", "tool_url", "client_version", "truncation");

	/** Characters of large values above which a body is serialized into an array of its exact size. */
	private static final long EXACT_SIZE_THRESHOLD = 16 * 1024;

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter
		.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx")
		.withZone(ZoneOffset.UTC);

	private final JsonMapper jsonMapper;

	private final String client;

	private final String clientVersion;

	/**
	 * Creates the builder.
	 * @param jsonMapper the JSON mapper
	 * @param client the hook client name
	 * @param clientVersion the agent runtime version, may be null
	 */
	public HookPayloads(JsonMapper jsonMapper, String client, String clientVersion) {
		this.jsonMapper = jsonMapper;
		this.client = client;
		this.clientVersion = clientVersion;
	}

	/**
	 * The hook client name.
	 * @return the client name
	 */
	public String client() {
		return this.client;
	}

	/**
	 * Formats an instant the way the hook API expects ({@code 2026-01-01T12:00:00.123456+00:00}).
	 * @param instant the instant
	 * @return the text
	 */
	public static String timestamp(Instant instant) {
		return TIMESTAMP.format(instant);
	}

	/**
	 * The tool/pre body.
	 * @param tool the tool identity
	 * @param toolInput the tool input, already bounded
	 * @return the body
	 */
	public ObjectNode preToolUse(ToolIdentity tool, BoundedJson toolInput) {
		ObjectNode payload = toolPayload(PRE_TOOL_USE, tool);
		putValue(payload, "tool_input", toolInput);
		return wrapper(PRE_TOOL_USE, tool.toolName(), payload);
	}

	/**
	 * The tool/post body of a successful call.
	 * @param tool the tool identity
	 * @param toolInput the input the tool ran with, already bounded
	 * @param toolResponse the tool output, already bounded
	 * @return the body
	 */
	public ObjectNode postToolUse(ToolIdentity tool, BoundedJson toolInput, BoundedJson toolResponse) {
		ObjectNode payload = toolPayload(POST_TOOL_USE, tool);
		putToolInput(payload, toolInput);
		putValue(payload, "tool_response", toolResponse);
		if (toolResponse.truncated()) {
			truncation(payload).set("tool_response", truncationEntry(toolResponse));
		}
		return wrapper(POST_TOOL_USE, tool.toolName(), payload);
	}

	/**
	 * The tool/post body of a failed call.
	 * @param tool the tool identity
	 * @param toolInput the input the tool ran with, already bounded
	 * @param fields the bounded failure fields: {@code error} always, {@code stdout}, {@code stderr}, {@code output}
	 * when known
	 * @param interrupt whether the tool was interrupted
	 * @return the body
	 */
	public ObjectNode postToolUseFailure(ToolIdentity tool, BoundedJson toolInput, Map<String, BoundedJson> fields,
			boolean interrupt) {
		ObjectNode payload = toolPayload(POST_TOOL_USE_FAILURE, tool);
		putToolInput(payload, toolInput);
		fields.forEach((name, value) -> {
			putValue(payload, name, value);
			if (value.truncated()) {
				truncation(payload).set(name, truncationEntry(value));
			}
		});
		payload.put("is_interrupt", interrupt);
		return wrapper(POST_TOOL_USE_FAILURE, tool.toolName(), payload);
	}

	/**
	 * A lifecycle event body whose payload fields are each capped like tool output: a caller field whose JSON form
	 * is over {@code fieldCap} bytes is sent as the truncated text with the marker, and
	 * {@code payload.truncation.<field>} records its original and sent sizes. {@code payload.timestamp} is stamped
	 * with {@code emittedAt} unless the caller gave one. The transcript is not capped here (it is chunked by the
	 * caller).
	 * @param eventName the event name
	 * @param sessionId the session id
	 * @param extra payload fields from the caller, may be null
	 * @param emittedAt when the event was emitted
	 * @param transcript the transcript chunk for a transcript-bearing Stop, or null
	 * @param truncator the truncation rule
	 * @param fieldCap the cap of each payload field in bytes
	 * @return the body
	 */
	public ObjectNode event(String eventName, String sessionId, Map<String, ?> extra, Instant emittedAt,
			String transcript, OutputTruncator truncator, long fieldCap) {
		Map<String, BoundedJson> bounded = new LinkedHashMap<>();
		if (extra != null) {
			// the envelope's event and session are the payload's: a caller's own copies of them are not sent
			extra.entrySet()
				.stream()
				.filter((entry) -> !"session_id".equals(entry.getKey()) && !"hook_event_name".equals(entry.getKey()))
				.forEach((entry) -> bounded.put(entry.getKey(),
						(entry.getValue() != null) ? truncator.bound(entry.getValue(), fieldCap,
								"payload field '" + entry.getKey() + "' of event " + eventName) : null));
		}
		ObjectNode payload = this.jsonMapper.createObjectNode();
		payload.put("session_id", sessionId);
		payload.put("hook_event_name", eventName);
		bounded.forEach((key, value) -> {
			if (value == null) {
				payload.putNull(key);
			}
			else {
				putValue(payload, key, value);
			}
		});
		bounded.forEach((key, value) -> {
			if (value != null && value.truncated()) {
				truncation(payload).set(key, truncationEntry(value));
			}
		});
		JsonNode stamp = payload.get("timestamp");
		if (stamp == null || stamp.isNull() || (stamp.isString() && stamp.stringValue().isEmpty())) {
			payload.put("timestamp", timestamp(emittedAt));
		}
		if (this.clientVersion != null && !payload.has("client_version")) {
			payload.put("client_version", this.clientVersion);
		}
		ObjectNode root = this.jsonMapper.createObjectNode();
		root.put("client", this.client);
		root.put("event_name", eventName);
		root.set("payload", payload);
		if (transcript != null) {
			root.put("transcript", transcript);
		}
		return root;
	}

	/**
	 * The cursor-route body of a direct MCP source check (section 7).
	 * @param sessionId the session id, sent as {@code conversation_id}
	 * @param generationId the per-call id
	 * @param toolName the tool name
	 * @param toolInputJson the tool input as JSON text (the Cursor contract sends a string)
	 * @param url the server URL, or null
	 * @param command the server launch command, or null
	 * @param mcpServerName the configured server name, or null
	 * @return the body
	 */
	public ObjectNode mcpSource(String sessionId, String generationId, String toolName, String toolInputJson,
			String url, String command, String mcpServerName) {
		ObjectNode root = this.jsonMapper.createObjectNode();
		root.put("hook_event_name", "beforeMCPExecution");
		root.put("client", this.client);
		root.put("conversation_id", sessionId);
		root.put("generation_id", generationId);
		root.put("tool_name", toolName);
		root.put("tool_input", (toolInputJson != null) ? toolInputJson : "{}");
		if (url != null) {
			root.put("url", url);
		}
		if (command != null) {
			root.put("command", command);
		}
		if (mcpServerName != null) {
			root.put("mcp_server_name", mcpServerName);
		}
		return root;
	}

	/**
	 * Serializes a body. A body carrying large values (a tool output near the cap) is serialized twice, once to count
	 * its bytes and once into an array of exactly that size: the same bytes as
	 * {@link JsonMapper#writeValueAsBytes(Object)}, without its growing segments and final copy (the body is the
	 * largest allocation of a call with a large output).
	 * @param body the body
	 * @return UTF-8 JSON
	 */
	public byte[] toBytes(ObjectNode body) {
		if (largeValueChars(body) < EXACT_SIZE_THRESHOLD) {
			return this.jsonMapper.writeValueAsBytes(body);
		}
		CountingSink counter = new CountingSink();
		write(body, counter);
		if (counter.count > Integer.MAX_VALUE - 16) {
			return this.jsonMapper.writeValueAsBytes(body);
		}
		ExactSink exact = new ExactSink((int) counter.count);
		write(body, exact);
		return exact.full() ? exact.bytes : this.jsonMapper.writeValueAsBytes(body);
	}

	/** Characters of the payload's text and raw JSON values: a cheap hint of the body size. */
	private static long largeValueChars(ObjectNode body) {
		if (!(body.get("payload") instanceof ObjectNode payload)) {
			return 0;
		}
		long chars = 0;
		for (Map.Entry<String, JsonNode> property : payload.properties()) {
			JsonNode value = property.getValue();
			if (value.isString()) {
				chars += value.stringValue().length();
			}
			else if (value instanceof POJONode pojo) {
				if (pojo.getPojo() instanceof RawValue raw && raw.rawValue() instanceof String json) {
					chars += json.length();
				}
				else if (pojo.getPojo() instanceof CutText cut) {
					chars += cut.lengthHint();
				}
			}
		}
		return chars;
	}

	private void write(ObjectNode body, OutputStream out) {
		try (JsonGenerator generator = this.jsonMapper.createGenerator(out)) {
			this.jsonMapper.writeValue(generator, body);
		}
	}

	private ObjectNode toolPayload(String eventName, ToolIdentity tool) {
		ObjectNode payload = this.jsonMapper.createObjectNode();
		payload.put("session_id", tool.sessionId());
		payload.put("hook_event_name", eventName);
		payload.put("tool_name", tool.toolName());
		payload.put("tool_use_id", tool.toolUseId());
		if (tool.cwd() != null) {
			payload.put("cwd", tool.cwd());
		}
		if (tool.toolType() != null) {
			payload.put("tool_type", tool.toolType());
		}
		if (tool.mcpServerName() != null) {
			payload.put("mcp_server_name", tool.mcpServerName());
		}
		if (tool.toolUrl() != null) {
			payload.put("tool_url", tool.toolUrl());
		}
		if (this.clientVersion != null) {
			payload.put("client_version", this.clientVersion);
		}
		// the rest of the runtime's hook input (Claude: transcript_path, permission_mode, ...), as given
		tool.payloadFields().forEach((name, value) -> {
			if (!SDK_TOOL_FIELDS.contains(name)) {
				putValue(payload, name, value);
				if (value.truncated()) {
					truncation(payload).set(name, truncationEntry(value));
				}
			}
		});
		return payload;
	}

	private ObjectNode wrapper(String eventName, String toolName, ObjectNode payload) {
		ObjectNode root = this.jsonMapper.createObjectNode();
		root.put("client", this.client);
		root.put("event_name", eventName);
		root.put("tool_name", toolName);
		root.set("payload", payload);
		return root;
	}

	/**
	 * The input a tool ran with. Only arguments rewritten by Runlayer can be over the input bound (an original input
	 * over it is refused before the tool runs): those are truncated like an output and marked in
	 * {@code truncation.tool_input}.
	 */
	private void putToolInput(ObjectNode payload, BoundedJson toolInput) {
		putValue(payload, "tool_input", toolInput);
		if (toolInput.truncated()) {
			truncation(payload).set("tool_input", truncationEntry(toolInput));
		}
	}

	private static void putValue(ObjectNode node, String field, BoundedJson value) {
		Object v = value.payloadValue();
		if (v instanceof String s) {
			node.put(field, s);
		}
		else if (v instanceof CutText cut) {
			node.putPOJO(field, cut);
		}
		else {
			node.putRawValue(field, (RawValue) v);
		}
	}

	private ObjectNode truncation(ObjectNode payload) {
		if (payload.get("truncation") instanceof ObjectNode existing) {
			return existing;
		}
		return payload.putObject("truncation");
	}

	private ObjectNode truncationEntry(BoundedJson value) {
		ObjectNode entry = this.jsonMapper.createObjectNode();
		entry.put("original_bytes", value.originalBytes());
		entry.put("sent_bytes", value.sentBytes());
		if (!value.originalBytesExact()) {
			// a structured value's serialization was stopped: its size is only known to be at least this much
			entry.put("original_bytes_exact", false);
		}
		return entry;
	}

	/** Counts the bytes written. */
	private static final class CountingSink extends OutputStream {

		private long count;

		@Override
		public void write(int b) {
			this.count++;
		}

		@Override
		public void write(byte[] b, int off, int len) {
			this.count += len;
		}

	}

	/** Writes into an array of a known size; notes an overflow instead of growing. */
	private static final class ExactSink extends OutputStream {

		private final byte[] bytes;

		private int size;

		private boolean overflow;

		ExactSink(int size) {
			this.bytes = new byte[size];
		}

		@Override
		public void write(int b) {
			if (this.size < this.bytes.length) {
				this.bytes[this.size++] = (byte) b;
			}
			else {
				this.overflow = true;
			}
		}

		@Override
		public void write(byte[] b, int off, int len) {
			if (len > this.bytes.length - this.size) {
				this.overflow = true;
				return;
			}
			System.arraycopy(b, off, this.bytes, this.size, len);
			this.size += len;
		}

		boolean full() {
			return !this.overflow && this.size == this.bytes.length;
		}

	}

	/**
	 * Who a tool payload is about.
	 *
	 * @param sessionId the session id
	 * @param toolName the tool name
	 * @param toolType the tool type, may be null
	 * @param toolUseId the tool use id
	 * @param mcpServerName the MCP server name, may be null
	 * @param toolUrl the MCP server URL, may be null
	 * @param cwd the working directory the tool acts in, may be null
	 * @param payloadFields further payload fields from the caller's hook input, already bounded; those named in
	 * {@link #SDK_TOOL_FIELDS} are not sent; never null
	 */
	public record ToolIdentity(String sessionId, String toolName, String toolType, String toolUseId,
			String mcpServerName, String toolUrl, String cwd, Map<String, BoundedJson> payloadFields) {

		/**
		 * Keeps the further payload fields as an unmodifiable copy.
		 * @param sessionId the session id
		 * @param toolName the tool name
		 * @param toolType the tool type, may be null
		 * @param toolUseId the tool use id
		 * @param mcpServerName the MCP server name, may be null
		 * @param toolUrl the MCP server URL, may be null
		 * @param cwd the working directory the tool acts in, may be null
		 * @param payloadFields further payload fields from the caller's hook input, already bounded; those named in {@link #SDK_TOOL_FIELDS} are not sent; never null
		 */
		public ToolIdentity {
			payloadFields = (payloadFields != null && !payloadFields.isEmpty())
					? java.util.Collections.unmodifiableMap(new LinkedHashMap<>(payloadFields)) : Map.of();
		}

		/**
		 * An identity without further payload fields.
		 * @param sessionId the session id
		 * @param toolName the tool name
		 * @param toolType the tool type, may be null
		 * @param toolUseId the tool use id
		 * @param mcpServerName the MCP server name, may be null
		 * @param toolUrl the MCP server URL, may be null
		 * @param cwd the working directory the tool acts in, may be null
		 */
		public ToolIdentity(String sessionId, String toolName, String toolType, String toolUseId,
				String mcpServerName, String toolUrl, String cwd) {
			this(sessionId, toolName, toolType, toolUseId, mcpServerName, toolUrl, cwd, null);
		}

		/**
		 * An identity without a working directory.
		 * @param sessionId the session id
		 * @param toolName the tool name
		 * @param toolType the tool type, may be null
		 * @param toolUseId the tool use id
		 * @param mcpServerName the MCP server name, may be null
		 * @param toolUrl the MCP server URL, may be null
		 */
		public ToolIdentity(String sessionId, String toolName, String toolType, String toolUseId,
				String mcpServerName, String toolUrl) {
			this(sessionId, toolName, toolType, toolUseId, mcpServerName, toolUrl, null, null);
		}

	}

}
