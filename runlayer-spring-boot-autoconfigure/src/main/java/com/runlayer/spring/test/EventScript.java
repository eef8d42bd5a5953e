package com.runlayer.spring.test;

import java.util.Objects;

import com.runlayer.spring.test.ScriptBook.Reply;
import com.runlayer.spring.test.ScriptBook.Rule;

/**
 * How the {@link RunlayerTestServer} answers lifecycle events of one name (or of any name): accepted by default, or
 * failed to test that telemetry never breaks the caller (and that strict sends, such as preflight, do). Answers are
 * used in order and the last one keeps answering.
 */
public final class EventScript {

	private final Rule rule;

	EventScript(Rule rule) {
		this.rule = rule;
	}

	/**
	 * Accepts the event.
	 * @return this script
	 */
	public EventScript accept() {
		this.rule.answer((request) -> Reply.json(ScriptBook.object()));
		return this;
	}

	/**
	 * Fails the event.
	 * @param outage the failure
	 * @return this script
	 */
	public EventScript outage(Outage outage) {
		Objects.requireNonNull(outage, "outage");
		this.rule.answer((request) -> new Reply.Failure(outage));
		return this;
	}

	/**
	 * Reads well between answers given in order; does nothing.
	 * @return this script
	 */
	public EventScript then() {
		return this;
	}

}
