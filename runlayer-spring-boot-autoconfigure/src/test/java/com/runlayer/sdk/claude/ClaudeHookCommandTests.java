package com.runlayer.sdk.claude;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented Claude Code hook command, run as Claude Code runs it: a separate JVM with the hook input on standard
 * input and the Runlayer settings in its environment, its answer read from standard output.
 */
class ClaudeHookCommandTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private static JsonNode runHook(Map<String, Object> input) throws Exception {
		return runHook(json.writeValueAsBytes(input), true, 0);
	}

	private static JsonNode runHook(byte[] input, boolean configured, int exitCode) throws Exception {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				RunlayerClaudeHook.class.getName());
		builder.environment().keySet().removeIf((name) -> name.startsWith("RUNLAYER_"));
		builder.environment().put("RUNLAYER_BASE_URL", wm.baseUrl());
		if (configured) {
			builder.environment().put("RUNLAYER_API_KEY", "rl_hook_key");
		}
		builder.environment().put("RUNLAYER_ALLOW_INSECURE_TRANSPORT", "1");
		builder.redirectError(ProcessBuilder.Redirect.DISCARD);
		Process process = builder.start();
		process.getOutputStream().write(input);
		process.getOutputStream().close();
		byte[] out = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).isEqualTo(exitCode);
		return (exitCode == 0) ? json.readTree(new String(out, StandardCharsets.UTF_8)) : null;
	}

	@Test
	void aHookCommandThatCannotReachRunlayerDeniesThePreToolUseInsteadOfCrashing() throws Exception {
		// no credentials: the client cannot be built; a crash (exit 1) would let Claude run the tool unenforced
		JsonNode denied = runHook(json.writeValueAsBytes(ClaudeHooksTests.pre("ls")), false, 0);
		assertThat(denied.get("hookSpecificOutput").get("permissionDecision").stringValue()).isEqualTo("deny");
		assertThat(denied.get("hookSpecificOutput").get("permissionDecisionReason").stringValue())
			.contains("RUNLAYER_API_KEY");
		// input that is not a hook input at all: exit code 2, Claude's blocking error
		runHook("not json".getBytes(StandardCharsets.UTF_8), true, 2);
		assertThat(wm.getAllServeEvents()).isEmpty();
	}

	@Test
	void theHookCommandDeniesRewritesAndReportsEndToEnd() throws Exception {
		wm.stubFor(post(ClaudeHooksTests.PRE).willReturn(okJson(
				"{\"permission\":\"deny\",\"block_reason\":\"no secrets\",\"agent_message\":\"Do not read .env\"}")));
		JsonNode denied = runHook(ClaudeHooksTests.pre("cat .env"));
		assertThat(denied.get("hookSpecificOutput").get("permissionDecision").stringValue()).isEqualTo("deny");
		assertThat(denied.get("hookSpecificOutput").get("permissionDecisionReason").stringValue())
			.isEqualTo("Do not read .env");
		JsonNode sent = json.readTree(wm.findAll(postRequestedFor(urlEqualTo(ClaudeHooksTests.PRE))).get(0)
			.getBodyAsString());
		assertThat(sent.get("payload").get("client_version").stringValue()).isEqualTo("my-hooks/1.0");
		assertThat(wm.findAll(postRequestedFor(urlEqualTo(ClaudeHooksTests.PRE))).get(0).getHeader("x-runlayer-api-key"))
			.isEqualTo("rl_hook_key");

		wm.stubFor(post(ClaudeHooksTests.EVENTS).willReturn(okJson("{}")));
		JsonNode prompt = runHook(Map.of("session_id", "s1", "hook_event_name", "UserPromptSubmit", "prompt", "hi"));
		assertThat(prompt.isObject() && prompt.isEmpty()).isTrue();
		// the best-effort event was flushed before the process exited
		List<?> events = wm.findAll(postRequestedFor(urlEqualTo(ClaudeHooksTests.EVENTS)));
		assertThat(events).hasSize(1);
	}

}
