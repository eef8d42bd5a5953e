package com.runlayer.sdk;

import java.util.Optional;

import com.runlayer.sdk.auth.AuthMode;
import com.runlayer.sdk.auth.RunlayerSubject;
import com.runlayer.sdk.auth.RunlayerSubjectResolver;
import com.runlayer.sdk.transport.HookCallException;
import com.runlayer.sdk.transport.HookCallException.Kind;

/**
 * Decides the subject (end user) of each call, on the caller's thread: the call's explicit subject, else the
 * subject resolver's answer, else null (the authentication then uses the configured static subject, or none).
 * Never logs or quotes a subject.
 */
final class CallSubjects {

	private final RunlayerSubjectResolver resolver;

	private final boolean supported;

	private final boolean staticSubject;

	CallSubjects(RunlayerSubjectResolver resolver, boolean supported, AuthMode mode) {
		this.resolver = resolver;
		this.supported = supported;
		this.staticSubject = mode == AuthMode.AGENT_OBO;
	}

	/**
	 * The subject of a call.
	 * @param explicit the call's own subject, or null
	 * @param sessionId the call's session id
	 * @return the subject, or null for the static subject (or none)
	 * @throws HookCallException (kind AUTH) when the resolver failed; it is treated like an outage
	 * @throws RunlayerException when a subject is given to a client that cannot act for users (API key)
	 */
	RunlayerSubject resolve(RunlayerSubject explicit, String sessionId) {
		if (explicit != null) {
			if (!this.supported) {
				throw new RunlayerException("A call subject needs agent-account credentials (runlayer.agent.client-id"
						+ " and runlayer.agent.client-secret); this client uses an API key");
			}
			return explicit;
		}
		if (this.resolver == null) {
			return null;
		}
		Optional<RunlayerSubject> resolved;
		try {
			resolved = this.resolver.resolve(sessionId);
		}
		catch (RuntimeException ex) {
			// the exception is chained for diagnosis; the message never quotes what the resolver saw
			throw new HookCallException(Kind.AUTH, 0, "The Runlayer subject resolver (" + this.resolver.source()
					+ ") failed with " + ex.getClass().getSimpleName() + ", so the call was not sent", ex);
		}
		return (resolved != null) ? resolved.orElse(null) : null;
	}

	/**
	 * Where subjects come from, for diagnostics: the resolver's source (then {@code +static} when a static subject
	 * is the fallback), {@code static}, or {@code none}.
	 * @return the description
	 */
	String source() {
		if (this.resolver != null) {
			return this.resolver.source() + (this.staticSubject ? "+static" : "");
		}
		return this.staticSubject ? "static" : "none";
	}

}
