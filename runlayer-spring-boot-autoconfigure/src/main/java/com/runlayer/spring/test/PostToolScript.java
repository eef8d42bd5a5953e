package com.runlayer.spring.test;

import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import com.runlayer.spring.test.ScriptBook.Reply;
import com.runlayer.spring.test.ScriptBook.Rule;

/**
 * How the {@link RunlayerTestServer} answers tool/post calls (the output scan) of one tool (or of any tool). Each
 * answer method adds an answer; answers are used in order and the last one keeps answering:
 *
 * <pre class="code">
 * runlayer.onPostTool("lookup_ticket").mask("[redacted]");
 * runlayer.onPostTool().whenOutput((text) -&gt; text.contains("SECRET")).block("secret in output");
 * runlayer.onPostTool("read_file").mask((text) -&gt; text.replace("alice@example.com", "***"));
 * </pre>
 *
 * The newest rule that matches a call answers it; without one, the output passes.
 */
public final class PostToolScript {

	private final Rule rule;

	PostToolScript(Rule rule) {
		this.rule = rule;
	}

	/**
	 * Applies this rule only to calls whose tool input matches.
	 * @param input a predicate on the tool input
	 * @return this script
	 */
	public PostToolScript when(Predicate<Map<String, Object>> input) {
		Objects.requireNonNull(input, "input");
		this.rule.when((request) -> input.test(request.toolInput()));
		return this;
	}

	/**
	 * Applies this rule only to calls whose output matches.
	 * @param output a predicate on the output as text (a string output as is, any other value as JSON text)
	 * @return this script
	 */
	public PostToolScript whenOutput(Predicate<String> output) {
		Objects.requireNonNull(output, "output");
		this.rule.when((request) -> output.test(request.toolResponseText()));
		return this;
	}

	/**
	 * Lets the output pass unchanged.
	 * @return this script
	 */
	public PostToolScript pass() {
		this.rule.answer((request) -> Reply.json(ScriptBook.object().put("blocked", false)));
		return this;
	}

	/**
	 * Replaces the output the caller gets ({@code modified_output}).
	 * @param newOutput the replacement text (JSON text for a structured output)
	 * @return this script
	 */
	public PostToolScript mask(String newOutput) {
		Objects.requireNonNull(newOutput, "newOutput");
		return mask((output) -> newOutput);
	}

	/**
	 * Replaces the output with one computed from it.
	 * @param masker gets the output as text, returns the replacement
	 * @return this script
	 */
	public PostToolScript mask(UnaryOperator<String> masker) {
		Objects.requireNonNull(masker, "masker");
		this.rule.answer((request) -> Reply.json(ScriptBook.object()
			.put("blocked", false)
			.put("modified_output", masker.apply(request.toolResponseText()))));
		return this;
	}

	/**
	 * Blocks the output.
	 * @param reason the reason ({@code block_reason})
	 * @return this script
	 */
	public PostToolScript block(String reason) {
		Objects.requireNonNull(reason, "reason");
		this.rule.answer((request) -> Reply
			.json(ScriptBook.object().put("blocked", true).put("block_reason", reason)));
		return this;
	}

	/**
	 * Fails the call.
	 * @param outage the failure
	 * @return this script
	 */
	public PostToolScript outage(Outage outage) {
		Objects.requireNonNull(outage, "outage");
		this.rule.answer((request) -> new Reply.Failure(outage));
		return this;
	}

	/**
	 * Reads well between answers given in order; does nothing.
	 * @return this script
	 */
	public PostToolScript then() {
		return this;
	}

}
