package com.runlayer.sdk.transport;

import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Set;

import com.runlayer.sdk.auth.HookAuthentication;
import com.runlayer.sdk.auth.RunlayerSubject;

import org.springframework.http.HttpHeaders;

/**
 * The credentials of one call, in one place: before each attempt the authentication adds its headers (an API key, or a
 * bearer token it may mint first within the call's deadline), and a {@code 401} answer drops the rejected credential
 * and allows one resend with fresh ones. Whatever a call carried is also what its error texts are scrubbed of.
 *
 * <p>One instance per call; not shared between threads.
 */
final class CallCredentials {

	/** Headers the JDK client sets itself and refuses from callers. */
	private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

	private final HookAuthentication authentication;

	private final boolean authenticate;

	private final RunlayerSubject subject;

	private HttpHeaders sent;

	private boolean refreshed;

	/**
	 * Creates the credentials of a call.
	 * @param authentication the transport's authentication, or null for none
	 * @param authenticate whether the call is authenticated (false for the token endpoint)
	 * @param subject the user the call acts for, or null for the configured one (or none)
	 */
	CallCredentials(HookAuthentication authentication, boolean authenticate, RunlayerSubject subject) {
		this.authentication = authentication;
		this.authenticate = authenticate;
		this.subject = subject;
	}

	/**
	 * Fetches the headers of the next attempt, minting or refreshing a token first if needed, within the call's
	 * deadline; a token failure is thrown as it comes (a {@link HookCallException} of kind AUTH).
	 * @param deadlineNanos the call's deadline on the {@link System#nanoTime()} scale
	 */
	void prepare(long deadlineNanos) {
		this.sent = null;
		if (this.authenticate && this.authentication != null) {
			HttpHeaders credentials = new HttpHeaders();
			this.authentication.authenticate(credentials, this.subject, deadlineNanos);
			this.sent = credentials;
		}
	}

	/**
	 * Adds the prepared headers to a request (except those the JDK client refuses from callers).
	 * @param request the request
	 */
	void addTo(HttpRequest.Builder request) {
		if (this.sent != null) {
			this.sent.forEach((name, values) -> {
				if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
					values.forEach((value) -> request.header(name, value));
				}
			});
		}
	}

	/**
	 * After a {@code 401}: whether to resend once with fresh credentials (the rejected one is dropped). Only once per
	 * call, and never for a static API key.
	 * @return the flag
	 */
	boolean refreshAfterUnauthorized() {
		if (this.authenticate && !this.refreshed && this.authentication != null
				&& this.authentication.invalidate(this.sent, this.subject)) {
			this.refreshed = true;
			return true;
		}
		return false;
	}

	/**
	 * Whether the call was resent after a {@code 401}.
	 * @return the flag
	 */
	boolean refreshed() {
		return this.refreshed;
	}

	/**
	 * Replaces every known secret, and the credentials the last attempt carried (e.g. a per-user bearer token), in a
	 * text with {@code [redacted]}.
	 * @param text the text
	 * @return the scrubbed text
	 */
	String scrub(String text) {
		return (this.authentication != null) ? this.authentication.scrub(text, this.sent) : text;
	}

}
