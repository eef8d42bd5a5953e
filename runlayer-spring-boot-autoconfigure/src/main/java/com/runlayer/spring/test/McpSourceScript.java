package com.runlayer.spring.test;

import java.util.Objects;

import com.runlayer.spring.test.ScriptBook.Reply;
import com.runlayer.spring.test.ScriptBook.Rule;
import tools.jackson.databind.node.ObjectNode;

/**
 * How the {@link RunlayerTestServer} answers direct MCP source checks (the cursor route) of one tool (or of any tool):
 * allowed by default. Answers are used in order and the last one keeps answering.
 */
public final class McpSourceScript {

	private final Rule rule;

	McpSourceScript(Rule rule) {
		this.rule = rule;
	}

	/**
	 * Allows the MCP server.
	 * @return this script
	 */
	public McpSourceScript allow() {
		this.rule.answer((request) -> Reply.json(ScriptBook.object().put("permission", "allow")));
		return this;
	}

	/**
	 * Denies the MCP server.
	 * @param userMessage the reason shown to the user
	 * @return this script
	 */
	public McpSourceScript deny(String userMessage) {
		return deny(userMessage, null);
	}

	/**
	 * Denies the MCP server.
	 * @param userMessage the reason shown to the user
	 * @param agentMessage the message for the model, or {@code null}
	 * @return this script
	 */
	public McpSourceScript deny(String userMessage, String agentMessage) {
		Objects.requireNonNull(userMessage, "userMessage");
		this.rule.answer((request) -> {
			ObjectNode answer = ScriptBook.object().put("permission", "deny").put("user_message", userMessage);
			if (agentMessage != null) {
				answer.put("agent_message", agentMessage);
			}
			return Reply.json(answer);
		});
		return this;
	}

	/**
	 * Fails the check.
	 * @param outage the failure
	 * @return this script
	 */
	public McpSourceScript outage(Outage outage) {
		Objects.requireNonNull(outage, "outage");
		this.rule.answer((request) -> new Reply.Failure(outage));
		return this;
	}

	/**
	 * Reads well between answers given in order; does nothing.
	 * @return this script
	 */
	public McpSourceScript then() {
		return this;
	}

}
