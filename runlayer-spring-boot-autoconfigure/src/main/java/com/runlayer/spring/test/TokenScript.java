package com.runlayer.spring.test;

import java.util.Objects;

import com.runlayer.spring.test.ScriptBook.Reply;
import com.runlayer.spring.test.ScriptBook.Rule;

/**
 * How the {@link RunlayerTestServer} answers agent-account token requests ({@code /api/v1/oauth/token}): by default a
 * well-formed {@code client_credentials} or token-exchange request gets a fresh bearer token valid for an hour, which
 * the hook routes then accept. Answers are used in order and the last one keeps answering.
 */
public final class TokenScript {

	private final Rule rule;

	TokenScript(Rule rule) {
		this.rule = rule;
	}

	/**
	 * Issues a token (as by default).
	 * @return this script
	 */
	public TokenScript issue() {
		this.rule.answer((request) -> new Reply.Token(true));
		return this;
	}

	/**
	 * Rejects the credentials: HTTP 401 {@code invalid_client}.
	 * @return this script
	 */
	public TokenScript reject() {
		this.rule.answer((request) -> new Reply.Token(false));
		return this;
	}

	/**
	 * Fails the token request.
	 * @param outage the failure
	 * @return this script
	 */
	public TokenScript outage(Outage outage) {
		Objects.requireNonNull(outage, "outage");
		this.rule.answer((request) -> new Reply.Failure(outage));
		return this;
	}

	/**
	 * Reads well between answers given in order; does nothing.
	 * @return this script
	 */
	public TokenScript then() {
		return this;
	}

}
