package com.runlayer.spring.test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.runlayer.sdk.transport.HookEndpoint;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * One request the {@link RunlayerTestServer} received, decoded (a gzip body is recorded uncompressed).
 *
 * @param method the HTTP method
 * @param path the request path
 * @param endpoint the Runlayer endpoint of the path, or {@code null} for an unknown path
 * @param headers the request headers, names in lower case
 * @param contentEncoding the {@code Content-Encoding} the client sent, or {@code null} for identity
 * @param body the decoded body as text
 * @param json the body as JSON, or a missing node when it is not JSON (e.g. the token route's form)
 * @param form the form fields of a form-encoded body (the token route), else empty
 * @param receivedAt when the request arrived
 */
public record RecordedRequest(String method, String path, HookEndpoint endpoint, Map<String, List<String>> headers,
		String contentEncoding, String body, JsonNode json, Map<String, String> form, Instant receivedAt) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Copies the collections.
	 * @param method the HTTP method
	 * @param path the request path
	 * @param endpoint the Runlayer endpoint of the path, or {@code null} for an unknown path
	 * @param headers the request headers, names in lower case
	 * @param contentEncoding the {@code Content-Encoding} the client sent, or {@code null} for identity
	 * @param body the decoded body as text
	 * @param json the body as JSON, or a missing node when it is not JSON (e.g. the token route's form)
	 * @param form the form fields of a form-encoded body (the token route), else empty
	 * @param receivedAt when the request arrived
	 */
	public RecordedRequest {
		headers = Map.copyOf(headers);
		form = Map.copyOf(form);
		json = (json != null) ? json : MissingNode.getInstance();
	}

	/**
	 * Whether this is a tool/pre call.
	 * @return the flag
	 */
	public boolean isPreTool() {
		return this.endpoint == HookEndpoint.TOOL_PRE;
	}

	/**
	 * Whether this is a tool/post call reporting a tool's output ({@code PostToolUse}).
	 * @return the flag
	 */
	public boolean isPostTool() {
		return this.endpoint == HookEndpoint.TOOL_POST && !isToolFailure();
	}

	/**
	 * Whether this is a tool/post call reporting a failed tool ({@code PostToolUseFailure}).
	 * @return the flag
	 */
	public boolean isToolFailure() {
		return this.endpoint == HookEndpoint.TOOL_POST && "PostToolUseFailure".equals(eventName());
	}

	/**
	 * Whether this is a lifecycle event.
	 * @return the flag
	 */
	public boolean isEvent() {
		return this.endpoint == HookEndpoint.EVENTS;
	}

	/**
	 * Whether this is a direct MCP source check (the cursor route).
	 * @return the flag
	 */
	public boolean isMcpSourceCheck() {
		return this.endpoint == HookEndpoint.MCP_SOURCE;
	}

	/**
	 * Whether this is a token request of agent-account authentication.
	 * @return the flag
	 */
	public boolean isTokenRequest() {
		return this.endpoint == HookEndpoint.OAUTH_TOKEN;
	}

	/**
	 * The tool name of a tool or MCP source call.
	 * @return the name, or empty
	 */
	public String toolName() {
		return text(this.json.path("tool_name"));
	}

	/**
	 * The event name ({@code PreToolUse}, {@code PostToolUse}, {@code Stop}, ...; {@code beforeMCPExecution} on the
	 * cursor route).
	 * @return the name, or empty
	 */
	public String eventName() {
		return isMcpSourceCheck() ? text(this.json.path("hook_event_name")) : text(this.json.path("event_name"));
	}

	/**
	 * The session id ({@code payload.session_id}; {@code conversation_id} on the cursor route).
	 * @return the id, or empty
	 */
	public String sessionId() {
		return isMcpSourceCheck() ? text(this.json.path("conversation_id"))
				: text(this.json.path("payload").path("session_id"));
	}

	/**
	 * The {@code payload} object of a hook body.
	 * @return the payload, or a missing node
	 */
	public JsonNode payload() {
		return this.json.path("payload");
	}

	/**
	 * The tool input of a tool or MCP source call, as plain Java values (maps, lists, strings, numbers, booleans).
	 * @return the input, or an empty map
	 */
	public Map<String, Object> toolInput() {
		JsonNode input = isMcpSourceCheck() ? this.json.path("tool_input") : payload().path("tool_input");
		if (input.isString()) {
			try {
				input = JSON.readTree(input.stringValue());
			}
			catch (JacksonException ex) {
				return Map.of();
			}
		}
		if (!input.isObject()) {
			return Map.of();
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> map = JSON.convertValue(input, LinkedHashMap.class);
		return map;
	}

	/**
	 * The tool type the SDK reported ({@code payload.tool_type}, e.g. {@code function}, {@code shell}, {@code mcp}).
	 * @return the type, or empty
	 */
	public String toolType() {
		return text(payload().path("tool_type"));
	}

	/**
	 * The tool output of a tool/post call ({@code payload.tool_response}).
	 * @return the output, or a missing node
	 */
	public JsonNode toolResponse() {
		return payload().path("tool_response");
	}

	/**
	 * The tool output as text: a string output as is, any other value as its JSON text.
	 * @return the text, or empty
	 */
	public String toolResponseText() {
		return asText(toolResponse());
	}

	/**
	 * The first value of a header.
	 * @param name the header name, any case
	 * @return the value, or {@code null}
	 */
	public String header(String name) {
		List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	/**
	 * The end user a hook request acts for: the subject of the on-behalf-of agent token it carries (issued by the
	 * test server's token exchange), e.g. {@code alice@example.com}.
	 * @return the subject, or {@code null} for an API key or the agent's own token
	 */
	public String subject() {
		String authorization = header("authorization");
		return (authorization != null && authorization.startsWith("Bearer "))
				? HookExchangeHandler.subjectOf(authorization.substring(7).trim()) : null;
	}

	/**
	 * The {@code x-runlayer-idempotency-key} header.
	 * @return the key, or {@code null}
	 */
	public String idempotencyKey() {
		return header("x-runlayer-idempotency-key");
	}

	/**
	 * Whether the client compressed the body.
	 * @return the flag
	 */
	public boolean compressed() {
		return this.contentEncoding != null && !this.contentEncoding.isBlank()
				&& !"identity".equalsIgnoreCase(this.contentEncoding);
	}

	static String asText(JsonNode node) {
		if (node == null || node.isMissingNode()) {
			return "";
		}
		return node.isString() ? node.stringValue() : JSON.writeValueAsString(node);
	}

	private static String abbreviate(String value) {
		return (value.length() > 120) ? value.substring(0, 120) + "…(" + value.length() + " chars)" : value;
	}

	private static String text(JsonNode node) {
		return node.isString() ? node.stringValue() : "";
	}

	/**
	 * A short description: path, tool or event, session. Never the headers (they carry the credentials).
	 * @return the description
	 */
	@Override
	public String toString() {
		StringBuilder text = new StringBuilder(this.method).append(' ').append(this.path);
		if (!eventName().isEmpty()) {
			text.append(' ').append(eventName());
		}
		if (!toolName().isEmpty()) {
			text.append(" tool=").append(toolName());
		}
		if (!sessionId().isEmpty()) {
			text.append(" session=").append(sessionId());
		}
		if (isPreTool() || isPostTool() || isMcpSourceCheck()) {
			text.append(" input=").append(abbreviate(String.valueOf(toolInput())));
		}
		if (isPostTool()) {
			text.append(" output=").append(abbreviate(toolResponseText()));
		}
		if (isTokenRequest()) {
			text.append(" grant_type=").append(this.form.getOrDefault("grant_type", ""));
		}
		return text.toString();
	}

}
