package com.runlayer.sdk.transport;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

import com.runlayer.sdk.transport.HookCallException.Kind;

/**
 * The failures of a call and their texts: the SDK's own words (path, status, a hint of what to check), never what the
 * server wrote; a bounded, scrubbed excerpt of an error body is kept apart (see {@link HookCallException}).
 */
final class TransportFailures {

	private static final int EXCERPT_BYTES = 1024;

	private TransportFailures() {
	}

	static HookCallException closed(String path) {
		return new HookCallException(Kind.TRANSPORT, 0, "Runlayer client closed; " + path + " was not called", null);
	}

	static HookCallException closedInFlight(String path) {
		return new HookCallException(Kind.TRANSPORT, 0,
				"Runlayer client closed while " + path + " was in flight", null);
	}

	static HookCallException interrupted(String what, String path, InterruptedException cause) {
		return new HookCallException(Kind.TRANSPORT, 0, "Interrupted while " + what + " Runlayer " + path, cause);
	}

	static HookCallException tooLarge(String path, long maxResponseBytes) {
		return new HookCallException(Kind.TOO_LARGE, 0,
				"Runlayer " + path + " answered with a body over " + maxResponseBytes + " bytes; not read", null);
	}

	static HookCallException unreachable(String path, Throwable cause, CallCredentials credentials) {
		return new HookCallException(Kind.TRANSPORT, 0,
				"Runlayer " + path + " could not be reached: " + describe(cause, credentials), cause);
	}

	static HookCallException status(String path, int status, byte[] body, CallCredentials credentials) {
		return new HookCallException(Kind.STATUS, status, "Runlayer " + path + " answered HTTP " + status + hint(status),
				null, excerpt(body, credentials));
	}

	/**
	 * Whether an attempt's error is a timeout (of the request, the connection or a stalled body).
	 * @param error the error
	 * @return the flag
	 */
	static boolean isTimeout(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException || t instanceof TimeoutException
					|| (t instanceof InterruptedIOException && !(t instanceof ConnectException))) {
				return true;
			}
		}
		return false;
	}

	private static String describe(Throwable error, CallCredentials credentials) {
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? credentials.scrub(root.getMessage()) : "";
		return root.getClass().getSimpleName() + (message.isEmpty() ? "" : " (" + message + ")");
	}

	private static String hint(int status) {
		return switch (status) {
			case 401 -> " (check the API key or agent credentials)";
			case 403 -> " (check that the workspace hook-client allowlist includes this client name, runlayer.client"
					+ " / RUNLAYER_HOOK_CLIENT, and that the credential may use this route)";
			default -> "";
		};
	}

	private static String excerpt(byte[] body, CallCredentials credentials) {
		if (body == null || body.length == 0) {
			return "";
		}
		int length = Math.min(body.length, EXCERPT_BYTES);
		String text = new String(body, 0, length, StandardCharsets.UTF_8);
		return credentials.scrub(text).replaceAll("[\\p{Cntrl}&&[^\\t]]", " ")
				+ ((body.length > EXCERPT_BYTES) ? "…" : "");
	}

}
