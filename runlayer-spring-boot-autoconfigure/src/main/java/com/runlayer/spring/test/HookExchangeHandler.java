package com.runlayer.spring.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

import com.runlayer.sdk.transport.HookEndpoint;
import com.runlayer.spring.test.ScriptBook.Reply;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP side of the {@link RunlayerTestServer}: decodes a request (gzip included), records it, checks credentials
 * and the body's shape the way Runlayer does (401, 404, 405, 413, 415, 422), and writes the scripted answer or
 * failure. The routes are the SDK's own ({@link HookEndpoint}).
 */
final class HookExchangeHandler implements HttpHandler {

	private static final Logger logger = LoggerFactory.getLogger(HookExchangeHandler.class);

	static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

	static final long TOKEN_LIFETIME_SECONDS = 3600;

	private static final Set<String> SUBJECT_TOKEN_TYPES = Set.of("urn:runlayer:token-type:user-id",
			"urn:runlayer:token-type:user-email", "urn:ietf:params:oauth:token-type:access_token");

	private final ScriptBook scripts;

	private final Consumer<RecordedRequest> recorder;

	private static final String OBO_TOKEN_PREFIX = "rlt_obo_";

	private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();

	HookExchangeHandler(ScriptBook scripts, Consumer<RecordedRequest> recorder) {
		this.scripts = scripts;
		this.recorder = recorder;
	}

	@Override
	public void handle(HttpExchange exchange) throws IOException {
		try {
			serve(exchange);
		}
		catch (RuntimeException ex) {
			logger.warn("Runlayer test server: a script failed on {}", exchange.getRequestURI().getPath(), ex);
			respond(exchange, 500, detail("script failed: " + ex));
		}
		finally {
			exchange.close();
		}
	}

	private void serve(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		HookEndpoint endpoint = endpoint(path);
		String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
		byte[] body;
		try {
			body = decode(exchange.getRequestBody(), encoding);
		}
		catch (UnsupportedEncoding ex) {
			record(exchange, path, endpoint, encoding, new byte[0]);
			respond(exchange, 415, detail("unsupported Content-Encoding: " + encoding));
			return;
		}
		catch (TooLarge ex) {
			record(exchange, path, endpoint, encoding, new byte[0]);
			respond(exchange, 413, detail("request body too large"));
			return;
		}
		catch (IOException ex) {
			record(exchange, path, endpoint, encoding, new byte[0]);
			respond(exchange, 400, detail("body could not be decoded: " + ex.getMessage()));
			return;
		}
		RecordedRequest request = record(exchange, path, endpoint, encoding, body);
		if (endpoint == null) {
			respond(exchange, 404, detail("Not Found"));
			return;
		}
		if (!"POST".equals(exchange.getRequestMethod())) {
			respond(exchange, 405, detail("Method Not Allowed"));
			return;
		}
		if (endpoint == HookEndpoint.OAUTH_TOKEN) {
			token(exchange, request);
			return;
		}
		String denied = authenticate(exchange, endpoint);
		if (denied != null) {
			respond(exchange, 401, detail(denied));
			return;
		}
		String invalid = validate(request);
		if (invalid != null) {
			respond(exchange, 422, detail(invalid));
			return;
		}
		reply(exchange, this.scripts.answer(request), request);
	}

	private void token(HttpExchange exchange, RecordedRequest request) throws IOException {
		String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
		if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
			respond(exchange, 400, error("invalid_request", "the token request must be form-encoded"));
			return;
		}
		Map<String, String> form = request.form();
		String grant = form.getOrDefault("grant_type", "");
		if (!present(form.get("client_id")) || !present(form.get("client_secret"))) {
			respond(exchange, 401, error("invalid_client", "client_id and client_secret are required"));
			return;
		}
		if ("urn:ietf:params:oauth:grant-type:token-exchange".equals(grant)) {
			if (!present(form.get("subject_token")) || !SUBJECT_TOKEN_TYPES.contains(form.get("subject_token_type"))) {
				respond(exchange, 400, error("invalid_request", "subject_token and a known subject_token_type are required"));
				return;
			}
			if (!this.issuedTokens.contains(form.getOrDefault("actor_token", "")) || !present(form.get("actor_token_type"))) {
				respond(exchange, 400, error("invalid_grant", "actor_token must be a token this server issued"));
				return;
			}
		}
		else if (!"client_credentials".equals(grant)) {
			respond(exchange, 400, error("unsupported_grant_type", "unsupported grant_type"));
			return;
		}
		Reply reply = this.scripts.answer(request);
		reply(exchange, reply, request);
	}

	private void reply(HttpExchange exchange, Reply reply, RecordedRequest request) throws IOException {
		if (reply instanceof Reply.Answer answer) {
			respond(exchange, answer.status(), answer.body());
		}
		else if (reply instanceof Reply.Token token) {
			if (!token.issue()) {
				respond(exchange, 401, error("invalid_client", "client authentication failed"));
				return;
			}
			String value = issuedToken(request);
			this.issuedTokens.add(value);
			ObjectNode answer = ScriptBook.object()
				.put("access_token", value)
				.put("token_type", "Bearer")
				.put("expires_in", TOKEN_LIFETIME_SECONDS);
			respond(exchange, 200, ScriptBook.JSON.writeValueAsString(answer));
		}
		else if (reply instanceof Reply.Failure failure) {
			fail(exchange, failure.outage(), request);
		}
	}

	/**
	 * A fresh token; an on-behalf-of token carries its subject (so that a hook request shows whom it acts for, see
	 * {@link RecordedRequest#subject()}).
	 */
	private static String issuedToken(RecordedRequest request) {
		String random = UUID.randomUUID().toString().replace("-", "");
		String subject = "urn:ietf:params:oauth:grant-type:token-exchange".equals(request.form().get("grant_type"))
				? request.form().get("subject_token") : null;
		if (subject == null) {
			return "rlt_test_" + random;
		}
		return OBO_TOKEN_PREFIX + random + "_"
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(subject.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The subject an on-behalf-of token of this server was issued for.
	 * @param token the token
	 * @return the subject, or {@code null} for another token
	 */
	static String subjectOf(String token) {
		int start = OBO_TOKEN_PREFIX.length() + 33;
		if (token == null || !token.startsWith(OBO_TOKEN_PREFIX) || token.length() <= start) {
			return null;
		}
		try {
			return new String(Base64.getUrlDecoder().decode(token.substring(start)), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static void fail(HttpExchange exchange, Outage outage, RecordedRequest request) throws IOException {
		logger.debug("Runlayer test server: {} for {}", outage, request);
		switch (outage.kind()) {
			case STATUS -> respond(exchange, outage.statusCode(), detail("scripted outage"));
			case MALFORMED -> respond(exchange, 200, "<html>not a Runlayer answer</html>");
			case DELAY -> {
				try {
					Thread.sleep(outage.delayTime().toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				// closing the exchange without a response closes the connection
			}
			case RESET -> {
				// closing the exchange without a response closes the connection
			}
		}
	}

	/**
	 * Which credentials a hook route needs: an API key anywhere; an agent bearer token this server issued anywhere
	 * but on the cursor route.
	 */
	private String authenticate(HttpExchange exchange, HookEndpoint endpoint) {
		if (present(exchange.getRequestHeaders().getFirst("x-runlayer-api-key"))) {
			return null;
		}
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		if (authorization == null) {
			return "missing credentials: send x-runlayer-api-key or an agent bearer token";
		}
		if (endpoint == HookEndpoint.MCP_SOURCE) {
			return "agent bearer tokens are not accepted on the direct MCP source route; use an API key";
		}
		if (!authorization.startsWith("Bearer ") || !this.issuedTokens.contains(authorization.substring(7).trim())) {
			return "invalid or expired bearer token";
		}
		return null;
	}

	private static String validate(RecordedRequest request) {
		JsonNode json = request.json();
		if (!json.isObject()) {
			return "body must be a JSON object";
		}
		if (request.endpoint() == HookEndpoint.MCP_SOURCE) {
			return require(json, "hook_event_name", "tool_name");
		}
		String missing = require(json, "client", "event_name");
		if (missing == null && !json.path("payload").isObject()) {
			missing = "field required: payload (object)";
		}
		if (missing == null && request.endpoint() != HookEndpoint.EVENTS) {
			missing = require(json, "tool_name");
		}
		return missing;
	}

	private static String require(JsonNode json, String... fields) {
		for (String field : fields) {
			if (!json.path(field).isString() || json.path(field).stringValue().isBlank()) {
				return "field required: " + field + " (string)";
			}
		}
		return null;
	}

	private RecordedRequest record(HttpExchange exchange, String path, HookEndpoint endpoint, String encoding,
			byte[] body) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		exchange.getRequestHeaders()
			.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
		String text = new String(body, StandardCharsets.UTF_8);
		JsonNode json = null;
		Map<String, String> form = Map.of();
		if (endpoint == HookEndpoint.OAUTH_TOKEN) {
			form = parseForm(text);
		}
		else if (body.length > 0) {
			try {
				json = ScriptBook.JSON.readTree(body);
			}
			catch (JacksonException ex) {
				json = null;
			}
		}
		RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), path, endpoint, headers, encoding,
				text, json, form, Instant.now());
		this.recorder.accept(request);
		return request;
	}

	private static Map<String, String> parseForm(String text) {
		Map<String, String> form = new LinkedHashMap<>();
		for (String pair : text.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			String key = URLDecoder.decode((eq < 0) ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			String value = (eq < 0) ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			form.putIfAbsent(key, value);
		}
		return form;
	}

	private static HookEndpoint endpoint(String path) {
		for (HookEndpoint endpoint : HookEndpoint.values()) {
			if (endpoint.defaultPath().equals(path)) {
				return endpoint;
			}
		}
		return null;
	}

	private static byte[] decode(InputStream raw, String encoding) throws IOException {
		byte[] bytes = readBounded(raw);
		if (encoding == null || encoding.isBlank() || "identity".equalsIgnoreCase(encoding.trim())) {
			return bytes;
		}
		if (!"gzip".equalsIgnoreCase(encoding.trim())) {
			throw new UnsupportedEncoding();
		}
		try (InputStream gzip = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
			return readBounded(gzip);
		}
	}

	private static byte[] readBounded(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int read;
		while ((read = in.read(buffer)) != -1) {
			if (out.size() + read > MAX_BODY_BYTES) {
				throw new TooLarge();
			}
			out.write(buffer, 0, read);
		}
		return out.toByteArray();
	}

	private static String detail(String message) {
		return ScriptBook.JSON.writeValueAsString(ScriptBook.object().put("detail", message));
	}

	private static String error(String code, String description) {
		return ScriptBook.JSON
			.writeValueAsString(ScriptBook.object().put("error", code).put("error_description", description));
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static boolean present(String value) {
		return value != null && !value.isBlank();
	}

	private static final class UnsupportedEncoding extends IOException {

	}

	private static final class TooLarge extends IOException {

	}

}
