package com.runlayer.spring.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

import com.runlayer.sdk.transport.HookEndpoint;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The scripted answers of a {@link RunlayerTestServer}: rules per endpoint and name (tool or event), each with
 * optional conditions and a list of answers used in order, the last one repeating. The newest matching rule answers;
 * with none, the endpoint's allow-all default does. Thread-safe.
 */
final class ScriptBook {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final List<Rule> rules = new ArrayList<>();

	synchronized Rule add(HookEndpoint endpoint, String name) {
		Rule rule = new Rule(endpoint, name);
		this.rules.add(rule);
		return rule;
	}

	synchronized void clear() {
		this.rules.clear();
	}

	/**
	 * The answer to a request: the newest matching rule's next answer, else the default.
	 * @param request the request
	 * @return the reply
	 */
	Reply answer(RecordedRequest request) {
		Rule match = null;
		synchronized (this) {
			for (int i = this.rules.size() - 1; i >= 0; i--) {
				Rule rule = this.rules.get(i);
				if (rule.matches(request)) {
					match = rule;
					break;
				}
			}
		}
		if (match == null) {
			return defaultReply(request.endpoint());
		}
		return match.next().apply(request);
	}

	static Reply defaultReply(HookEndpoint endpoint) {
		return switch (endpoint) {
			case TOOL_PRE, MCP_SOURCE -> Reply.json(object().put("permission", "allow"));
			case TOOL_POST -> Reply.json(object().put("blocked", false));
			case EVENTS, TRANSCRIPT -> Reply.json(object());
			case OAUTH_TOKEN -> new Reply.Token(true);
		};
	}

	static ObjectNode object() {
		return JSON.createObjectNode();
	}

	/** What the server does with a request. */
	sealed interface Reply {

		static Reply json(ObjectNode body) {
			return new Answer(200, JSON.writeValueAsString(body));
		}

		/** An HTTP answer. */
		record Answer(int status, String body) implements Reply {
		}

		/** A scripted failure. */
		record Failure(Outage outage) implements Reply {
		}

		/** A token answer, minted by the server (it knows which tokens it issued). */
		record Token(boolean issue) implements Reply {
		}

	}

	/** One scripted rule. */
	static final class Rule {

		private final HookEndpoint endpoint;

		private final String name;

		private final List<Predicate<RecordedRequest>> conditions = new ArrayList<>();

		private final List<Function<RecordedRequest, Reply>> answers = new ArrayList<>();

		private int served;

		Rule(HookEndpoint endpoint, String name) {
			this.endpoint = endpoint;
			this.name = name;
		}

		synchronized void when(Predicate<RecordedRequest> condition) {
			this.conditions.add(Objects.requireNonNull(condition, "condition"));
		}

		synchronized void answer(Function<RecordedRequest, Reply> answer) {
			this.answers.add(answer);
		}

		synchronized boolean matches(RecordedRequest request) {
			if (this.answers.isEmpty() || request.endpoint() != this.endpoint) {
				return false;
			}
			if (this.name != null && !this.name.equals(nameOf(request))) {
				return false;
			}
			for (Predicate<RecordedRequest> condition : this.conditions) {
				if (!condition.test(request)) {
					return false;
				}
			}
			return true;
		}

		synchronized Function<RecordedRequest, Reply> next() {
			Function<RecordedRequest, Reply> answer = this.answers.get(Math.min(this.served, this.answers.size() - 1));
			this.served++;
			return answer;
		}

		private static String nameOf(RecordedRequest request) {
			return (request.endpoint() == HookEndpoint.EVENTS) ? request.eventName() : request.toolName();
		}

	}

}
