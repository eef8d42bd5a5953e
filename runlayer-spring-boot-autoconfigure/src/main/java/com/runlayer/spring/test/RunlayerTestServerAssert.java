package com.runlayer.spring.test;

import java.util.List;
import java.util.function.Predicate;

import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on the requests a {@link RunlayerTestServer} received. The {@code received...} methods wait up
 * to {@link RunlayerTestServer#awaitTimeout()} for a request that has not arrived yet (events are sent in the
 * background); the {@code receivedNo...} methods check what has arrived so far.
 */
public final class RunlayerTestServerAssert extends AbstractAssert<RunlayerTestServerAssert, RunlayerTestServer> {

	RunlayerTestServerAssert(RunlayerTestServer server) {
		super(server, RunlayerTestServerAssert.class);
		isNotNull();
	}

	/**
	 * Asserts that a tool/pre call of the tool arrived.
	 * @param toolName the tool name
	 * @return assertions on those calls, to narrow them down
	 */
	public RecordedRequestsAssert receivedPreTool(String toolName) {
		return received((r) -> r.isPreTool() && r.toolName().equals(toolName), "a tool/pre call of '" + toolName + "'");
	}

	/**
	 * Asserts that a tool/post call with the tool's output ({@code PostToolUse}) arrived.
	 * @param toolName the tool name
	 * @return assertions on those calls
	 */
	public RecordedRequestsAssert receivedPostTool(String toolName) {
		return received((r) -> r.isPostTool() && r.toolName().equals(toolName),
				"a tool/post call of '" + toolName + "'");
	}

	/**
	 * Asserts that a tool/post call reporting the tool's failure ({@code PostToolUseFailure}) arrived.
	 * @param toolName the tool name
	 * @return assertions on those calls
	 */
	public RecordedRequestsAssert receivedToolFailure(String toolName) {
		return received((r) -> r.isToolFailure() && r.toolName().equals(toolName),
				"a tool failure report of '" + toolName + "'");
	}

	/**
	 * Asserts that a lifecycle event arrived.
	 * @param eventName e.g. {@code Stop}, {@code UserPromptSubmit}, {@code SessionStart}
	 * @return assertions on those events
	 */
	public RecordedRequestsAssert receivedEvent(String eventName) {
		return received((r) -> r.isEvent() && r.eventName().equals(eventName), "a '" + eventName + "' event");
	}

	/**
	 * Asserts that a direct MCP source check of the tool arrived.
	 * @param toolName the tool name
	 * @return assertions on those checks
	 */
	public RecordedRequestsAssert receivedMcpSourceCheck(String toolName) {
		return received((r) -> r.isMcpSourceCheck() && r.toolName().equals(toolName),
				"an MCP source check of '" + toolName + "'");
	}

	/**
	 * Asserts that an agent-account token request arrived.
	 * @return assertions on those requests
	 */
	public RecordedRequestsAssert receivedTokenRequest() {
		return received(RecordedRequest::isTokenRequest, "a token request");
	}

	/**
	 * Asserts that no tool/pre, tool/post or MCP source call of the tool has arrived.
	 * @param toolName the tool name
	 * @return this assertion
	 */
	public RunlayerTestServerAssert receivedNoCallFor(String toolName) {
		List<RecordedRequest> calls = this.actual.requests(
				(r) -> (r.isPreTool() || r.isPostTool() || r.isToolFailure() || r.isMcpSourceCheck())
						&& r.toolName().equals(toolName));
		if (!calls.isEmpty()) {
			failWithMessage("Expected no Runlayer call for tool '%s' but received:%n%s", toolName,
					RecordedRequestsAssert.describe(calls));
		}
		return this;
	}

	/**
	 * Asserts that no event of the name has arrived.
	 * @param eventName the event name
	 * @return this assertion
	 */
	public RunlayerTestServerAssert receivedNoEvent(String eventName) {
		List<RecordedRequest> events = this.actual.events(eventName);
		if (!events.isEmpty()) {
			failWithMessage("Expected no '%s' event but received:%n%s", eventName,
					RecordedRequestsAssert.describe(events));
		}
		return this;
	}

	/**
	 * Asserts that no request at all has arrived.
	 * @return this assertion
	 */
	public RunlayerTestServerAssert receivedNothing() {
		List<RecordedRequest> requests = this.actual.requests();
		if (!requests.isEmpty()) {
			failWithMessage("Expected no Runlayer request but received:%n%s", RecordedRequestsAssert.describe(requests));
		}
		return this;
	}

	private RecordedRequestsAssert received(Predicate<RecordedRequest> kind, String description) {
		return new RecordedRequestsAssert(this.actual, kind, description).awaitAtLeast(1);
	}

}
