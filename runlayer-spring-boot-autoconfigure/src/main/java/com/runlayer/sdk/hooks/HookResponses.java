package com.runlayer.sdk.hooks;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that maps a Runlayer answer to a decision: allow, deny, rewrite, pass, mask, block, or invalid
 * (which the client treats as an outage). Error bodies are never parsed for decisions (D14). An answer with a key
 * given twice in any object ({@code "permission":"deny", ..., "permission":"allow"}) is invalid: it is read with
 * strict duplicate detection instead of letting the last value win.
 *
 * <p>Internal API of the SDK. Thread-safe.
 */
public final class HookResponses {

	static final String DEFAULT_DENY_REASON = "Tool call denied by Runlayer policy";

	static final String DEFAULT_BLOCK_REASON = "Tool output blocked by Runlayer policy";

	static final String DEFAULT_MCP_DENY_REASON = "MCP execution blocked by organization policy";

	private static final String SCAN_UNAVAILABLE = "scan_unavailable";

	private final JsonMapper jsonMapper;

	/** Reads answers strictly: a key given twice in any object makes the answer invalid, not "last one wins". */
	private final ObjectReader strictReader;

	/**
	 * Creates the mapper.
	 * @param jsonMapper the JSON mapper
	 */
	public HookResponses(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
		this.strictReader = jsonMapper.readerFor(JsonNode.class).with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
	}

	/**
	 * Maps a tool/pre answer.
	 * @param body the 2xx body
	 * @return the decision
	 */
	public PreToolDecision preTool(byte[] body) {
		JsonNode root = parseObject(body);
		if (root == null) {
			return new PreToolDecision.Invalid("tool/pre answer " + notAnObject(body));
		}
		JsonNode permission = root.get("permission");
		if (permission == null || !permission.isString()) {
			return new PreToolDecision.Invalid("tool/pre answer has no string 'permission'");
		}
		String value = permission.stringValue();
		if ("deny".equals(value)) {
			String reason = firstString(root, "block_reason", "user_message", "reason");
			if (reason == null) {
				reason = DEFAULT_DENY_REASON;
			}
			if (SCAN_UNAVAILABLE.equals(text(root.get("block_state")))) {
				reason = "Runlayer scanner unavailable: " + reason;
			}
			return new PreToolDecision.Deny(reason);
		}
		if (!"allow".equals(value)) {
			return new PreToolDecision.Invalid("tool/pre answer has unknown permission '" + abbreviate(value) + "'");
		}
		JsonNode args = root.get("modified_args");
		if (args == null || args.isNull()) {
			return new PreToolDecision.Allow(null);
		}
		if (!args.isObject()) {
			return new PreToolDecision.Invalid("tool/pre 'modified_args' is not a JSON object");
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> modified = this.jsonMapper.convertValue(args, LinkedHashMap.class);
		return new PreToolDecision.Allow(modified);
	}

	/**
	 * Maps a tool/post answer.
	 * @param body the 2xx body
	 * @return the decision
	 */
	public PostToolDecision postTool(byte[] body) {
		JsonNode root = parseObject(body);
		if (root == null) {
			return new PostToolDecision.Invalid("tool/post answer " + notAnObject(body));
		}
		JsonNode blocked = root.get("blocked");
		if (blocked == null || !blocked.isBoolean()) {
			return new PostToolDecision.Invalid("tool/post answer has no boolean 'blocked'");
		}
		JsonNode modified = root.get("modified_output");
		if (modified != null && !modified.isNull() && !modified.isString()) {
			return new PostToolDecision.Invalid("tool/post 'modified_output' is neither a string nor null");
		}
		if (blocked.booleanValue()) {
			String reason = text(root.get("block_reason"));
			if (reason == null) {
				reason = scanResultReason(root.get("scan_results"));
			}
			if (reason == null) {
				reason = DEFAULT_BLOCK_REASON;
			}
			if (SCAN_UNAVAILABLE.equals(text(root.get("block_state")))) {
				reason = "Runlayer scanner unavailable: " + reason;
			}
			return new PostToolDecision.Block(reason);
		}
		if (modified != null && modified.isString()) {
			return new PostToolDecision.Mask(modified.stringValue());
		}
		return new PostToolDecision.Pass();
	}

	/**
	 * Maps a cursor-route answer (D11).
	 * @param body the 2xx body
	 * @return the decision
	 */
	public McpSourceDecision mcpSource(byte[] body) {
		JsonNode root = parseObject(body);
		if (root == null) {
			return new McpSourceDecision.Invalid("cursor route answer " + notAnObject(body));
		}
		if (!root.has("permission")) {
			return new McpSourceDecision.Invalid("cursor route answer has no 'permission'");
		}
		JsonNode permission = root.get("permission");
		if (permission.isNull() || (permission.isString() && "allow".equals(permission.stringValue()))) {
			return new McpSourceDecision.Allow();
		}
		if (permission.isString() && "deny".equals(permission.stringValue())) {
			String userMessage = text(root.get("user_message"));
			return new McpSourceDecision.Deny((userMessage != null) ? userMessage : DEFAULT_MCP_DENY_REASON,
					text(root.get("agent_message")));
		}
		return new McpSourceDecision.Invalid("cursor route answer has unknown permission "
				+ abbreviate(permission.isString() ? "'" + permission.stringValue() + "'" : permission.toString()));
	}

	private JsonNode parseObject(byte[] body) {
		if (body == null || body.length == 0) {
			return null;
		}
		try {
			JsonNode node = this.strictReader.readValue(body);
			return (node != null && node.isObject()) ? node : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/** Why an answer was not usable, for the outage reason (never the answer's content). */
	private String notAnObject(byte[] body) {
		if (body != null && body.length > 0) {
			try {
				// only reached when the strict read failed: JSON that reads leniently had a key given twice
				if (this.jsonMapper.readTree(body).isObject()) {
					return "has a duplicate key (an ambiguous answer is invalid)";
				}
			}
			catch (JacksonException ex) {
				// not JSON
			}
		}
		return "is not a JSON object";
	}

	private static String scanResultReason(JsonNode results) {
		if (results == null || !results.isArray()) {
			return null;
		}
		for (JsonNode result : results) {
			if (result.isObject() && "block".equals(text(result.get("scan_action")))) {
				String reason = firstString(result, "reason", "error");
				if (reason != null) {
					return reason;
				}
			}
		}
		return null;
	}

	private static String firstString(JsonNode node, String... fields) {
		for (String field : fields) {
			String value = text(node.get(field));
			if (value != null) {
				return value;
			}
		}
		return null;
	}

	private static String text(JsonNode node) {
		if (node == null || !node.isString()) {
			return null;
		}
		String value = node.stringValue();
		return (value == null || value.isBlank()) ? null : value;
	}

	private static String abbreviate(String value) {
		return (value.length() > 64) ? value.substring(0, 64) + "…" : value;
	}

}
