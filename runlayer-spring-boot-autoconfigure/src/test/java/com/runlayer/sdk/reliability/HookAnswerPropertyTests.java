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
 * or cursor-route answer maps to the decision the wire protocol's answer tables define, and never to an exception.
 * The oracle is written as those tables (ordered rules: a condition on the answer, then the outcome), and it compares
 * outcomes (the decision kind, the rewritten arguments, the mask, the policy reason when the answer gives one), never
 * {@code HookResponses}' own wording. All log events are captured at TRACE and scanned for secrets. A smaller sample goes over the wire through
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

	private static final LogCapture logs = LogCapture.exceptJdkHttpClientDebugTracing();

	@BeforeContainer
	static void startServer() {
		logs.start();
		server = new WireMockServer(wireMockConfig().dynamicPort());
		server.start();
	}

	@AfterContainer
	static void stopServer() {
		server.stop();
		logs.stop("HookAnswerPropertyTests");
	}

	@Property(tries = 1500)
	void anyToolPreAnswerIsTheProtocolDecision(@ForAll("answers") JsonNode answer) {
		PreToolDecision decision = responses.preTool(bytes(answer));
		assertMatches(Outcome.of(decision), PRE_TABLE, answer);
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
		assertMatches(Outcome.of(decision), POST_TABLE, answer);
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
		assertMatches(Outcome.of(decision), CURSOR_TABLE, answer);
		Statistics.collect(decision.getClass().getSimpleName());
		Statistics.coverage((coverage) -> {
			coverage.check("Allow").percentage((p) -> p > 1);
			coverage.check("Deny").percentage((p) -> p > 1);
			coverage.check("Invalid").percentage((p) -> p > 1);
		});
	}

	@Property(tries = 1000)
	void anyByteSequenceIsEitherADecisionOrInvalidNeverAnException(@ForAll("garbage") byte[] body) {
		JsonNode parsed = tryParse(body);
		assertMatches(Outcome.of(responses.preTool(body)), PRE_TABLE, parsed);
		assertMatches(Outcome.of(responses.postTool(body)), POST_TABLE, parsed);
		assertMatches(Outcome.of(responses.mcpSource(body)), CURSOR_TABLE, parsed);
	}

	@Property(tries = 150)
	void anyAnswerPairThroughRunToolIsAllowRewriteMaskOrBlock(@ForAll("answers") JsonNode pre,
			@ForAll("answers") JsonNode postAnswer) {
		server.resetAll();
		server.stubFor(post("/api/v1/hooks/tool/pre").willReturn(okJson(pre.toString())));
		server.stubFor(post("/api/v1/hooks/tool/post").willReturn(okJson(postAnswer.toString())));
		Outcome preOutcome = decide(PRE_TABLE, pre);
		Outcome postOutcome = decide(POST_TABLE, postAnswer);
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
				boolean preBlocks = preOutcome.kind() == Kind.DENY || preOutcome.kind() == Kind.INVALID;
				boolean postBlocks = postOutcome.kind() == Kind.BLOCK || postOutcome.kind() == Kind.INVALID;
				assertThat(preBlocks || postBlocks).as("blocked without cause: " + ex).isTrue();
				assertThat(runs.get()).isEqualTo(preBlocks ? 0 : 1);
				assertThat(ex.stage()).isEqualTo(preBlocks ? EnforcementStage.PRE_TOOL : EnforcementStage.POST_TOOL);
				assertThat(ex.outage())
					.isEqualTo((preBlocks ? preOutcome.kind() : postOutcome.kind()) == Kind.INVALID);
				return;
			}
			catch (RuntimeException ex) {
				fail("runTool threw " + ex + " for pre " + pre + " and post " + postAnswer);
				return;
			}
			assertThat(preOutcome.kind()).isIn(Kind.ALLOW, Kind.REWRITE);
			assertThat(runs.get()).isEqualTo(1);
			assertThat((JsonNode) mapper.valueToTree(seen.get())).isEqualTo((preOutcome.kind() == Kind.REWRITE)
					? preOutcome.args() : (JsonNode) mapper.valueToTree(input));
			if (postOutcome.kind() == Kind.MASK) {
				assertThat(result).isEqualTo(postOutcome.text());
			}
			else {
				assertThat(postOutcome.kind()).isEqualTo(Kind.PASS);
				assertThat(result).isEqualTo("raw output");
			}
		}
	}

	// -------------------------------------------------------------------------------------------------------
	// The oracle: the answer tables of the wire protocol, as ordered rules (first matching condition wins). It knows
	// nothing of HookResponses: it says which decision an answer means and what it carries, not how we word it.

	enum Kind {

		ALLOW, REWRITE, DENY, PASS, MASK, BLOCK, INVALID

	}

	/**
	 * A decision as the protocol sees it.
	 * @param kind the decision
	 * @param text the deny or block reason the answer gave (null: the client picks a default), or the mask
	 * @param args the rewritten arguments
	 * @param scannerUnavailable whether the answer says the scanner was unavailable
	 * @param agentMessage the cursor route's message for the model
	 */
	record Outcome(Kind kind, String text, JsonNode args, boolean scannerUnavailable, String agentMessage) {

		static Outcome of(Kind kind) {
			return new Outcome(kind, null, null, false, null);
		}

		static Outcome of(PreToolDecision decision) {
			if (decision instanceof PreToolDecision.Deny deny) {
				return new Outcome(Kind.DENY, deny.reason(), null, false, null);
			}
			if (decision instanceof PreToolDecision.Allow allow) {
				return allow.rewritten() ? new Outcome(Kind.REWRITE, null, mapper.valueToTree(allow.modifiedArgs()),
						false, null) : of(Kind.ALLOW);
			}
			return of(Kind.INVALID);
		}

		static Outcome of(PostToolDecision decision) {
			if (decision instanceof PostToolDecision.Block block) {
				return new Outcome(Kind.BLOCK, block.reason(), null, false, null);
			}
			if (decision instanceof PostToolDecision.Mask mask) {
				return new Outcome(Kind.MASK, mask.modifiedOutput(), null, false, null);
			}
			return (decision instanceof PostToolDecision.Pass) ? of(Kind.PASS) : of(Kind.INVALID);
		}

		static Outcome of(McpSourceDecision decision) {
			if (decision instanceof McpSourceDecision.Deny deny) {
				return new Outcome(Kind.DENY, deny.userMessage(), null, false, deny.agentMessage());
			}
			return (decision instanceof McpSourceDecision.Allow) ? of(Kind.ALLOW) : of(Kind.INVALID);
		}

	}

	/** One row of an answer table. */
	record Rule(String when, java.util.function.Predicate<JsonNode> condition,
			java.util.function.Function<JsonNode, Outcome> outcome) {
	}

	private static Rule rule(String when, java.util.function.Predicate<JsonNode> condition,
			java.util.function.Function<JsonNode, Outcome> outcome) {
		return new Rule(when, condition, outcome);
	}

	/** tool/pre: {@code permission} is required and must be "allow" or "deny"; {@code modified_args} an object. */
	static final List<Rule> PRE_TABLE = List.of(
			rule("not a JSON object", (a) -> a == null || !a.isObject(), (a) -> Outcome.of(Kind.INVALID)),
			rule("permission missing or not a string", (a) -> !isText(a.get("permission")),
					(a) -> Outcome.of(Kind.INVALID)),
			rule("permission deny", (a) -> "deny".equals(a.get("permission").stringValue()),
					(a) -> new Outcome(Kind.DENY, firstText(a, "block_reason", "user_message", "reason"), null,
							"scan_unavailable".equals(text(a.get("block_state"))), null)),
			rule("permission other than allow", (a) -> !"allow".equals(a.get("permission").stringValue()),
					(a) -> Outcome.of(Kind.INVALID)),
			rule("allow without modified_args", (a) -> a.get("modified_args") == null || a.get("modified_args").isNull(),
					(a) -> Outcome.of(Kind.ALLOW)),
			rule("modified_args not an object", (a) -> !a.get("modified_args").isObject(),
					(a) -> Outcome.of(Kind.INVALID)),
			rule("allow with modified_args", (a) -> true,
					(a) -> new Outcome(Kind.REWRITE, null, a.get("modified_args"), false, null)));

	/** tool/post: {@code blocked} is a required boolean; {@code modified_output} a string or null. */
	static final List<Rule> POST_TABLE = List.of(
			rule("not a JSON object", (a) -> a == null || !a.isObject(), (a) -> Outcome.of(Kind.INVALID)),
			rule("blocked missing or not a boolean", (a) -> a.get("blocked") == null || !a.get("blocked").isBoolean(),
					(a) -> Outcome.of(Kind.INVALID)),
			rule("modified_output neither a string nor null",
					(a) -> a.get("modified_output") != null && !a.get("modified_output").isNull()
							&& !a.get("modified_output").isString(),
					(a) -> Outcome.of(Kind.INVALID)),
			rule("blocked", (a) -> a.get("blocked").booleanValue(),
					(a) -> new Outcome(Kind.BLOCK, blockReason(a), null,
							"scan_unavailable".equals(text(a.get("block_state"))), null)),
			rule("not blocked, with a mask", (a) -> a.get("modified_output") != null && a.get("modified_output").isString(),
					(a) -> new Outcome(Kind.MASK, a.get("modified_output").stringValue(), null, false, null)),
			rule("not blocked", (a) -> true, (a) -> Outcome.of(Kind.PASS)));

	/** Cursor route: the {@code permission} key is required; "deny" blocks, null or "allow" allows. */
	static final List<Rule> CURSOR_TABLE = List.of(
			rule("not a JSON object", (a) -> a == null || !a.isObject(), (a) -> Outcome.of(Kind.INVALID)),
			rule("permission key missing", (a) -> !a.has("permission"), (a) -> Outcome.of(Kind.INVALID)),
			rule("permission null or allow",
					(a) -> a.get("permission").isNull() || "allow".equals(text(a.get("permission"))),
					(a) -> Outcome.of(Kind.ALLOW)),
			rule("permission deny", (a) -> isText(a.get("permission")) && "deny".equals(a.get("permission").stringValue()),
					(a) -> new Outcome(Kind.DENY, text(a.get("user_message")), null, false, text(a.get("agent_message")))),
			rule("any other permission", (a) -> true, (a) -> Outcome.of(Kind.INVALID)));

	static Outcome decide(List<Rule> table, JsonNode answer) {
		for (Rule rule : table) {
			if (rule.condition().test(answer)) {
				return rule.outcome().apply(answer);
			}
		}
		throw new IllegalStateException("the table has no rule for " + answer);
	}

	/**
	 * The client's decision matches the table's: same kind, same arguments and mask; a reason the answer gave is
	 * shown (with a scanner-unavailable note when the answer says so), and without one the client gives a reason of
	 * its own.
	 */
	private static void assertMatches(Outcome actual, List<Rule> table, JsonNode answer) {
		Outcome expected = decide(table, answer);
		String row = table.stream().filter((r) -> r.condition().test(answer)).findFirst().map(Rule::when).orElse("?");
		assertThat(actual.kind()).as("decision for %s (row: %s)", answer, row).isEqualTo(expected.kind());
		switch (expected.kind()) {
			case REWRITE -> assertThat(actual.args()).as("rewritten arguments").isEqualTo(expected.args());
			case MASK -> assertThat(actual.text()).as("mask").isEqualTo(expected.text());
			case DENY, BLOCK -> {
				assertThat(actual.text()).as("reason").isNotBlank();
				if (expected.text() != null) {
					assertThat(actual.text()).as("reason").contains(expected.text());
				}
				if (expected.scannerUnavailable()) {
					assertThat(actual.text().toLowerCase(java.util.Locale.ROOT)).contains("scanner unavailable");
				}
				assertThat(actual.agentMessage()).isEqualTo(expected.agentMessage());
			}
			default -> {
			}
		}
	}

	private static String blockReason(JsonNode answer) {
		String reason = text(answer.get("block_reason"));
		JsonNode results = answer.get("scan_results");
		if (reason == null && results != null && results.isArray()) {
			for (JsonNode result : results) {
				if (result.isObject() && "block".equals(text(result.get("scan_action")))) {
					reason = firstText(result, "reason", "error");
					if (reason != null) {
						break;
					}
				}
			}
		}
		return reason;
	}

	private static boolean isText(JsonNode node) {
		return node != null && node.isString();
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
