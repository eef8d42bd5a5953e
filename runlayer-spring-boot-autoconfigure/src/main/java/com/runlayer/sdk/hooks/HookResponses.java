package com.runlayer.sdk.hooks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.runlayer.sdk.transport.HookCallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that maps a Runlayer answer to a decision: allow, deny, rewrite, pass, mask, block, or invalid
 * (which the client treats as an outage). Error bodies are never parsed for decisions, only their status counts:
 * see {@link #refusal(HookCallException)} for which failed calls are a definitive refusal rather than an outage. An
 * answer with a key given twice in any object ({@code "permission":"deny", ..., "permission":"allow"}) is invalid: it
 * is read with strict duplicate detection instead of letting the last value win.
 *
 * <p>Internal API of the SDK. Thread-safe.
 */
public final class HookResponses {

	static final String DEFAULT_DENY_REASON = "Tool call denied by Runlayer policy";

	static final String DEFAULT_BLOCK_REASON = "Tool output blocked by Runlayer policy";

	static final String DEFAULT_MCP_DENY_REASON = "MCP execution blocked by organization policy";

	private static final String SCAN_UNAVAILABLE = "scan_unavailable";

	private static final Logger logger = LoggerFactory.getLogger(HookResponses.class);

	private final JsonMapper jsonMapper;

	/** Reads answers strictly: a key given twice in any object makes the answer invalid, not "last one wins". */
	private static final JsonMapper DUPLICATE_TOLERANT = JsonMapper.builder().build();

	private final ObjectReader strictReader;

	private final String client;

	/** Statuses already logged at ERROR (one line per status and kind for the life of the client). */
	private final Set<String> loggedRefusals = ConcurrentHashMap.newKeySet();

	/**
	 * Creates the mapper.
	 * @param jsonMapper the JSON mapper
	 */
	public HookResponses(JsonMapper jsonMapper) {
		this(jsonMapper, null);
	}

	/**
	 * Creates the mapper of a client.
	 * @param jsonMapper the JSON mapper
	 * @param client the hook client name, named in the ERROR logged for a 403; may be null
	 */
	public HookResponses(JsonMapper jsonMapper, String client) {
		this.jsonMapper = jsonMapper;
		// strict whatever the application's mapper allows: a key given twice or content after the answer (two
		// answers back to back) makes it ambiguous, hence invalid
		this.strictReader = jsonMapper.readerFor(JsonNode.class)
			.with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		this.client = client;
	}

	/**
	 * Whether a call that got no 2xx answer is a definitive refusal: HTTP 4xx other than 408 and 429 from a hook
	 * endpoint, or from the token endpoint while minting the credential for it. A refusal blocks in every failure
	 * mode as a decision ({@code outage() == false}); everything else (transport errors, timeouts, 5xx, 408, 429
	 * after the retries, an oversized answer) is an outage, for the failure mode to decide. A 401 or 403 (a 400 or
	 * 401 from the token endpoint) is logged once per status at ERROR, saying what to check.
	 * @param failure the failed call
	 * @return the refusal, or null when the failure is an outage
	 */
	public Refusal refusal(HookCallException failure) {
		if (!failure.definitiveRefusal()) {
			return null;
		}
		int status = failure.status();
		boolean token = failure.kind() == HookCallException.Kind.AUTH;
		String check = check(status, token);
		if (check != null && this.loggedRefusals.add((token ? "token " : "hook ") + status)) {
			logger.error("Runlayer refused a call with HTTP {}: {}. Enforced tool calls are blocked until this is fixed"
					+ " ({})", status, check, failure.getMessage());
		}
		return new Refusal(status, failure.getMessage());
	}

	private String check(int status, boolean token) {
		if (token) {
			return (status == 400 || status == 401) ? "check the agent-account credentials (runlayer.agent.client-id"
					+ " and client-secret, RUNLAYER_AGENT_CLIENT_ID and RUNLAYER_AGENT_CLIENT_SECRET) and, for"
					+ " on-behalf-of tokens, the subject token and its type" : null;
		}
		return switch (status) {
			case 401 -> "check the credentials: the API key (runlayer.api-key, RUNLAYER_API_KEY) or the agent-account"
					+ " credentials";
			case 403 -> "check that the workspace hook-client allowlist includes the client '"
					+ ((this.client != null) ? this.client : "python-sdk")
					+ "' (runlayer.client, RUNLAYER_HOOK_CLIENT), and that this credential may use the route";
			default -> null;
		};
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
			return new PreToolDecision.Deny(reason, text(root.get("agent_message")));
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
	 * Maps a cursor-route answer: {@code allow} and null allow, {@code deny} blocks, anything else is invalid.
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

	/**
	 * A definitive refusal of a call by Runlayer (an HTTP 4xx other than 408 and 429).
	 *
	 * @param status the HTTP status
	 * @param reason what happened, naming the status (secret-free, with a bounded excerpt of the answer)
	 */
	public record Refusal(int status, String reason) {
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
				// only reached when the strict read failed: JSON that reads leniently had a key given twice (a plain
				// mapper still refuses trailing content, which then reads as "not a JSON object")
				if (DUPLICATE_TOLERANT.readTree(body).isObject()) {
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
