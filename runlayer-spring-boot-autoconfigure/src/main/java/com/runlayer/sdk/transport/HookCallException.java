package com.runlayer.sdk.transport;

import com.runlayer.sdk.RunlayerException;

/**
 * A Runlayer call that did not produce a 2xx answer: transport failure, timeout, non-2xx status or an oversized
 * body. The message holds a bounded, secret-free excerpt of the response body (D14).
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

	private final Kind kind;

	private final int status;

	/**
	 * Creates the exception.
	 * @param kind the kind
	 * @param status the HTTP status, or 0 when there was none
	 * @param message the message (secret-free)
	 * @param cause the cause, may be null
	 */
	public HookCallException(Kind kind, int status, String message, Throwable cause) {
		super(message, cause);
		this.kind = kind;
		this.status = status;
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
