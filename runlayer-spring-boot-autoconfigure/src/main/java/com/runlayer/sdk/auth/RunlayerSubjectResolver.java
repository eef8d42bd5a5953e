package com.runlayer.sdk.auth;

import java.util.Optional;

/**
 * Says which end user a Runlayer call acts for. The client consults it for each enforcement and event call, on the
 * caller's thread (for asynchronous and reactive tools, where the call starts), before anything is sent. When it
 * returns nothing, the configured static subject is used, and without one the agent acts as itself.
 *
 * <p>Needs agent-account credentials: the subject is exchanged for an on-behalf-of agent token, cached per subject.
 * An exception thrown here fails the call like a Runlayer outage (enforcement follows the failure mode, best-effort
 * telemetry is dropped); the SDK never logs what it returns. Implementations must be thread-safe and fast.
 */
@FunctionalInterface
public interface RunlayerSubjectResolver {

	/**
	 * The subject of the current call.
	 * @param sessionId the call's session id (may be null for calls without one)
	 * @return the subject, or empty for the configured static subject (or none)
	 */
	Optional<RunlayerSubject> resolve(String sessionId);

	/**
	 * A short name of where subjects come from, for diagnostics (the actuator shows it).
	 * @return the name, {@code custom} unless overridden
	 */
	default String source() {
		return "custom";
	}

}
