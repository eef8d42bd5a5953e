package com.runlayer.sdk;

import java.util.concurrent.Callable;

/**
 * Makes each tool call enforced exactly once when two layers see it, e.g. a method with both Spring AI's
 * {@code @Tool} and {@code @RunlayerTool}: the outer layer (the Spring AI decorator) enforces the call and runs the
 * tool body inside {@link #runEnforced(Object, Callable)} with a key naming that invocation (the target method and
 * object); the inner layer (the {@code @RunlayerTool} interceptor) passes through only when
 * {@link #consume(Object)} finds the innermost open scope carrying the same key, not yet consumed.
 *
 * <p>So exactly one inner interception belongs to each scope, and everything else is enforced as its own call: a
 * different tool called from the tool body, the same tool called again (recursion), and any call on another thread
 * (the scope is thread-confined and not inherited), including asynchronous work.
 */
public final class EnforcementGuard {

	private static final ThreadLocal<Scope> SCOPE = new ThreadLocal<>();

	private EnforcementGuard() {
	}

	/**
	 * Runs a tool body that the caller already enforces.
	 * @param <T> the result type
	 * @param invocation the key of the invocation the body makes (compared with {@code equals}); required
	 * @param body the tool body
	 * @return the body's result
	 * @throws Exception whatever the body throws, unchanged
	 */
	public static <T> T runEnforced(Object invocation, Callable<T> body) throws Exception {
		if (invocation == null) {
			throw new IllegalArgumentException("invocation key is required");
		}
		Scope previous = SCOPE.get();
		SCOPE.set(new Scope(invocation));
		try {
			return body.call();
		}
		finally {
			if (previous != null) {
				SCOPE.set(previous);
			}
			else {
				SCOPE.remove();
			}
		}
	}

	/**
	 * Whether an enforced tool body is running on this thread (a cheap test before building a key).
	 * @return true inside {@link #runEnforced(Object, Callable)}
	 */
	public static boolean active() {
		return SCOPE.get() != null;
	}

	/**
	 * Whether an invocation is already enforced by an outer layer; consumes the scope, so it answers true at most
	 * once per scope.
	 * @param invocation the key of the invocation being intercepted
	 * @return true when the innermost open scope was opened for this invocation and not consumed yet
	 */
	public static boolean consume(Object invocation) {
		Scope scope = SCOPE.get();
		if (scope == null || scope.consumed || !scope.invocation.equals(invocation)) {
			return false;
		}
		scope.consumed = true;
		return true;
	}

	private static final class Scope {

		final Object invocation;

		boolean consumed;

		Scope(Object invocation) {
			this.invocation = invocation;
		}

	}

}
