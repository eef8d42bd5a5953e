package com.runlayer.sdk;

import java.util.concurrent.Callable;

/**
 * Prevents one tool call from being enforced twice when two adapters see it, e.g. a method with both Spring AI's
 * {@code @Tool} and {@code @RunlayerTool}: the outer adapter (the Spring AI decorator) runs the tool body inside
 * {@link #runEnforced(Callable)}, and the inner one (the {@code @RunlayerTool} interceptor) calls {@link #consume()}
 * and passes straight through when it returns true.
 *
 * <p>The mark is consumed by the first inner interception, so tools called from inside the tool body are enforced
 * as usual.
 */
public final class EnforcementGuard {

	private static final ThreadLocal<Boolean> ENFORCED = new ThreadLocal<>();

	private EnforcementGuard() {
	}

	/**
	 * Runs a tool body that an outer adapter already enforces.
	 * @param <T> the result type
	 * @param body the tool body
	 * @return the body's result
	 * @throws Exception whatever the body throws, unchanged
	 */
	public static <T> T runEnforced(Callable<T> body) throws Exception {
		Boolean previous = ENFORCED.get();
		ENFORCED.set(Boolean.TRUE);
		try {
			return body.call();
		}
		finally {
			if (previous != null) {
				ENFORCED.set(previous);
			}
			else {
				ENFORCED.remove();
			}
		}
	}

	/**
	 * Whether the current call is already enforced by an outer adapter; clears the mark.
	 * @return {@code true} exactly once inside {@link #runEnforced(Callable)}
	 */
	public static boolean consume() {
		if (Boolean.TRUE.equals(ENFORCED.get())) {
			ENFORCED.set(Boolean.FALSE);
			return true;
		}
		return false;
	}

}
