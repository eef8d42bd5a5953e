package com.runlayer.spring.test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import com.runlayer.spring.test.ScriptBook.Reply;
import com.runlayer.spring.test.ScriptBook.Rule;
import tools.jackson.databind.node.ObjectNode;

/**
 * How the {@link RunlayerTestServer} answers tool/pre calls of one tool (or of any tool). Each answer method adds an
 * answer; answers are used in order and the last one keeps answering:
 *
 * <pre class="code">
 * runlayer.onPreTool("run_command").deny("No shell in tests");                  // always
 * runlayer.onPreTool("read_file").when((input) -&gt; "../a.txt".equals(input.get("path")))
 *     .rewrite(Map.of("path", "sandbox/a.txt"));                               // only for that input
 * runlayer.onPreTool("lookup").outage(Outage.status(503)).then().allow();       // first call fails, then allow
 * </pre>
 *
 * The newest rule that matches a call answers it; without one, the call is allowed.
 */
public final class PreToolScript {

	private final Rule rule;

	PreToolScript(Rule rule) {
		this.rule = rule;
	}

	/**
	 * Applies this rule only to calls whose tool input matches.
	 * @param input a predicate on the tool input (plain Java values: maps, lists, strings, numbers, booleans)
	 * @return this script
	 */
	public PreToolScript when(Predicate<Map<String, Object>> input) {
		Objects.requireNonNull(input, "input");
		this.rule.when((request) -> input.test(request.toolInput()));
		return this;
	}

	/**
	 * Applies this rule only to calls made for one end user: the subject of the call's on-behalf-of token (see
	 * {@link RecordedRequest#subject()}).
	 * @param subject the subject, e.g. {@code alice@example.com}
	 * @return this script
	 */
	public PreToolScript forSubject(String subject) {
		Objects.requireNonNull(subject, "subject");
		this.rule.when((request) -> subject.equals(request.subject()));
		return this;
	}

	/**
	 * Allows the call unchanged.
	 * @return this script
	 */
	public PreToolScript allow() {
		this.rule.answer((request) -> Reply.json(ScriptBook.object().put("permission", "allow")));
		return this;
	}

	/**
	 * Denies the call.
	 * @param reason the reason ({@code block_reason}); the SDK's exception and the model feedback quote it
	 * @return this script
	 */
	public PreToolScript deny(String reason) {
		Objects.requireNonNull(reason, "reason");
		this.rule.answer((request) -> Reply
			.json(ScriptBook.object().put("permission", "deny").put("block_reason", reason)));
		return this;
	}

	/**
	 * Allows the call with new arguments, which replace the whole tool input.
	 * @param newArgs the arguments the tool runs with
	 * @return this script
	 */
	public PreToolScript rewrite(Map<String, ?> newArgs) {
		Objects.requireNonNull(newArgs, "newArgs");
		Map<String, Object> copy = new LinkedHashMap<>(newArgs);
		return rewrite((input) -> copy);
	}

	/**
	 * Allows the call with arguments computed from its input.
	 * @param rewriter gets a mutable copy of the tool input, returns the arguments the tool runs with
	 * @return this script
	 */
	public PreToolScript rewrite(UnaryOperator<Map<String, Object>> rewriter) {
		Objects.requireNonNull(rewriter, "rewriter");
		this.rule.answer((request) -> {
			Map<String, Object> args = rewriter.apply(new LinkedHashMap<>(request.toolInput()));
			ObjectNode answer = ScriptBook.object().put("permission", "allow");
			answer.set("modified_args", ScriptBook.JSON.valueToTree(args));
			return Reply.json(answer);
		});
		return this;
	}

	/**
	 * Fails the call.
	 * @param outage the failure
	 * @return this script
	 */
	public PreToolScript outage(Outage outage) {
		Objects.requireNonNull(outage, "outage");
		this.rule.answer((request) -> new Reply.Failure(outage));
		return this;
	}

	/**
	 * Reads well between answers given in order; does nothing.
	 * @return this script
	 */
	public PreToolScript then() {
		return this;
	}

}
