package com.runlayer.sdk;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The Runlayer session (conversation) id of the work running on the current thread, for adapters that cannot get it
 * from their arguments.
 *
 * <pre>{@code
 * RunlayerSession.run(conversationId, () -> ticketTools.lookupTicket("T-1"));
 * }</pre>
 *
 * <p>Scopes nest and are restored on exit. Work handed to other threads does not see the scope unless wrapped with
 * {@link #wrap(Runnable)} / {@link #wrap(Supplier)}; the {@code @RunlayerTool} interceptor captures the session when
 * a call starts and uses it for the asynchronous completion of that call.
 */
public final class RunlayerSession {

	private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

	private RunlayerSession() {
	}

	/**
	 * The session id of the current scope.
	 * @return the id, empty outside any scope
	 */
	public static Optional<String> current() {
		return Optional.ofNullable(CURRENT.get());
	}

	/**
	 * Runs a callable inside a session scope. Exceptions of the callable propagate unchanged.
	 * @param <T> the result type
	 * @param sessionId the session id; required
	 * @param callable the work
	 * @return the callable's result
	 */
	public static <T> T call(String sessionId, Callable<T> callable) {
		if (sessionId == null || sessionId.isBlank()) {
			throw new RunlayerException("sessionId is required and must not be blank");
		}
		String previous = CURRENT.get();
		CURRENT.set(sessionId);
		try {
			return callable.call();
		}
		catch (Exception ex) {
			throw RunlayerSession.<RuntimeException>sneaky(ex);
		}
		finally {
			restore(previous);
		}
	}

	/**
	 * Runs a runnable inside a session scope.
	 * @param sessionId the session id; required
	 * @param runnable the work
	 */
	public static void run(String sessionId, Runnable runnable) {
		call(sessionId, () -> {
			runnable.run();
			return null;
		});
	}

	/**
	 * Wraps a runnable so that it runs in the current session scope, wherever it runs.
	 * @param runnable the work
	 * @return the wrapped work (the runnable itself outside any scope)
	 */
	public static Runnable wrap(Runnable runnable) {
		String sessionId = CURRENT.get();
		return (sessionId != null) ? () -> run(sessionId, runnable) : runnable;
	}

	/**
	 * Wraps a supplier so that it runs in the current session scope, wherever it runs.
	 * @param <T> the result type
	 * @param supplier the work
	 * @return the wrapped work (the supplier itself outside any scope)
	 */
	public static <T> Supplier<T> wrap(Supplier<T> supplier) {
		String sessionId = CURRENT.get();
		return (sessionId != null) ? () -> call(sessionId, supplier::get) : supplier;
	}

	private static void restore(String previous) {
		if (previous != null) {
			CURRENT.set(previous);
		}
		else {
			CURRENT.remove();
		}
	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> E sneaky(Throwable ex) throws E {
		throw (E) ex;
	}

}
