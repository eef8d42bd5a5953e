package com.runlayer.sdk.transport;

import com.runlayer.sdk.RunlayerException;

/**
 * A Runlayer call that did not produce a 2xx answer: transport failure, timeout, non-2xx status or an oversized
 * body. The message is the SDK's own text (endpoint, status, hint) and never carries what the server wrote: an
 * enforcement outage's reason may reach a model. A bounded, secret-free excerpt of the error body is kept apart in
 * {@link #responseExcerpt()} for logs and for the strict helpers' errors ({@link #describe()}).
 */
public class HookCallException extends RunlayerException {

	private static final long serialVersionUID = 1L;

	/** What kind of failure. */
	public enum Kind {

		/** Connection refused, reset, TLS or other I/O error. */
		TRANSPORT,

		/** The call's timeout budget ran out. */
		TIMEOUT,

		/** A non-2xx status. */
		STATUS,

		/** A response body larger than the configured bound. */
		TOO_LARGE,

		/** No credential could be had (token endpoint failure). */
		AUTH

	}

	/** What kind of failure it was. */
	private final Kind kind;

	/** The HTTP status, 0 when there was none. */
	private final int status;

	/** A bounded, scrubbed excerpt of the error body, empty when there was none. */
	private final String responseExcerpt;

	/**
	 * Whether this failure is Runlayer's definitive refusal rather than an outage: an HTTP 4xx other than 408 and 429,
	 * answered by a hook endpoint or by the token endpoint while minting the call's credential. This is the one rule
	 * for "refused or unreachable": a refusal blocks in every failure mode and never counts against the circuit
	 * breaker; every other failure (transport error, timeout, 5xx, 408, 429, an oversized answer) is an outage.
	 * @return the flag
	 */
	public boolean definitiveRefusal() {
		return (this.kind == Kind.STATUS || this.kind == Kind.AUTH) && this.status >= 400 && this.status <= 499
				&& this.status != 408 && this.status != 429;
	}

	/**
	 * Creates the exception.
	 * @param kind the kind
	 * @param status the HTTP status, or 0 when there was none
	 * @param message the message (secret-free)
	 * @param cause the cause, may be null
	 */
	public HookCallException(Kind kind, int status, String message, Throwable cause) {
		this(kind, status, message, cause, "");
	}

	/**
	 * Creates the exception of a non-2xx answer with an excerpt of its body.
	 * @param kind the kind
	 * @param status the HTTP status, or 0 when there was none
	 * @param message the message (the SDK's own text, secret-free)
	 * @param cause the cause, may be null
	 * @param responseExcerpt a bounded, scrubbed excerpt of the error body, empty when there was none
	 */
	public HookCallException(Kind kind, int status, String message, Throwable cause, String responseExcerpt) {
		super(message, cause);
		this.kind = kind;
		this.status = status;
		this.responseExcerpt = (responseExcerpt != null) ? responseExcerpt : "";
	}

	/**
	 * A bounded (1 KiB), secret-free excerpt of the error body the server sent, for logs and strict helpers; never
	 * part of {@link #getMessage()}.
	 * @return the excerpt, empty when there was none
	 */
	public String responseExcerpt() {
		return this.responseExcerpt;
	}

	/**
	 * The message followed by the excerpt of the error body, for logs and the errors of strict helpers (not for an
	 * enforcement decision's reason).
	 * @return the description
	 */
	public String describe() {
		return this.responseExcerpt.isEmpty() ? getMessage() : getMessage() + ": " + this.responseExcerpt;
	}

	/**
	 * The kind of failure.
	 * @return the kind
	 */
	public Kind kind() {
		return this.kind;
	}

	/**
	 * The HTTP status.
	 * @return the status, or 0 when there was none
	 */
	public int status() {
		return this.status;
	}

}
