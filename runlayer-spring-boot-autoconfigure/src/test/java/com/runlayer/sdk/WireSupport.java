package com.runlayer.sdk;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * Shared helpers of the wire tests: paths, clients against WireMock, reading what went over the wire.
 */
final class WireSupport {

	static final String PRE = "/api/v1/hooks/tool/pre";

	static final String POST = "/api/v1/hooks/tool/post";

	static final String EVENTS = "/api/v1/hooks/events";

	static final String TOKEN = "/api/v1/oauth/token";

	static final String API_KEY = "rl_test_key_4f9a";

	static final String ALLOW = "{\"permission\":\"allow\"}";

	static final String PASS = "{\"blocked\":false}";

	private static final JsonMapper json = JsonMapper.builder().build();

	private WireSupport() {
	}

	static RunlayerClient.Builder client(WireMockExtension wm) {
		return RunlayerClient.builder().baseUrl(wm.baseUrl()).allowInsecureTransport(true).apiKey(API_KEY);
	}

	static ToolCall bash(String command) {
		return ToolCall.builder()
			.sessionId("session-1")
			.toolName("Bash")
			.toolType("shell")
			.toolInput(Map.of("command", command))
			.build();
	}

	static List<LoggedRequest> requests(WireMockExtension wm, String path) {
		return wm.findAll(postRequestedFor(urlEqualTo(path)));
	}

	static JsonNode body(LoggedRequest request) {
		return json.readTree(request.getBodyAsString());
	}

	static JsonNode onlyBody(WireMockExtension wm, String path) {
		List<LoggedRequest> found = requests(wm, path);
		if (found.size() != 1) {
			throw new AssertionError("expected exactly one request to " + path + " but got " + found.size());
		}
		return body(found.get(0));
	}

	/** A local port nothing listens on: connecting to it is refused. */
	static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
