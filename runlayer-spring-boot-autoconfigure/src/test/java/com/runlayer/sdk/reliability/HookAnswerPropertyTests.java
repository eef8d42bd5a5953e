package com.runlayer.sdk.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.hooks.HookResponses;
import com.runlayer.sdk.hooks.McpSourceDecision;
import com.runlayer.sdk.hooks.PostToolDecision;
import com.runlayer.sdk.hooks.PreToolDecision;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Property tests (jqwik on the JUnit Platform): any JSON value, and any byte sequence, given as a tool/pre, tool/post
 * or cursor-route answer maps to exactly the decision protocol sections 2.2, 2.3 and 2.4 (D11) define, computed here
 * by an independent oracle, and never to an exception. A smaller sample goes over the wire through
 * {@link RunlayerClient#runTool}: the outcome is an allow, a rewrite, a mask or a {@link RunlayerBlockedException},
 * and the tool runs exactly when tool/pre allowed.
 */
class HookAnswerPropertyTests {

	private static final JsonNodeFactory nodes = JsonNodeFactory.instance;

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final HookResponses responses = new HookResponses(mapper);

	private static final List<String> KEYS = List.of("permission", "blocked", "modified_args", "modified_output",
			"block_reason", "user_message", "reason", "block_state", "scan_results", "scan_action", "error",
			"agent_message");

	private static WireMockServer server;

	@BeforeContainer
	static void startServer() {
		server = new WireMockServer(wireMockConfig().dynamicPort());
		server.start();
	}

	@AfterContainer
	static void stopServer() {
		server.stop();
	}

	@Property(tries = 1500)
	void anyToolPreAnswerIsTheProtocolDecision(@ForAll("answers") JsonNode answer) {
		PreToolDecision decision = responses.preTool(bytes(answer));
		assertThat(decision).isEqualTo(expectedPre(answer));
		Statistics.collect(decision.getClass().getSimpleName()
				+ ((decision instanceof PreToolDecision.Allow allow && allow.rewritten()) ? "-rewrite" : ""));
		Statistics.coverage((coverage) -> {
			coverage.check("Allow").percentage((p) -> p > 1);
			coverage.check("Allow-rewrite").percentage((p) -> p > 1);
			coverage.check("Deny").percentage((p) -> p > 1);
			coverage.check("Invalid").percentage((p) -> p > 1);
		});
	}

	@Property(tries = 1500)
	void anyToolPostAnswerIsTheProtocolDecision(@ForAll("answers") JsonNode answer) {
		PostToolDecision decision = responses.postTool(bytes(answer));
		assertThat(decision).isEqualTo(expectedPost(answer));
		Statistics.collect(decision.getClass().getSimpleName());
		Statistics.coverage((coverage) -> {
			coverage.check("Pass").percentage((p) -> p > 1);
			coverage.check("Mask").percentage((p) -> p > 1);
			coverage.check("Block").percentage((p) -> p > 1);
			coverage.check("Invalid").percentage((p) -> p > 1);
		});
	}

	@Property(tries = 1000)
	void anyCursorRouteAnswerIsTheProtocolDecision(@ForAll("answers") JsonNode answer) {
		McpSourceDecision decision = responses.mcpSource(bytes(answer));
		assertThat(decision).isEqualTo(expectedMcp(answer));
	}

	@Property(tries = 1000)
	void anyByteSequenceIsEitherADecisionOrInvalidNeverAnException(@ForAll("garbage") byte[] body) {
		JsonNode parsed = tryParse(body);
		assertThat(responses.preTool(body)).isEqualTo(expectedPre(parsed));
		assertThat(responses.postTool(body)).isEqualTo(expectedPost(parsed));
		assertThat(responses.mcpSource(body)).isEqualTo(expectedMcp(parsed));
	}

	@Property(tries = 150)
	void anyAnswerPairThroughRunToolIsAllowRewriteMaskOrBlock(@ForAll("answers") JsonNode pre,
			@ForAll("answers") JsonNode postAnswer) {
		server.resetAll();
		server.stubFor(post("/api/v1/hooks/tool/pre").willReturn(okJson(pre.toString())));
		server.stubFor(post("/api/v1/hooks/tool/post").willReturn(okJson(postAnswer.toString())));
		PreToolDecision preDecision = expectedPre(pre);
		PostToolDecision postDecision = expectedPost(postAnswer);
		AtomicInteger runs = new AtomicInteger();
		AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
		Map<String, Object> input = Map.of("command", "ls");
		try (RunlayerClient client = RunlayerClient.builder()
			.baseUrl(server.baseUrl())
			.allowInsecureTransport(true)
			.apiKey(Secrets.API_KEY)
			.timeout(Duration.ofSeconds(2))
			.build()) {
			Object result;
			try {
				result = client.runTool(ToolCall.builder().sessionId("s1").toolName("Bash").toolInput(input).build(),
						(in) -> {
							runs.incrementAndGet();
							seen.set(in);
							return "raw output";
						});
			}
			catch (RunlayerBlockedException ex) {
				boolean preBlocks = !(preDecision instanceof PreToolDecision.Allow);
				boolean postBlocks = postDecision instanceof PostToolDecision.Block
						|| postDecision instanceof PostToolDecision.Invalid;
				assertThat(preBlocks || postBlocks).as("blocked without cause: " + ex).isTrue();
				assertThat(runs.get()).isEqualTo(preBlocks ? 0 : 1);
				assertThat(ex.stage()).isEqualTo(preBlocks ? EnforcementStage.PRE_TOOL : EnforcementStage.POST_TOOL);
				assertThat(ex.outage()).isEqualTo(preBlocks ? preDecision instanceof PreToolDecision.Invalid
						: postDecision instanceof PostToolDecision.Invalid);
				return;
			}
			catch (RuntimeException ex) {
				fail("runTool threw " + ex + " for pre " + pre + " and post " + postAnswer);
				return;
			}
			assertThat(preDecision).isInstanceOf(PreToolDecision.Allow.class);
			assertThat(runs.get()).isEqualTo(1);
			Map<String, Object> rewritten = ((PreToolDecision.Allow) preDecision).modifiedArgs();
			assertThat((JsonNode) mapper.valueToTree(seen.get()))
				.isEqualTo((JsonNode) mapper.valueToTree((rewritten != null) ? rewritten : input));
			if (postDecision instanceof PostToolDecision.Mask mask) {
				assertThat(result).isEqualTo(mask.modifiedOutput());
			}
			else {
				assertThat(postDecision).isInstanceOf(PostToolDecision.Pass.class);
				assertThat(result).isEqualTo("raw output");
			}
		}
	}

	// -------------------------------------------------------------------------------------------------------
	// The oracle: protocol sections 2.2, 2.3 and 2.4 written out independently of HookResponses.

	private static PreToolDecision expectedPre(JsonNode root) {
		if (root == null || !root.isObject()) {
			return new PreToolDecision.Invalid("tool/pre answer is not a JSON object");
		}
		JsonNode permission = root.get("permission");
		if (permission == null || !permission.isString()) {
			return new PreToolDecision.Invalid("tool/pre answer has no string 'permission'");
		}
		String value = permission.stringValue();
		if (value.equals("deny")) {
			String reason = firstText(root, "block_reason", "user_message", "reason");
			reason = (reason != null) ? reason : "Tool call denied by Runlayer policy";
			if ("scan_unavailable".equals(text(root.get("block_state")))) {
				reason = "Runlayer scanner unavailable: " + reason;
			}
			return new PreToolDecision.Deny(reason);
		}
		if (!value.equals("allow")) {
			return new PreToolDecision.Invalid("tool/pre answer has unknown permission '"
					+ ((value.length() > 64) ? value.substring(0, 64) + "…" : value) + "'");
		}
		JsonNode args = root.get("modified_args");
		if (args == null || args.isNull()) {
			return new PreToolDecision.Allow(null);
		}
		if (!args.isObject()) {
			return new PreToolDecision.Invalid("tool/pre 'modified_args' is not a JSON object");
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> map = mapper.convertValue(args, Map.class);
		return new PreToolDecision.Allow(map);
	}

	private static PostToolDecision expectedPost(JsonNode root) {
		if (root == null || !root.isObject()) {
			return new PostToolDecision.Invalid("tool/post answer is not a JSON object");
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
			if (reason == null && root.get("scan_results") != null && root.get("scan_results").isArray()) {
				for (JsonNode result : root.get("scan_results")) {
					if (result.isObject() && "block".equals(text(result.get("scan_action")))) {
						reason = firstText(result, "reason", "error");
						if (reason != null) {
							break;
						}
					}
				}
			}
			reason = (reason != null) ? reason : "Tool output blocked by Runlayer policy";
			if ("scan_unavailable".equals(text(root.get("block_state")))) {
				reason = "Runlayer scanner unavailable: " + reason;
			}
			return new PostToolDecision.Block(reason);
		}
		return (modified != null && modified.isString()) ? new PostToolDecision.Mask(modified.stringValue())
				: new PostToolDecision.Pass();
	}

	private static McpSourceDecision expectedMcp(JsonNode root) {
		if (root == null || !root.isObject()) {
			return new McpSourceDecision.Invalid("cursor route answer is not a JSON object");
		}
		if (!root.has("permission")) {
			return new McpSourceDecision.Invalid("cursor route answer has no 'permission'");
		}
		JsonNode permission = root.get("permission");
		if (permission.isNull() || (permission.isString() && permission.stringValue().equals("allow"))) {
			return new McpSourceDecision.Allow();
		}
		if (permission.isString() && permission.stringValue().equals("deny")) {
			String message = text(root.get("user_message"));
			return new McpSourceDecision.Deny((message != null) ? message : "MCP execution blocked by organization policy",
					text(root.get("agent_message")));
		}
		String shown = permission.isString() ? "'" + permission.stringValue() + "'" : permission.toString();
		return new McpSourceDecision.Invalid(
				"cursor route answer has unknown permission " + ((shown.length() > 64) ? shown.substring(0, 64) + "…" : shown));
	}

	private static String firstText(JsonNode node, String... fields) {
		for (String field : fields) {
			String value = text(node.get(field));
			if (value != null) {
				return value;
			}
		}
		return null;
	}

	private static String text(JsonNode node) {
		return (node != null && node.isString() && !node.stringValue().isBlank()) ? node.stringValue() : null;
	}

	private static JsonNode tryParse(byte[] body) {
		try {
			return (body.length == 0) ? null : mapper.readTree(body);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static byte[] bytes(JsonNode node) {
		return node.toString().getBytes(StandardCharsets.UTF_8);
	}

	// -------------------------------------------------------------------------------------------------------
	// Generators: arbitrary JSON, biased towards the protocol's keys and values so that every branch is hit.

	@Provide
	Arbitrary<JsonNode> answers() {
		return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, json(3)), net.jqwik.api.Tuple.of(3, protocolShaped()),
				net.jqwik.api.Tuple.of(2, wellFormed()));
	}

	/** Mostly valid answers (allow, rewrite, deny, pass, mask, block) with random extra keys. */
	private Arbitrary<JsonNode> wellFormed() {
		Arbitrary<JsonNode> pre = net.jqwik.api.Combinators
			.combine(Arbitraries.of("allow", "deny"), Arbitraries.oneOf(object(2), Arbitraries.just((JsonNode) null)),
					protocolShaped())
			.as((permission, args, extra) -> {
				ObjectNode o = ((ObjectNode) extra).deepCopy();
				o.put("permission", permission);
				o.remove("modified_args");
				if (args != null && args.isObject()) {
					o.set("modified_args", args);
				}
				return (JsonNode) o;
			});
		Arbitrary<JsonNode> post = net.jqwik.api.Combinators
			.combine(Arbitraries.of(true, false), Arbitraries.oneOf(strings(), Arbitraries.just((JsonNode) null)),
					protocolShaped())
			.as((blocked, output, extra) -> {
				ObjectNode o = ((ObjectNode) extra).deepCopy();
				o.put("blocked", blocked);
				o.remove("modified_output");
				if (output != null) {
					o.set("modified_output", output);
				}
				return (JsonNode) o;
			});
		return Arbitraries.oneOf(pre, post);
	}

	@Provide
	Arbitrary<byte[]> garbage() {
		Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
		Arbitrary<byte[]> truncated = answers().map((node) -> {
			byte[] full = bytes(node);
			return java.util.Arrays.copyOf(full, Math.max(0, full.length - 1 - (full.length / 3)));
		});
		return Arbitraries.oneOf(random, truncated);
	}

	private Arbitrary<JsonNode> protocolShaped() {
		Arbitrary<JsonNode> permission = Arbitraries.oneOf(
				Arbitraries.of("allow", "deny", "ask", "", "ALLOW", " allow").map(nodes::stringNode), json(1));
		Arbitrary<JsonNode> blocked = Arbitraries.oneOf(Arbitraries.of(true, false).map(nodes::booleanNode),
				Arbitraries.of("yes", "true", "false").map(nodes::stringNode), json(1));
		Arbitrary<JsonNode> modifiedArgs = Arbitraries.oneOf(json(2), Arbitraries.just((JsonNode) nodes.nullNode()),
				Arbitraries.just((JsonNode) nodes.stringNode("x")));
		Arbitrary<JsonNode> modifiedOutput = Arbitraries.oneOf(strings(), Arbitraries.just((JsonNode) nodes.nullNode()),
				json(1));
		Arbitrary<JsonNode> reason = Arbitraries.oneOf(strings(), Arbitraries.of("", "  ").map(nodes::stringNode), json(0));
		Arbitrary<JsonNode> blockState = Arbitraries.oneOf(Arbitraries.just((JsonNode) nodes.stringNode("scan_unavailable")),
				json(0));
		Arbitrary<JsonNode> scanResult = net.jqwik.api.Combinators
			.combine(Arbitraries.oneOf(Arbitraries.of("block", "allow").map(nodes::stringNode), json(0)), reason, reason)
			.as((action, r, e) -> {
				ObjectNode o = nodes.objectNode();
				o.set("scan_action", action);
				o.set("reason", r);
				o.set("error", e);
				return (JsonNode) o;
			});
		Arbitrary<JsonNode> scanResults = Arbitraries.oneOf(scanResult.list().ofMaxSize(3).map((list) -> {
			ArrayNode a = nodes.arrayNode();
			list.forEach(a::add);
			return (JsonNode) a;
		}), json(1));
		List<Arbitrary<JsonNode>> values = List.of(permission, blocked, modifiedArgs, modifiedOutput, reason, reason,
				reason, blockState, scanResults, reason, reason, reason);
		Arbitrary<List<Integer>> present = Arbitraries.integers().between(0, KEYS.size() - 1).list().ofMaxSize(6);
		return present.flatMap((keys) -> {
			List<Arbitrary<JsonNode>> chosen = new ArrayList<>();
			keys.forEach((k) -> chosen.add(values.get(k)));
			return net.jqwik.api.Combinators.combine(chosen).as((generated) -> {
				ObjectNode o = nodes.objectNode();
				for (int i = 0; i < keys.size(); i++) {
					o.set(KEYS.get(keys.get(i)), generated.get(i));
				}
				return (JsonNode) o;
			});
		});
	}

	private Arbitrary<JsonNode> strings() {
		return Arbitraries.strings().ofMaxLength(80).map((s) -> (JsonNode) nodes.stringNode(s));
	}

	private Arbitrary<JsonNode> json(int depth) {
		Arbitrary<JsonNode> leaf = Arbitraries.oneOf(strings(),
				Arbitraries.integers().map((i) -> (JsonNode) nodes.numberNode(i)),
				Arbitraries.doubles().map((d) -> (JsonNode) nodes.numberNode(d)),
				Arbitraries.of(true, false).map((b) -> (JsonNode) nodes.booleanNode(b)),
				Arbitraries.just((JsonNode) nodes.nullNode()));
		if (depth <= 0) {
			return leaf;
		}
		Arbitrary<JsonNode> array = json(depth - 1).list().ofMaxSize(4).map((list) -> {
			ArrayNode a = nodes.arrayNode();
			list.forEach(a::add);
			return (JsonNode) a;
		});
		return Arbitraries.oneOf(leaf, array, object(depth));
	}

	private Arbitrary<JsonNode> object(int depth) {
		Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(KEYS), Arbitraries.strings().ofMaxLength(10));
		return Arbitraries.maps(key, json(depth - 1)).ofMaxSize(4).map((map) -> {
			ObjectNode o = nodes.objectNode();
			map.forEach(o::set);
			return (JsonNode) o;
		});
	}

}
