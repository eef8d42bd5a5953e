package com.runlayer.spring.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.assertj.core.api.AbstractAssert;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * Assertions on the requests of one kind a {@link RunlayerTestServer} received (from
 * {@link RunlayerTestServerAssert}). Each {@code with...} narrows them down and asserts that at least one is left,
 * waiting up to {@link RunlayerTestServer#awaitTimeout()} for it; {@link #times(int)} asserts how many are left.
 */
public final class RecordedRequestsAssert extends AbstractAssert<RecordedRequestsAssert, RunlayerTestServer> {

	private static final int DESCRIBED = 40;

	private final List<Predicate<RecordedRequest>> filters = new ArrayList<>();

	private final List<String> descriptions = new ArrayList<>();

	RecordedRequestsAssert(RunlayerTestServer server, Predicate<RecordedRequest> kind, String description) {
		super(server, RecordedRequestsAssert.class);
		this.filters.add(kind);
		this.descriptions.add(description);
	}

	/**
	 * Keeps the requests of the session ({@code payload.session_id}; {@code conversation_id} on the MCP source route).
	 * @param sessionId the session id
	 * @return this assertion
	 */
	public RecordedRequestsAssert withSessionId(String sessionId) {
		return with((r) -> r.sessionId().equals(sessionId), "session id '" + sessionId + "'");
	}

	/**
	 * Keeps the calls whose tool input has the field with the value (compared as JSON, so {@code 3} matches
	 * {@code 3}, a map matches an object).
	 * @param field the input field
	 * @param value the expected value
	 * @return this assertion
	 */
	public RecordedRequestsAssert withInput(String field, Object value) {
		JsonNode expected = tree(value);
		return with((r) -> r.toolInput().containsKey(field) && expected.equals(tree(r.toolInput().get(field))),
				"input " + field + "=" + expected);
	}

	/**
	 * Keeps the calls whose whole tool input equals the map.
	 * @param input the expected input
	 * @return this assertion
	 */
	public RecordedRequestsAssert withInput(Map<String, ?> input) {
		JsonNode expected = tree(input);
		return with((r) -> expected.equals(tree(r.toolInput())), "input " + expected);
	}

	/**
	 * Keeps the calls with the tool type ({@code payload.tool_type}).
	 * @param toolType e.g. {@code function}, {@code shell}, {@code mcp}
	 * @return this assertion
	 */
	public RecordedRequestsAssert withToolType(String toolType) {
		return with((r) -> r.toolType().equals(toolType), "tool type '" + toolType + "'");
	}

	/**
	 * Keeps the tool/post calls whose output text contains the text.
	 * @param text the text
	 * @return this assertion
	 */
	public RecordedRequestsAssert withOutputContaining(String text) {
		return with((r) -> r.toolResponseText().contains(text), "output containing '" + text + "'");
	}

	/**
	 * Keeps the requests whose payload has the field with the value (compared as JSON).
	 * @param field a field of {@code payload}, e.g. {@code prompt}
	 * @param value the expected value
	 * @return this assertion
	 */
	public RecordedRequestsAssert withPayload(String field, Object value) {
		JsonNode expected = tree(value);
		return with((r) -> r.payload().has(field) && expected.equals(r.payload().path(field)),
				"payload " + field + "=" + expected);
	}

	/**
	 * Keeps the events that carry a transcript containing the text.
	 * @param text the text
	 * @return this assertion
	 */
	public RecordedRequestsAssert withTranscriptContaining(String text) {
		return with((r) -> r.json().path("transcript").isString()
				&& r.json().path("transcript").stringValue().contains(text), "transcript containing '" + text + "'");
	}

	/**
	 * Keeps the requests with the header value.
	 * @param name the header name, any case
	 * @param value the value
	 * @return this assertion
	 */
	public RecordedRequestsAssert withHeader(String name, String value) {
		return with((r) -> Objects.equals(r.header(name), value), "header " + name);
	}

	/**
	 * Keeps the requests that match.
	 * @param condition the condition
	 * @param description what it checks, for the failure message
	 * @return this assertion
	 */
	public RecordedRequestsAssert matching(Predicate<RecordedRequest> condition, String description) {
		return with(condition, description);
	}

	/**
	 * Asserts that exactly this many requests are left (waiting for them to arrive).
	 * @param expected the count
	 * @return this assertion
	 */
	public RecordedRequestsAssert times(int expected) {
		List<RecordedRequest> matches = await(expected);
		if (matches.size() != expected) {
			failWithMessage("Expected %s %s time(s) but it arrived %s time(s). Received:%n%s", describe(), expected,
					matches.size(), describe(this.actual.requests()));
		}
		return this;
	}

	/**
	 * Asserts that exactly one request is left.
	 * @return this assertion
	 */
	public RecordedRequestsAssert once() {
		return times(1);
	}

	/**
	 * The requests left, for further checks.
	 * @return a snapshot, oldest first
	 */
	public List<RecordedRequest> requests() {
		return matches();
	}

	RecordedRequestsAssert awaitAtLeast(int count) {
		List<RecordedRequest> matches = await(count);
		if (matches.size() < count) {
			failWithMessage("Expected the Runlayer test server to receive %s within %s but it did not. Received:%n%s",
					describe(), this.actual.awaitTimeout(), describe(this.actual.requests()));
		}
		return this;
	}

	private static JsonNode tree(Object value) {
		JsonNode node = (value != null) ? ScriptBook.JSON.valueToTree(value) : null;
		return (node != null) ? node : NullNode.getInstance();
	}

	private RecordedRequestsAssert with(Predicate<RecordedRequest> filter, String description) {
		this.filters.add(filter);
		this.descriptions.add(description);
		return awaitAtLeast(1);
	}

	private List<RecordedRequest> await(int count) {
		long deadline = System.nanoTime() + this.actual.awaitTimeout().toNanos();
		List<RecordedRequest> matches = matches();
		while (matches.size() < count && System.nanoTime() < deadline) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			matches = matches();
		}
		return matches;
	}

	private List<RecordedRequest> matches() {
		return this.actual.requests((r) -> this.filters.stream().allMatch((f) -> f.test(r)));
	}

	private String describe() {
		return String.join(" with ", this.descriptions);
	}

	static String describe(List<RecordedRequest> requests) {
		if (requests.isEmpty()) {
			return "  (nothing)";
		}
		String listed = requests.stream()
			.skip(Math.max(0, requests.size() - DESCRIBED))
			.map((r) -> "  - " + r)
			.collect(Collectors.joining(System.lineSeparator()));
		return (requests.size() > DESCRIBED)
				? "  (" + (requests.size() - DESCRIBED) + " earlier not shown)" + System.lineSeparator() + listed
				: listed;
	}

}
