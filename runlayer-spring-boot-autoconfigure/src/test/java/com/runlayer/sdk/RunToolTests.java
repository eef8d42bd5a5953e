package com.runlayer.sdk;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.sdk.WireSupport.ALLOW;
import static com.runlayer.sdk.WireSupport.API_KEY;
import static com.runlayer.sdk.WireSupport.EVENTS;
import static com.runlayer.sdk.WireSupport.PASS;
import static com.runlayer.sdk.WireSupport.POST;
import static com.runlayer.sdk.WireSupport.PRE;
import static com.runlayer.sdk.WireSupport.bash;
import static com.runlayer.sdk.WireSupport.client;
import static com.runlayer.sdk.WireSupport.onlyBody;
import static com.runlayer.sdk.WireSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link RunlayerClient#runTool} against a WireMock Runlayer: decisions, payloads and headers.
 */
class RunToolTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void allowedCallRunsTheToolAndReturnsItsOutput() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
		try (RunlayerClient client = client(wm).build()) {
			Object output = client.runTool(bash("cat README.md"), (input) -> {
				seen.set(input);
				return "hello";
			});
			assertThat(output).isEqualTo("hello");
		}
		assertThat(seen.get()).containsExactly(Map.entry("command", "cat README.md"));
		wm.verify(1, postRequestedFor(urlEqualTo(PRE)));
		wm.verify(1, postRequestedFor(urlEqualTo(POST))
			.withRequestBody(matchingJsonPath("$.event_name", equalTo("PostToolUse")))
			.withRequestBody(matchingJsonPath("$.payload.tool_response", equalTo("hello")))
			.withRequestBody(matchingJsonPath("$.payload.tool_input.command", equalTo("cat README.md"))));
	}

	@Test
	void preToolBodyIsTheClaudeShapedWrapperOfDecisionD1() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = client(wm).clientVersion("my-agent/1.0.0").build()) {
			client.runTool(bash("ls"), (input) -> "out");
		}
		JsonNode pre = onlyBody(wm, PRE);
		assertThat(pre.get("client").stringValue()).isEqualTo("python-sdk");
		assertThat(pre.get("event_name").stringValue()).isEqualTo("PreToolUse");
		assertThat(pre.get("tool_name").stringValue()).isEqualTo("Bash");
		JsonNode payload = pre.get("payload");
		assertThat(payload.get("session_id").stringValue()).isEqualTo("session-1");
		assertThat(payload.get("hook_event_name").stringValue()).isEqualTo("PreToolUse");
		assertThat(payload.get("tool_name").stringValue()).isEqualTo("Bash");
		assertThat(payload.get("tool_input").get("command").stringValue()).isEqualTo("ls");
		assertThat(payload.get("tool_type").stringValue()).isEqualTo("shell");
		assertThat(payload.get("client_version").stringValue()).isEqualTo("my-agent/1.0.0");
		String toolUseId = payload.get("tool_use_id").stringValue();
		assertThat(toolUseId).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
		JsonNode post = onlyBody(wm, POST);
		assertThat(post.get("client").stringValue()).isEqualTo("python-sdk");
		assertThat(post.get("tool_name").stringValue()).isEqualTo("Bash");
		assertThat(post.get("payload").get("hook_event_name").stringValue()).isEqualTo("PostToolUse");
		assertThat(post.get("payload").get("tool_use_id").stringValue()).isEqualTo(toolUseId);
		assertThat(post.get("payload").get("session_id").stringValue()).isEqualTo("session-1");
	}

	@Test
	void callersToolUseIdAndClientNameAreSentAsGiven() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = client(wm).client("java-agent").build()) {
			client.runTool(bash("ls").withToolUseId("toolu_01abc"), (input) -> "out");
		}
		wm.verify(postRequestedFor(urlEqualTo(PRE)).withRequestBody(matchingJsonPath("$.client", equalTo("java-agent")))
			.withRequestBody(matchingJsonPath("$.payload.tool_use_id", equalTo("toolu_01abc"))));
		wm.verify(postRequestedFor(urlEqualTo(POST)).withRequestBody(matchingJsonPath("$.client", equalTo("java-agent")))
			.withRequestBody(matchingJsonPath("$.payload.tool_use_id", equalTo("toolu_01abc"))));
	}

	@Test
	void requestsCarryTheApiKeyContentTypeUserAgentAndIdempotencyKey() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		try (RunlayerClient client = client(wm).clientVersion("my-agent/1.0.0").build()) {
			client.runTool(bash("ls"), (input) -> "out");
			client.emitEventStrict("UserPromptSubmit", "session-1", Map.of("prompt", "hi"));
		}
		assertThat(RunlayerClient.sdkVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
		String userAgent = "Runlayer-Java-SDK/" + RunlayerClient.sdkVersion() + " my-agent/1.0.0";
		for (String path : List.of(PRE, POST, EVENTS)) {
			wm.verify(1, postRequestedFor(urlEqualTo(path)).withHeader("x-runlayer-api-key", equalTo(API_KEY))
				.withHeader("Content-Type", matching("application/json.*"))
				.withHeader("User-Agent", equalTo(userAgent)));
		}
		String uuid = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
		wm.verify(1, postRequestedFor(urlEqualTo(PRE)).withHeader("x-runlayer-idempotency-key", matching(uuid)));
		wm.verify(1, postRequestedFor(urlEqualTo(POST)).withHeader("x-runlayer-idempotency-key", matching(uuid)));
		assertThat(requests(wm, EVENTS).get(0).containsHeader("x-runlayer-idempotency-key")).isFalse();
		assertThat(requests(wm, PRE).get(0).getHeader("Authorization")).isNull();
	}

	@Test
	void userAgentWithoutClientVersionIsTheSdkAlone() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		try (RunlayerClient client = client(wm).build()) {
			client.runTool(bash("ls"), (input) -> "out");
		}
		wm.verify(postRequestedFor(urlEqualTo(PRE))
			.withHeader("User-Agent", equalTo("Runlayer-Java-SDK/" + RunlayerClient.sdkVersion())));
		assertThat(onlyBody(wm, PRE).get("payload").has("client_version")).isFalse();
	}

	@Test
	void deniedPreToolCallThrowsAndNeverRunsTheTool() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"rm is not allowed\"}")));
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient client = client(wm).build()) {
			Throwable thrown = catchThrowable(() -> client.runTool(bash("rm -rf /"), (input) -> runs.incrementAndGet()));
			assertThat(thrown).isInstanceOf(RunlayerBlockedException.class);
			RunlayerBlockedException blocked = (RunlayerBlockedException) thrown;
			assertThat(blocked.reason()).isEqualTo("rm is not allowed");
			assertThat(blocked.stage()).isEqualTo(EnforcementStage.PRE_TOOL);
			assertThat(blocked.outage()).isFalse();
		}
		assertThat(runs).hasValue(0);
		wm.verify(1, postRequestedFor(urlEqualTo(PRE)));
		wm.verify(0, postRequestedFor(urlEqualTo(POST)));
	}

	@Test
	void denyReasonFallsBackToUserMessageThenReason() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"user_message\":\"ask an admin\",\"reason\":\"r\"}")));
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.runTool(bash("x"), (input) -> "out"))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.reason()).isEqualTo("ask an admin"));
		}
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"reason\":\"plain reason\"}")));
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.runTool(bash("x"), (input) -> "out"))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.reason()).isEqualTo("plain reason"));
		}
	}

	@Test
	void rewrittenArgumentsReplaceTheWholeInputOfTheTool() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\",\"modified_args\":{\"command\":\"ls -la\",\"timeout\":5}}")));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("command", "rm -rf /");
		input.put("description", "cleanup");
		try (RunlayerClient client = client(wm).build()) {
			Object output = client.runTool(bash("ignored").withToolInput(input), (in) -> {
				seen.set(in);
				return "ran " + in.get("command");
			});
			assertThat(output).isEqualTo("ran ls -la");
		}
		assertThat(seen.get()).containsOnly(Map.entry("command", "ls -la"), Map.entry("timeout", 5));
		wm.verify(postRequestedFor(urlEqualTo(PRE)).withRequestBody(matchingJsonPath("$.payload.tool_input.command", equalTo("rm -rf /"))));
		wm.verify(postRequestedFor(urlEqualTo(POST)).withRequestBody(matchingJsonPath("$.payload.tool_input.command", equalTo("ls -la")))
			.withRequestBody(matchingJsonPath("$.payload.tool_response", equalTo("ran ls -la"))));
	}

	@Test
	void blockedOutputThrowsAndIsNeverReturned() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":true,\"block_reason\":\"secret in output\"}")));
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.runTool(bash("cat .env"), (input) -> {
				runs.incrementAndGet();
				return "AWS_SECRET=xyz";
			})).isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
				assertThat(ex.reason()).isEqualTo("secret in output");
				assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL);
				assertThat(ex.outage()).isFalse();
				assertThat(ex.getMessage()).doesNotContain("AWS_SECRET");
			});
		}
		assertThat(runs).hasValue(1);
		wm.verify(postRequestedFor(urlEqualTo(POST)).withRequestBody(matchingJsonPath("$.payload.tool_response", equalTo("AWS_SECRET=xyz"))));
	}

	@Test
	void blockReasonFallsBackToTheFirstBlockingScanResult() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":true,\"scan_results\":[{\"scan_action\":\"allow\",\"reason\":\"no\"},"
				+ "{\"scan_action\":\"block\",\"reason\":\"PII detected\"}]}")));
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.runTool(bash("x"), (input) -> "out"))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.reason()).isEqualTo("PII detected"));
		}
	}

	@Test
	void maskedTextOutputIsReturnedInsteadOfTheRawOutput() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false,\"modified_output\":\"email: [REDACTED]\"}")));
		try (RunlayerClient client = client(wm).build()) {
			assertThat(client.runTool(bash("whoami"), (input) -> "email: ann@example.com")).isEqualTo("email: [REDACTED]");
		}
	}

	@Test
	void emptyMaskedOutputIsAValidMask() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false,\"modified_output\":\"\"}")));
		try (RunlayerClient client = client(wm).build()) {
			assertThat(client.runTool(bash("whoami"), (input) -> "secret")).isEqualTo("");
		}
	}

	@Test
	void maskedRecordOutputIsConvertedToTheToolsRecordType() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false,\"modified_output\":\"{\\\"name\\\":\\\"Ann\\\",\\\"email\\\":\\\"[REDACTED]\\\"}\"}")));
		try (RunlayerClient client = client(wm).build()) {
			Object output = client.runTool(bash("lookup"), (input) -> new Customer("Ann", "ann@example.com"));
			assertThat(output).isEqualTo(new Customer("Ann", "[REDACTED]"));
		}
		wm.verify(postRequestedFor(urlEqualTo(POST)).withRequestBody(matchingJsonPath("$.payload.tool_response.email", equalTo("ann@example.com"))));
	}

	@Test
	void maskedOutputThatDoesNotFitTheRecordTypeBlocksInsteadOfLeakingTheRawOutput() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false,\"modified_output\":\"[REDACTED]\"}")));
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.runTool(bash("lookup"), (input) -> new Customer("Ann", "ann@example.com")))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> {
					assertThat(ex.stage()).isEqualTo(EnforcementStage.POST_TOOL);
					assertThat(ex.getMessage()).doesNotContain("ann@example.com");
				});
		}
	}

	@Test
	void failingToolSendsFailureTelemetryAndRethrowsTheSameCheckedException() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		IOException failure = new IOException("disk on fire");
		try (RunlayerClient client = client(wm).build()) {
			Throwable thrown = catchThrowable(() -> client.runTool(bash("df"), (input) -> {
				throw failure;
			}));
			assertThat(thrown).isSameAs(failure);
		}
		JsonNode body = onlyBody(wm, POST);
		assertThat(body.get("event_name").stringValue()).isEqualTo("PostToolUseFailure");
		assertThat(body.get("tool_name").stringValue()).isEqualTo("Bash");
		JsonNode payload = body.get("payload");
		assertThat(payload.get("hook_event_name").stringValue()).isEqualTo("PostToolUseFailure");
		assertThat(payload.get("error").stringValue()).isEqualTo("java.io.IOException: disk on fire");
		assertThat(payload.has("stdout")).as("a Java method has no stdout").isFalse();
		assertThat(payload.has("stderr")).as("a Java method has no stderr").isFalse();
		assertThat(payload.get("output").stringValue()).isEqualTo("java.io.IOException: disk on fire");
		assertThat(payload.get("tool_input").get("command").stringValue()).isEqualTo("df");
		assertThat(payload.get("is_interrupt").booleanValue()).isFalse();
		assertThat(payload.get("tool_use_id").stringValue())
			.isEqualTo(onlyBody(wm, PRE).get("payload").get("tool_use_id").stringValue());
		assertThat(payload.has("tool_response")).isFalse();
	}

	@Test
	void failingToolWithOutputSendsItsStdoutStderrAndOutput() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		ShellFailure failure = new ShellFailure();
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.runTool(bash("make"), (input) -> {
				throw failure;
			})).isSameAs(failure);
		}
		JsonNode payload = onlyBody(wm, POST).get("payload");
		assertThat(payload.get("error").stringValue()).endsWith("ShellFailure: exit code 2");
		assertThat(payload.get("stdout").stringValue()).isEqualTo("compiling");
		assertThat(payload.get("stderr").stringValue()).isEqualTo("error: missing ;");
		assertThat(payload.get("output").get("exitCode").intValue()).isEqualTo(2);
	}

	@Test
	void failingToolIsRethrownUnchangedEvenWhenFailureTelemetryFails() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(serverError()));
		IllegalStateException failure = new IllegalStateException("boom");
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.runTool(bash("x"), (input) -> {
				throw failure;
			})).isSameAs(failure);
		}
		wm.verify(1, postRequestedFor(urlEqualTo(POST)));
	}

	@Test
	void failingToolIsRethrownUnchangedEvenWhenItsExceptionCannotDescribeItself() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		RuntimeException failure = new RuntimeException() {
			@Override
			public String getMessage() {
				throw new IllegalStateException("message not available");
			}
		};
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.runTool(bash("x"), (input) -> {
				throw failure;
			})).isSameAs(failure);
			// fail(...) is best-effort and never throws, whatever it is given
			ToolInvocation invocation = client.beginTool(bash("y"));
			org.assertj.core.api.Assertions.assertThatNoException().isThrownBy(() -> invocation.fail((Throwable) null));
		}
	}

	@Test
	void interruptedToolIsReportedAsInterrupt() {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		InterruptedException failure = new InterruptedException("stop");
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.runTool(bash("sleep"), (input) -> {
				throw failure;
			})).isSameAs(failure);
		}
		assertThat(onlyBody(wm, POST).get("payload").get("is_interrupt").booleanValue()).isTrue();
	}

	@Test
	void skippedRunlayerSelfMcpToolRunsWithoutAnyCall() {
		try (RunlayerClient client = client(wm).build()) {
			ToolCall call = ToolCall.builder().sessionId("s").toolName("mcp__runlayer__search").toolType("mcp")
				.mcpServerName("runlayer").build();
			assertThat(client.runTool(call, (input) -> "direct")).isEqualTo("direct");
		}
		assertThat(wm.getAllServeEvents()).isEmpty();
	}

	@Test
	void inputThatCannotBeSerializedIsRejectedBeforeAnythingIsSent() {
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("self", input);
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient client = client(wm).build()) {
			assertThatThrownBy(() -> client.runTool(bash("x").withToolInput(input), (in) -> runs.incrementAndGet()))
				.isInstanceOf(RunlayerException.class)
				.hasMessageContaining("tool_input");
		}
		assertThat(runs).hasValue(0);
		assertThat(wm.getAllServeEvents()).isEmpty();
	}

	@Test
	void inputOverItsBoundIsRejectedBeforeTheToolRuns() {
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient client = client(wm).maxToolInputBytes(100).build()) {
			assertThatThrownBy(() -> client.runTool(bash("y".repeat(200)), (in) -> runs.incrementAndGet()))
				.isInstanceOf(RunlayerException.class)
				.hasMessageContaining("runlayer.max-tool-input-bytes");
		}
		assertThat(runs).hasValue(0);
		assertThat(wm.getAllServeEvents()).isEmpty();
	}

	@Test
	void callWithoutSessionIdIsRejectedBeforeAnythingIsSent() {
		AtomicInteger runs = new AtomicInteger();
		try (RunlayerClient client = client(wm).build()) {
			ToolCall call = ToolCall.builder().toolName("Bash").build();
			assertThatThrownBy(() -> client.runTool(call, (input) -> runs.incrementAndGet()))
				.isInstanceOf(RunlayerException.class)
				.hasMessageContaining("sessionId");
		}
		assertThat(runs).hasValue(0);
		assertThat(wm.getAllServeEvents()).isEmpty();
	}

	@Test
	void oneClientServesConcurrentCallsEachWithItsOwnToolUseId() throws Exception {
		wm.stubFor(post(PRE).willReturn(okJson(ALLOW)));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		int calls = 40;
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
		try (RunlayerClient client = client(wm).build()) {
			List<java.util.concurrent.Future<Object>> results = new java.util.ArrayList<>();
			for (int i = 0; i < calls; i++) {
				String command = "echo " + i;
				results.add(pool.submit(() -> client.runTool(bash(command), (input) -> "out " + input.get("command"))));
			}
			for (int i = 0; i < calls; i++) {
				assertThat(results.get(i).get()).isEqualTo("out echo " + i);
			}
		}
		finally {
			pool.shutdownNow();
		}
		Map<String, String> preCommands = new java.util.HashMap<>();
		requests(wm, PRE).forEach((r) -> {
			JsonNode payload = WireSupport.body(r).get("payload");
			preCommands.put(payload.get("tool_use_id").stringValue(), payload.get("tool_input").get("command").stringValue());
		});
		assertThat(preCommands).hasSize(calls);
		requests(wm, POST).forEach((r) -> {
			JsonNode payload = WireSupport.body(r).get("payload");
			String command = preCommands.get(payload.get("tool_use_id").stringValue());
			assertThat(payload.get("tool_response").stringValue()).isEqualTo("out " + command);
		});
		assertThat(requests(wm, POST)).hasSize(calls);
	}

	/** A record-returning tool's output. */
	public record Customer(String name, String email) {
	}

	static final class ShellFailure extends Exception implements ToolFailureOutput {

		ShellFailure() {
			super("exit code 2");
		}

		@Override
		public String stdout() {
			return "compiling";
		}

		@Override
		public String stderr() {
			return "error: missing ;";
		}

		@Override
		public Object output() {
			return Map.of("exitCode", 2);
		}

	}

}
