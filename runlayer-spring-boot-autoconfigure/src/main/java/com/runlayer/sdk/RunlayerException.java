package com.runlayer.sdk;

/**
 * Root of every exception the Runlayer SDK throws.
 *
 * <p>Unchecked. Messages name the setting or field involved and never contain a secret (API key, client secret,
 * access token or subject token).
 */
public class RunlayerException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception with a message.
	 * @param message what went wrong and, where possible, how to fix it
	 */
	public RunlayerException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with a message and a cause.
	 * @param message what went wrong and, where possible, how to fix it
	 * @param cause the underlying failure
	 */
	public RunlayerException(String message, Throwable cause) {
		super(message, cause);
	}

}
