package com.runlayer.sample.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An in-process stand-in for Runlayer, for the sample's offline {@code local} profile only. It speaks the hook API
 * ({@code /api/v1/hooks/tool/pre}, {@code /tool/post}, {@code /events}) on 127.0.0.1 and applies a tiny demo policy:
 * <ul>
 * <li>tool/pre: deny any call whose input contains {@code rm -rf}; rewrite a {@code read_file} path that climbs out
 * of the sandbox ({@code ../notes.txt} becomes {@code sandbox/notes.txt}); allow everything else;</li>
 * <li>tool/post: block output containing {@code SECRET}; mask e-mail addresses; pass everything else.</li>
 * </ul>
 * It records every request it receives, so tests and the demo can show what went over the wire. Not a security
 * product: a real deployment points {@code runlayer.base-url} at Runlayer.
 */
public final class DemoPolicyServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(DemoPolicyServer.class);

	/** Replacement for masked e-mail addresses. */
	public static final String EMAIL_MASK = "[email redacted]";

	private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

	private final JsonMapper json = JsonMapper.builder().build();

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final HttpServer server;

	private final ExecutorService executor;

	private DemoPolicyServer(HttpServer server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
	}

	/**
	 * Starts the server on a free port of the loopback interface.
	 * @return the running server
	 */
	public static DemoPolicyServer start() {
		try {
			HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			ExecutorService executor = Executors.newFixedThreadPool(4, (runnable) -> {
				Thread thread = new Thread(runnable, "demo-runlayer");
				thread.setDaemon(true);
				return thread;
			});
			DemoPolicyServer demo = new DemoPolicyServer(http, executor);
			http.createContext("/", demo::handle);
			http.setExecutor(executor);
			http.start();
			logger.info("Demo Runlayer policy server listening on {}", demo.baseUrl());
			return demo;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the demo Runlayer policy server", ex);
		}
	}

	/**
	 * The base URL to configure as {@code runlayer.base-url}.
	 * @return e.g. {@code http://127.0.0.1:54321}
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * Every request received so far, oldest first.
	 * @return a snapshot
	 */
	public List<Received> received() {
		return List.copyOf(this.received);
	}

	/**
	 * The requests received on one path.
	 * @param path e.g. {@code /api/v1/hooks/tool/pre}
	 * @return a snapshot
	 */
	public List<Received> received(String path) {
		return this.received.stream().filter((r) -> r.path().equals(path)).toList();
	}

	/**
	 * Forgets the recorded requests.
	 */
	public void clear() {
		this.received.clear();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			if (!"POST".equals(exchange.getRequestMethod())) {
				respond(exchange, 405, "{\"detail\":\"method not allowed\"}");
				return;
			}
			JsonNode body;
			try (InputStream in = exchange.getRequestBody()) {
				body = this.json.readTree(in.readAllBytes());
			}
			catch (RuntimeException ex) {
				respond(exchange, 422, "{\"detail\":\"body is not JSON\"}");
				return;
			}
			boolean authenticated = exchange.getRequestHeaders().getFirst("x-runlayer-api-key") != null
					|| exchange.getRequestHeaders().getFirst("Authorization") != null;
			this.received.add(new Received(path, body));
			if (!authenticated) {
				respond(exchange, 401, "{\"detail\":\"missing credentials\"}");
				return;
			}
			switch (path) {
				case "/api/v1/hooks/events" -> respond(exchange, 200, "{}");
				case "/api/v1/hooks/tool/pre" -> respond(exchange, 200, this.json.writeValueAsString(preTool(body)));
				case "/api/v1/hooks/tool/post" -> respond(exchange, 200, this.json.writeValueAsString(postTool(body)));
				default -> respond(exchange, 404, "{\"detail\":\"not found\"}");
			}
		}
	}

	private ObjectNode preTool(JsonNode body) {
		JsonNode payload = body.path("payload");
		JsonNode input = payload.path("tool_input");
		String toolName = body.path("tool_name").asString("");
		ObjectNode answer = this.json.createObjectNode();
		if (containsText(input, "rm -rf")) {
			answer.put("permission", "deny");
			answer.put("block_reason", "Destructive shell command (rm -rf) is not allowed by the demo policy");
			return answer;
		}
		answer.put("permission", "allow");
		if ("read_file".equals(toolName) && input.path("path").isString()
				&& input.path("path").stringValue().contains("..")) {
			String path = input.path("path").stringValue();
			String fileName = path.substring(path.lastIndexOf('/') + 1);
			ObjectNode rewritten = ((ObjectNode) input).deepCopy();
			rewritten.put("path", "sandbox/" + fileName);
			answer.set("modified_args", rewritten);
		}
		return answer;
	}

	private ObjectNode postTool(JsonNode body) {
		JsonNode response = body.path("payload").path("tool_response");
		String text = response.isString() ? response.stringValue() : this.json.writeValueAsString(response);
		ObjectNode answer = this.json.createObjectNode();
		if (text.contains("SECRET")) {
			answer.put("blocked", true);
			answer.put("block_reason", "The output contains a secret (demo policy)");
			return answer;
		}
		answer.put("blocked", false);
		if (EMAIL.matcher(text).find()) {
			answer.put("modified_output", EMAIL.matcher(text).replaceAll(EMAIL_MASK));
		}
		return answer;
	}

	private static boolean containsText(JsonNode node, String needle) {
		if (node == null) {
			return false;
		}
		if (node.isString()) {
			return node.stringValue().contains(needle);
		}
		if (node.isContainer()) {
			for (Iterator<JsonNode> it = node.values().iterator(); it.hasNext();) {
				if (containsText(it.next(), needle)) {
					return true;
				}
			}
		}
		return false;
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	/**
	 * One request the server received.
	 *
	 * @param path the request path
	 * @param body the JSON body
	 */
	public record Received(String path, JsonNode body) {

		/**
		 * The {@code tool_name} of a tool/pre or tool/post body.
		 * @return the tool name, or empty
		 */
		public String toolName() {
			return this.body.path("tool_name").asString("");
		}

		/**
		 * The {@code event_name} of the body.
		 * @return the event name, or empty
		 */
		public String eventName() {
			return this.body.path("event_name").asString("");
		}

		/**
		 * The payload's session id.
		 * @return the session id, or empty
		 */
		public String sessionId() {
			return this.body.path("payload").path("session_id").asString("");
		}

	}

}
