package com.runlayer.spring.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.runlayer.sdk.EnforcementFailureMode;
import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.McpSourceCheck;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.transport.HookEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static com.runlayer.spring.test.RunlayerAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The test server through a real {@link RunlayerClient}, in a plain JUnit test with {@link RunlayerTestExtension}:
 * every scripted answer reaches the caller as the SDK maps it, every request is recorded and assertable.
 */
@ExtendWith(RunlayerTestExtension.class)
class RunlayerTestServerTests {

	private final AtomicInteger runs = new AtomicInteger();

	private Object readFile(RunlayerClient client, String session, String path) {
		return client.runTool(call(session, "read_file", Map.of("path", path)), (input) -> {
			this.runs.incrementAndGet();
			return "content of " + input.get("path");
		});
	}

	private static ToolCall call(String session, String tool, Map<String, Object> input) {
		return ToolCall.builder().sessionId(session).toolName(tool).toolType("function").toolInput(input).build();
	}

	@Test
	void withoutAScriptEveryCallIsAllowedAndRecorded(RunlayerTestServer runlayer, RunlayerClient client) {
		assertThat(readFile(client, "c1", "a.txt")).isEqualTo("content of a.txt");

		assertThat(runlayer).receivedPreTool("read_file").withSessionId("c1").withInput("path", "a.txt").once();
		assertThat(runlayer).receivedPostTool("read_file")
			.withSessionId("c1")
			.withOutputContaining("content of a.txt")
			.withToolType("function");
		assertThat(runlayer).receivedNoCallFor("run_command");
		RecordedRequest pre = runlayer.preToolRequests("read_file").get(0);
		assertThat(pre.header("x-runlayer-api-key")).isEqualTo(RunlayerTestServer.API_KEY);
		assertThat(pre.idempotencyKey()).isNotBlank();
		assertThat(pre.eventName()).isEqualTo("PreToolUse");
	}

	@Test
	void denyReachesTheCallerWithItsReasonAndTheToolNeverRuns(RunlayerTestServer runlayer, RunlayerClient client) {
		runlayer.onPreTool("read_file").deny("No reading in tests");

		assertThatExceptionOfType(RunlayerBlockedException.class).isThrownBy(() -> readFile(client, "c1", "a.txt"))
			.satisfies((ex) -> {
				assertThat(ex.reason()).contains("No reading in tests");
				assertThat(ex.stage()).isEqualTo(EnforcementStage.PRE_TOOL);
				assertThat(ex.outage()).isFalse();
			});
		assertThat(this.runs).hasValue(0);
		assertThat(runlayer).receivedPreTool("read_file").once();
		assertThat(runlayer.postToolRequests("read_file")).isEmpty();
	}

	@Test
	void rewriteReplacesTheInputOnlyForMatchingCalls(RunlayerTestServer runlayer, RunlayerClient client) {
		runlayer.onPreTool("read_file")
			.when((input) -> String.valueOf(input.get("path")).contains(".."))
			.rewrite((input) -> {
				input.put("path", "sandbox/notes.txt");
				return input;
			});

		assertThat(readFile(client, "c1", "../notes.txt")).isEqualTo("content of sandbox/notes.txt");
		assertThat(readFile(client, "c1", "a.txt")).isEqualTo("content of a.txt");
		assertThat(runlayer).receivedPostTool("read_file").withInput("path", "sandbox/notes.txt").once();
	}

	@Test
	void answersInOrderThenTheLastOneKeepsAnswering(RunlayerTestServer runlayer, RunlayerClient client) {
		runlayer.onPreTool("read_file").deny("first").then().rewrite(Map.of("path", "b.txt"));

		assertThatExceptionOfType(RunlayerBlockedException.class).isThrownBy(() -> readFile(client, "c1", "a.txt"));
		assertThat(readFile(client, "c1", "a.txt")).isEqualTo("content of b.txt");
		assertThat(readFile(client, "c1", "a.txt")).isEqualTo("content of b.txt");
	}

	@Test
	void newestMatchingRuleWins(RunlayerTestServer runlayer, RunlayerClient client) {
		runlayer.onPreTool().deny("nothing runs");
		runlayer.onPreTool("read_file").allow();

		assertThat(readFile(client, "c1", "a.txt")).isEqualTo("content of a.txt");
		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> client.runTool(call("c1", "run_command", Map.of("command", "ls")), (input) -> "ran"))
			.withMessageContaining("nothing runs");
	}

	@Test
	void maskReplacesTheOutputAndBlockStopsIt(RunlayerTestServer runlayer, RunlayerClient client) {
		runlayer.onPostTool("read_file").whenOutput((text) -> text.contains("a.txt")).mask((text) -> text.toUpperCase());
		runlayer.onPostTool("read_file").whenOutput((text) -> text.contains("secret")).block("secret in output");

		assertThat(readFile(client, "c1", "a.txt")).isEqualTo("CONTENT OF A.TXT");
		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> readFile(client, "c1", "secret.txt"))
			.satisfies((ex) -> assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL))
			.withMessageContaining("secret in output");
		assertThat(readFile(client, "c1", "b.txt")).isEqualTo("content of b.txt");
	}

	@Test
	void outageStatusBlocksInClosedModeAndAllowsInOpenMode(RunlayerTestServer runlayer) {
		runlayer.onPreTool("read_file").outage(Outage.status(503));

		try (RunlayerClient closed = runlayer.clientBuilder().maxRetries(0).build();
				RunlayerClient open = runlayer.clientBuilder()
					.maxRetries(0)
					.enforcementFailureMode(EnforcementFailureMode.OPEN)
					.build()) {
			assertThatExceptionOfType(RunlayerBlockedException.class).isThrownBy(() -> readFile(closed, "c1", "a.txt"))
				.satisfies((ex) -> assertThat(ex.outage()).isTrue());
			assertThat(this.runs).hasValue(0);
			assertThat(readFile(open, "c1", "a.txt")).isEqualTo("content of a.txt");
		}
	}

	@Test
	void oneOutageThenAllowIsRetriedWithTheSameIdempotencyKey(RunlayerTestServer runlayer, RunlayerClient client) {
		runlayer.onPreTool("read_file").outage(Outage.status(503)).then().allow();

		assertThat(readFile(client, "c1", "a.txt")).isEqualTo("content of a.txt");
		List<RecordedRequest> attempts = assertThat(runlayer).receivedPreTool("read_file").times(2).requests();
		assertThat(attempts.get(0).idempotencyKey()).isEqualTo(attempts.get(1).idempotencyKey());
	}

	@Test
	void connectionResetSilenceAndMalformedAnswersAreOutages(RunlayerTestServer runlayer) {
		try (RunlayerClient client = runlayer.clientBuilder().maxRetries(0).timeout(Duration.ofMillis(500)).build()) {
			runlayer.onPreTool("read_file").outage(Outage.connectionReset());
			assertThatExceptionOfType(RunlayerBlockedException.class).isThrownBy(() -> readFile(client, "c1", "a.txt"))
				.satisfies((ex) -> assertThat(ex.outage()).isTrue());

			runlayer.onPreTool("read_file").outage(Outage.malformedAnswer());
			assertThatExceptionOfType(RunlayerBlockedException.class).isThrownBy(() -> readFile(client, "c1", "a.txt"))
				.satisfies((ex) -> assertThat(ex.outage()).isTrue());

			runlayer.onPreTool("read_file").outage(Outage.delay(Duration.ofSeconds(3)));
			long start = System.nanoTime();
			assertThatExceptionOfType(RunlayerBlockedException.class).isThrownBy(() -> readFile(client, "c1", "a.txt"))
				.satisfies((ex) -> assertThat(ex.outage()).isTrue());
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
			assertThat(this.runs).hasValue(0);
		}
	}

	@Test
	void gzipBodiesAreRecordedDecoded(RunlayerTestServer runlayer) {
		String big = "x".repeat(40_000);
		try (RunlayerClient client = runlayer.clientBuilder().compression(true).build()) {
			client.runTool(call("c1", "write_file", Map.of("path", "big.txt", "content", big)), (input) -> "ok");
		}
		RecordedRequest pre = assertThat(runlayer).receivedPreTool("write_file")
			.withInput("content", big)
			.requests()
			.get(0);
		assertThat(pre.compressed()).isTrue();
		assertThat(pre.contentEncoding()).isEqualTo("gzip");
	}

	@Test
	void agentAccountClientsMintATokenAtTheTokenRouteAndUseIt(RunlayerTestServer runlayer) {
		try (RunlayerClient client = runlayer.agentClientBuilder().build()) {
			assertThat(readFile(client, "c1", "a.txt")).isEqualTo("content of a.txt");
		}
		RecordedRequest token = assertThat(runlayer).receivedTokenRequest().once().requests().get(0);
		assertThat(token.form()).containsEntry("grant_type", "client_credentials")
			.containsEntry("client_id", RunlayerTestServer.AGENT_CLIENT_ID);
		assertThat(runlayer).receivedPreTool("read_file")
			.matching((r) -> r.header("Authorization") != null && r.header("Authorization").startsWith("Bearer rlt_test_")
					&& r.header("x-runlayer-api-key") == null, "the minted bearer token");
	}

	@Test
	void rejectedAgentCredentialsBlockTheCall(RunlayerTestServer runlayer) {
		runlayer.onTokenRequest().reject();
		try (RunlayerClient client = runlayer.agentClientBuilder().build()) {
			assertThatExceptionOfType(RunlayerBlockedException.class).isThrownBy(() -> readFile(client, "c1", "a.txt"));
		}
		assertThat(runlayer).receivedNoCallFor("read_file");
		assertThat(this.runs).hasValue(0);
	}

	@Test
	void eventsAndPreflightAreRecorded(RunlayerTestServer runlayer, RunlayerClient client) {
		client.emitUserPromptSubmit("c7", "hello");
		String session = client.sendPreflight("ping").sessionId();

		assertThat(runlayer).receivedEvent("UserPromptSubmit").withSessionId("c7").withPayload("prompt", "hello");
		assertThat(runlayer).receivedEvent("SessionStart").withSessionId(session).once();
		assertThat(runlayer).receivedEvent("Stop").withSessionId(session);
		assertThat(runlayer).receivedNoEvent("SessionEnd");
	}

	@Test
	void failedEventsNeverBreakTheCallerButFailAStrictPreflight(RunlayerTestServer runlayer, RunlayerClient client) {
		runlayer.onEvent().outage(Outage.status(500));

		client.emitUserPromptSubmit("c7", "hello");
		assertThatThrownBy(() -> client.sendPreflight("ping")).isInstanceOf(RuntimeException.class);
		assertThat(runlayer).receivedEvent("UserPromptSubmit");
	}

	@Test
	void mcpSourceChecksAreScriptable(RunlayerTestServer runlayer) {
		runlayer.onMcpSource("mcp__github__list_repos").deny("Server not approved", "Do not call this server");
		RunlayerClient client = runlayer.clientBuilder()
			.directMcpSourceEnforcementPath(HookEndpoint.MCP_SOURCE.defaultPath())
			.build();

		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> client.enforceMcpSource(McpSourceCheck.ofUrl("g1", "c1", "mcp__github__list_repos",
					"https://mcp.example.com/github")))
			.withMessageContaining("Server not approved");
		client.enforceMcpSource(McpSourceCheck.ofUrl("g2", "c1", "mcp__docs__search", "https://mcp.example.com/docs"));
		assertThat(runlayer).receivedMcpSourceCheck("mcp__github__list_repos").withSessionId("c1");
		client.close();
	}

	@Test
	void resetForgetsRulesAndRequests(RunlayerTestServer runlayer, RunlayerClient client) {
		runlayer.onPreTool("read_file").deny("no");
		assertThatExceptionOfType(RunlayerBlockedException.class).isThrownBy(() -> readFile(client, "c1", "a.txt"));

		runlayer.reset();

		assertThat(runlayer).receivedNothing();
		assertThat(readFile(client, "c1", "a.txt")).isEqualTo("content of a.txt");
	}

	@Test
	void hookRoutesWantCredentialsAndTheFieldsRunlayerRequires(RunlayerTestServer runlayer) throws Exception {
		String body = "{\"client\":\"python-sdk\",\"event_name\":\"PreToolUse\",\"tool_name\":\"t\",\"payload\":{}}";
		assertThat(post(runlayer, "/api/v1/hooks/tool/pre", body, null)).isEqualTo(401);
		assertThat(post(runlayer, "/api/v1/hooks/tool/pre", body, "Bearer not-issued")).isEqualTo(401);
		assertThat(post(runlayer, "/api/v1/hooks/tool/pre", body, "key")).isEqualTo(200);
		assertThat(post(runlayer, "/api/v1/hooks/tool/pre", "{\"client\":\"python-sdk\",\"payload\":{}}", "key"))
			.isEqualTo(422);
		assertThat(post(runlayer, "/api/v1/hooks/tool/pre", "not json", "key")).isEqualTo(422);
		assertThat(post(runlayer, "/api/v1/hooks/unknown", body, "key")).isEqualTo(404);
		assertThat(runlayer.requests()).hasSize(6);
	}

	@Test
	void inputsAreComparedAsJson(RunlayerTestServer runlayer, RunlayerClient client) {
		Map<String, Object> input = new java.util.LinkedHashMap<>();
		input.put("query", "runlayer");
		input.put("options", Map.of("limit", 3, "tags", List.of("a", "b")));
		input.put("cursor", null);
		client.runTool(call("c1", "search", input), (in) -> "found");

		assertThat(runlayer).receivedPreTool("search")
			.withInput("options", Map.of("limit", 3, "tags", List.of("a", "b")))
			.withInput("cursor", null)
			.withInput(input);
		runlayer.awaitTimeout(Duration.ofMillis(50));
		assertThatThrownBy(() -> assertThat(runlayer).receivedPreTool("search").withInput("options", Map.of("limit", 4)))
			.isInstanceOf(AssertionError.class);
		assertThatThrownBy(() -> assertThat(runlayer).receivedPreTool("search").withInput("missing", null))
			.isInstanceOf(AssertionError.class);
	}

	@Test
	void failedAssertionsSayWhatArrived(RunlayerTestServer runlayer, RunlayerClient client) {
		runlayer.awaitTimeout(Duration.ofMillis(100));
		readFile(client, "c1", "a.txt");

		assertThatThrownBy(() -> assertThat(runlayer).receivedPreTool("read_file").withSessionId("other"))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("session id 'other'")
			.hasMessageContaining("tool=read_file session=c1");
		assertThatThrownBy(() -> assertThat(runlayer).receivedNoCallFor("read_file")).isInstanceOf(AssertionError.class);
		assertThatThrownBy(() -> assertThat(runlayer).receivedPreTool("read_file").times(2))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("arrived 1 time(s)");
	}

	private static int post(RunlayerTestServer runlayer, String path, String body, String credential)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(runlayer.baseUrl() + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (credential != null && credential.startsWith("Bearer ")) {
			request.header("Authorization", credential);
		}
		else if (credential != null) {
			request.header("x-runlayer-api-key", credential);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

}
