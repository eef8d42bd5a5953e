package com.runlayer.sdk.claude;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.RunlayerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Claude hook map: Claude hook inputs in, Claude hook outputs out, the Runlayer calls in between on the wire.
 */
class ClaudeHooksTests {

	static final String PRE = "/api/v1/hooks/tool/pre";

	static final String POST = "/api/v1/hooks/tool/post";

	static final String EVENTS = "/api/v1/hooks/events";

	private static final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private RunlayerClient client() {
		return RunlayerClient.builder().baseUrl(wm.baseUrl()).allowInsecureTransport(true).apiKey("rl_k").build();
	}

	static Map<String, Object> pre(String command) {
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("session_id", "s1");
		input.put("transcript_path", "/tmp/t.jsonl");
		input.put("cwd", "/work/repo");
		input.put("permission_mode", "default");
		input.put("hook_event_name", "PreToolUse");
		input.put("tool_name", "Bash");
		input.put("tool_input", Map.of("command", command));
		input.put("tool_use_id", "toolu_01");
		return input;
	}

	static Map<String, Object> postInput(Object response) {
		Map<String, Object> input = pre("cat .env");
		input.put("hook_event_name", "PostToolUse");
		input.put("tool_response", response);
		return input;
	}

	private static JsonNode only(String path) {
		var found = wm.findAll(postRequestedFor(urlEqualTo(path)));
		assertThat(found).hasSize(1);
		return json.readTree(found.get(0).getBodyAsString());
	}

	@Test
	void anAllowedPreToolUseAnswersNothingAndSendsTheCall() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		try (RunlayerClient client = client()) {
			assertThat(ClaudeHooks.create(client).handle(pre("ls"))).isEmpty();
		}
		JsonNode payload = only(PRE).get("payload");
		assertThat(payload.get("tool_use_id").stringValue()).isEqualTo("toolu_01");
		assertThat(payload.get("cwd").stringValue()).isEqualTo("/work/repo");
		assertThat(payload.get("tool_input").get("command").stringValue()).isEqualTo("ls");
	}

	@Test
	void theCommonClaudeInputFieldsTravelInEveryToolPayload() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		Map<String, Object> pre = pre("ls");
		pre.put("agent_id", "agent-7");
		pre.put("effort", "high");
		Map<String, Object> post = postInput("README.md");
		Map<String, Object> failure = pre("make");
		failure.put("hook_event_name", "PostToolUseFailure");
		failure.put("error", "exit code 2");
		try (RunlayerClient client = client()) {
			ClaudeHooks hooks = ClaudeHooks.create(client);
			hooks.handle(pre);
			hooks.handle(post);
			hooks.handle(failure);
		}
		JsonNode prePayload = only(PRE).get("payload");
		assertThat(prePayload.get("transcript_path").stringValue()).isEqualTo("/tmp/t.jsonl");
		assertThat(prePayload.get("permission_mode").stringValue()).isEqualTo("default");
		assertThat(prePayload.get("cwd").stringValue()).isEqualTo("/work/repo");
		assertThat(prePayload.get("agent_id").stringValue()).isEqualTo("agent-7");
		assertThat(prePayload.get("effort").stringValue()).isEqualTo("high");
		assertThat(prePayload.get("hook_event_name").stringValue()).isEqualTo("PreToolUse");
		var posts = wm.findAll(postRequestedFor(urlEqualTo(POST)));
		assertThat(posts).hasSize(2);
		for (var request : posts) {
			JsonNode payload = json.readTree(request.getBodyAsString()).get("payload");
			assertThat(payload.get("transcript_path").stringValue()).isEqualTo("/tmp/t.jsonl");
			assertThat(payload.get("permission_mode").stringValue()).isEqualTo("default");
			assertThat(payload.get("cwd").stringValue()).isEqualTo("/work/repo");
		}
	}

	@Test
	void hookInputFieldsNeverReplaceWhatTheSdkSendsAndAreCappedLikeOutput() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		Map<String, Object> pre = pre("ls");
		pre.put("truncation", "forged");
		pre.put("tool_type", "forged");
		pre.put("client_version", "forged");
		pre.put("agent_type", "x".repeat(70_000));
		try (RunlayerClient client = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey("rl_k")
			.clientVersion("agent/1.0")
			.build()) {
			ClaudeHooks.create(client).handle(pre);
		}
		JsonNode payload = only(PRE).get("payload");
		assertThat(payload.get("client_version").stringValue()).isEqualTo("agent/1.0");
		assertThat(payload.has("tool_type")).isFalse();
		assertThat(payload.get("tool_name").stringValue()).isEqualTo("Bash");
		assertThat(payload.get("agent_type").stringValue()).hasSizeLessThan(65_536)
			.endsWith("[truncated by Runlayer SDK: 70000 bytes total]");
		assertThat(payload.get("truncation").get("agent_type").get("original_bytes").asLong()).isEqualTo(70_000);
	}

	@Test
	void aDenyIsAPermissionDecisionWithTheReason() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"no secrets\"}")));
		try (RunlayerClient client = client()) {
			assertThat(ClaudeHooks.create(client).handle(pre("cat .env"))).isEqualTo(Map.of("hookSpecificOutput",
					Map.of("hookEventName", "PreToolUse", "permissionDecision", "deny", "permissionDecisionReason",
							"no secrets")));
		}
	}

	@Test
	void aRewriteIsAnAllowWithTheUpdatedInput() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\",\"modified_args\":{\"command\":\"ls -a\"}}")));
		try (RunlayerClient client = client()) {
			assertThat(ClaudeHooks.create(client).handle(pre("ls"))).isEqualTo(Map.of("hookSpecificOutput",
					Map.of("hookEventName", "PreToolUse", "permissionDecision", "allow", "updatedInput",
							Map.of("command", "ls -a"))));
		}
	}

	@Test
	void anOutageInClosedModeIsADeny() {
		wm.stubFor(post(PRE).willReturn(aResponse().withStatus(503)));
		try (RunlayerClient client = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey("rl_k")
			.maxRetries(0)
			.build()) {
			Map<String, Object> out = ClaudeHooks.create(client).handle(pre("ls"));
			assertThat(out).extractingByKey("hookSpecificOutput")
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("permissionDecision", "deny");
		}
	}

	@Test
	void aBlockedOutputIsABlockDecisionWithAReplacementOfTheSameShape() {
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":true,\"block_reason\":\"secret in output\"}")));
		Map<String, Object> bash = Map.of("stdout", "KEY=abc", "stderr", "", "interrupted", false, "isImage", false);
		try (RunlayerClient client = client()) {
			Map<String, Object> out = ClaudeHooks.create(client).handle(postInput(bash));
			assertThat(out).containsEntry("decision", "block").containsEntry("reason", "secret in output");
			@SuppressWarnings("unchecked")
			Map<String, Object> specific = (Map<String, Object>) out.get("hookSpecificOutput");
			assertThat(specific).containsEntry("hookEventName", "PostToolUse");
			assertThat(specific.get("updatedToolOutput")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("stderr", "")
				.extractingByKey("stdout")
				.asString()
				.contains("secret in output")
				.doesNotContain("KEY=abc");
		}
		JsonNode payload = only(POST).get("payload");
		assertThat(payload.get("tool_response").get("stdout").stringValue()).isEqualTo("KEY=abc");
		assertThat(payload.get("tool_use_id").stringValue()).isEqualTo("toolu_01");
		assertThat(wm.findAll(postRequestedFor(urlEqualTo(PRE)))).as("no second pre-tool call").isEmpty();
	}

	@Test
	void aMaskedOutputIsTheUpdatedToolOutput() {
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false,\"modified_output\":\"KEY=***\"}")));
		try (RunlayerClient client = client()) {
			assertThat(ClaudeHooks.create(client).handle(postInput("KEY=abc"))).isEqualTo(Map.of("hookSpecificOutput",
					Map.of("hookEventName", "PostToolUse", "updatedToolOutput", "KEY=***")));
		}
	}

	@Test
	void aMaskOfAStructuredOutputKeepsItsShape() {
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false,\"modified_output\":\"KEY=***\"}")));
		Map<String, Object> bash = Map.of("stdout", "KEY=abc", "stderr", "", "interrupted", false, "isImage", false);
		List<Object> blocks = List.of(Map.of("type", "text", "text", "KEY=abc"));
		try (RunlayerClient client = client()) {
			ClaudeHooks hooks = ClaudeHooks.create(client);
			assertThat(hooks.handle(postInput(bash))).isEqualTo(Map.of("hookSpecificOutput", Map.of("hookEventName",
					"PostToolUse", "updatedToolOutput",
					Map.of("stdout", "KEY=***", "stderr", "", "interrupted", false, "isImage", false))));
			assertThat(hooks.handle(postInput(blocks))).isEqualTo(Map.of("hookSpecificOutput", Map.of("hookEventName",
					"PostToolUse", "updatedToolOutput", List.of(Map.of("type", "text", "text", "KEY=***")))));
		}
	}

	@Test
	void aFailureIsReportedAndAnswersNothing() {
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		Map<String, Object> input = pre("make");
		input.put("hook_event_name", "PostToolUseFailure");
		input.put("error", "exit code 2");
		input.put("is_interrupt", false);
		try (RunlayerClient client = client()) {
			assertThat(ClaudeHooks.create(client).handle(input)).isEmpty();
		}
		JsonNode body = only(POST);
		assertThat(body.get("event_name").stringValue()).isEqualTo("PostToolUseFailure");
		assertThat(body.get("payload").get("error").stringValue()).isEqualTo("exit code 2");
		assertThat(body.get("payload").has("stdout")).isFalse();
	}

	@Test
	void aFailureReportThatCannotBeMadeNeverBreaksTheHost() {
		Map<String, Object> input = pre("make");
		input.remove("session_id");
		input.put("hook_event_name", "PostToolUseFailure");
		input.put("error", "exit code 2");
		try (RunlayerClient client = client()) {
			assertThat(ClaudeHooks.create(client).handle(input)).isEmpty();
		}
		assertThat(wm.getAllServeEvents()).isEmpty();
	}

	@Test
	void aHookCommandWithoutAClientBlocksToolsAndLetsOtherEventsGoOn() {
		java.util.function.Supplier<RunlayerClient> broken = () -> {
			throw new com.runlayer.sdk.RunlayerException("RUNLAYER_BASE_URL is not set");
		};
		Map<String, Object> bash = Map.of("stdout", "KEY=abc", "stderr", "", "interrupted", false, "isImage", false);
		var out = new java.io.ByteArrayOutputStream();
		var err = new java.io.ByteArrayOutputStream();
		int exit = ClaudeHooks.runCommand(broken, new java.io.ByteArrayInputStream(json.writeValueAsBytes(postInput(bash))),
				out, new java.io.PrintStream(err, true));
		assertThat(exit).isZero();
		JsonNode blocked = json.readTree(out.toByteArray());
		assertThat(blocked.get("decision").stringValue()).isEqualTo("block");
		assertThat(blocked.get("reason").stringValue()).contains("RUNLAYER_BASE_URL");
		JsonNode replaced = blocked.get("hookSpecificOutput").get("updatedToolOutput");
		assertThat(replaced.get("stdout").stringValue()).doesNotContain("KEY=abc");
		assertThat(err.toString()).contains("RUNLAYER_BASE_URL");
		out.reset();
		Map<String, Object> prompt = Map.of("session_id", "s1", "hook_event_name", "UserPromptSubmit", "prompt", "hi");
		assertThat(ClaudeHooks.runCommand(broken, new java.io.ByteArrayInputStream(json.writeValueAsBytes(prompt)), out,
				new java.io.PrintStream(err, true))).isEqualTo(1);
		assertThat(out.size()).isZero();
	}

	@Test
	void promptAndStopAreEventsAndStopCanBeLeftOut() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		Map<String, Object> prompt = Map.of("session_id", "s1", "hook_event_name", "UserPromptSubmit", "prompt", "hi",
				"cwd", "/w");
		Map<String, Object> stop = Map.of("session_id", "s1", "hook_event_name", "Stop", "stop_hook_active", false);
		try (RunlayerClient client = client()) {
			ClaudeHooks all = ClaudeHooks.create(client);
			assertThat(all.hooks()).containsOnlyKeys("UserPromptSubmit", "PreToolUse", "PostToolUse",
					"PostToolUseFailure", "Stop");
			all.handle(prompt);
			all.handle(stop);
			for (ClaudeHooks noStop : List.of(ClaudeHooks.builder(client).includeStop(false).build(),
					ClaudeHooks.create(client, Map.of("includeStop", false)),
					ClaudeHooks.create(client, Map.of("include_stop", false)))) {
				assertThat(noStop.includeStop()).isFalse();
				assertThat(noStop.hooks()).doesNotContainKey("Stop");
				assertThat(noStop.handle(stop)).isEmpty();
			}
		}
		var sent = wm.findAll(postRequestedFor(urlEqualTo(EVENTS)));
		assertThat(sent).extracting((r) -> json.readTree(r.getBodyAsString()).get("event_name").stringValue())
			.containsExactly("UserPromptSubmit", "Stop");
		JsonNode first = json.readTree(sent.get(0).getBodyAsString()).get("payload");
		assertThat(first.get("prompt").stringValue()).isEqualTo("hi");
		assertThat(first.get("cwd").stringValue()).isEqualTo("/w");
	}

	@Test
	void theIncludeStopOptionTakesBooleansAndRefusesAnythingElseNamingTheOption() {
		try (RunlayerClient client = client()) {
			assertThat(ClaudeHooks.create(client, Map.of("include_stop", "false")).includeStop()).isFalse();
			assertThat(ClaudeHooks.create(client, Map.of("includeStop", true)).includeStop()).isTrue();
			assertThat(ClaudeHooks.create(client, Map.of()).includeStop()).isTrue();
			assertThat(ClaudeHooks.create(client, null).includeStop()).isTrue();
			org.assertj.core.api.Assertions
				.assertThatIllegalArgumentException()
				.isThrownBy(() -> ClaudeHooks.create(client, Map.of("include_stop", "no")))
				.withMessageContaining("include_stop");
			org.assertj.core.api.Assertions
				.assertThatIllegalArgumentException()
				.isThrownBy(() -> ClaudeHooks.create(client, Map.of("includeStop", 0)))
				.withMessageContaining("includeStop");
		}
	}

	@Test
	void eachHandlerOfTheMapHandlesItsOwnEventEvenWithoutHookEventName() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"no\"}")));
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		Map<String, Object> pre = pre("ls");
		pre.remove("hook_event_name");
		Map<String, Object> prompt = new LinkedHashMap<>(Map.of("session_id", "s1", "prompt", "hi"));
		try (RunlayerClient client = client()) {
			var hooks = ClaudeHooks.create(client).hooks();
			assertThat(hooks.get("PreToolUse").apply(pre)).extractingByKey("hookSpecificOutput")
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("permissionDecision", "deny");
			assertThat(hooks.get("UserPromptSubmit").apply(prompt)).isEmpty();
		}
		assertThat(only(PRE).get("payload").get("hook_event_name").stringValue()).isEqualTo("PreToolUse");
		JsonNode event = only(EVENTS);
		assertThat(event.get("event_name").stringValue()).isEqualTo("UserPromptSubmit");
		assertThat(event.get("payload").get("prompt").stringValue()).isEqualTo("hi");
	}

	@Test
	void anAssistantMessageBecomesALineWithoutASessionIdToo() {
		JsonNode parsed = json.readTree(ClaudeHooks.assistantMessageToTranscriptLine(Map.of("id", "msg_1", "model",
				"claude-sonnet-4-6", "content", List.of(Map.of("type", "thinking", "thinking", "hm")))));
		assertThat(parsed.get("type").stringValue()).isEqualTo("assistant");
		assertThat(parsed.has("session_id")).isFalse();
		assertThat(parsed.get("timestamp").stringValue()).isNotBlank();
		assertThat(parsed.get("message").get("role").stringValue()).isEqualTo("assistant");
		assertThat(parsed.get("message").get("id").stringValue()).isEqualTo("msg_1");
	}

	@Test
	void assistantMessagesBecomeTranscriptLinesOfATranscriptStop() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		Map<String, Object> message = Map.of("id", "msg_1", "model", "claude-sonnet-4-6", "content",
				List.of(Map.of("type", "thinking", "thinking", "let me look"), Map.of("type", "text", "text", "done")),
				"usage", Map.of("input_tokens", 10, "output_tokens", 5));
		String line = ClaudeHooks.assistantMessageToTranscriptLine(message, "s1");
		JsonNode parsed = json.readTree(line);
		assertThat(parsed.get("type").stringValue()).isEqualTo("assistant");
		assertThat(parsed.get("session_id").stringValue()).isEqualTo("s1");
		assertThat(parsed.get("message").get("role").stringValue()).isEqualTo("assistant");
		assertThat(parsed.get("message").get("content").get(0).get("thinking").stringValue()).isEqualTo("let me look");
		assertThat(line).doesNotContain("\n");
		try (RunlayerClient client = client()) {
			ClaudeHooks.emitTranscriptStop(client, "claude-sonnet-4-6", "s1", List.of(line));
		}
		JsonNode stop = only(EVENTS);
		assertThat(stop.get("event_name").stringValue()).isEqualTo("Stop");
		assertThat(stop.get("transcript").stringValue()).isEqualTo(line + "\n");
	}

}
