package com.runlayer.sdk.transport;

import java.time.Duration;

/**
 * The wall budget of one call, retries and resends included, in one place (docs/protocol.md, "Retries"): it is the
 * call's timeout, at most {@link RetryPolicy#MAX_CALL_BUDGET} (28 s), cut short by a caller's own deadline when that
 * ends first (a token request made for a hook call gets what is left of that call's budget); the first attempt may
 * use whatever is left, and no attempt after it starts with less than {@link RetryPolicy#MIN_ATTEMPT_BUDGET} (2 s)
 * left.
 *
 * <p>Deadlines are on the {@link System#nanoTime()} scale. One instance per call; not shared between threads.
 */
final class CallBudget {

	private final long deadline;

	private final Duration budget;

	private CallBudget(long deadline, Duration budget) {
		this.deadline = deadline;
		this.budget = budget;
	}

	/**
	 * Starts the budget of a call now.
	 * @param timeout the call's timeout
	 * @param callerDeadline the caller's deadline on the {@link System#nanoTime()} scale, or {@code 0} for none
	 * @return the budget
	 */
	static CallBudget start(Duration timeout, long callerDeadline) {
		long start = System.nanoTime();
		long deadline = start + RetryPolicy.callBudget(timeout).toNanos();
		if (callerDeadline != 0L && callerDeadline - deadline < 0) {
			deadline = callerDeadline;
		}
		return new CallBudget(deadline, Duration.ofNanos(Math.max(0, deadline - start)));
	}

	/**
	 * The deadline of the call.
	 * @return the deadline on the {@link System#nanoTime()} scale
	 */
	long deadlineNanos() {
		return this.deadline;
	}

	/**
	 * What is left of the budget now; negative once it ran out.
	 * @return the nanoseconds left
	 */
	long remainingNanos() {
		return this.deadline - System.nanoTime();
	}

	/**
	 * What is left of the budget now, for the retry rule.
	 * @return the time left, negative once the budget ran out
	 */
	Duration remaining() {
		return Duration.ofNanos(remainingNanos());
	}

	/**
	 * Whether the budget ran out.
	 * @return the flag
	 */
	boolean expired() {
		return remainingNanos() <= 0;
	}

	/**
	 * Whether an attempt may start now: any time left for the first one, at least 2 s for a follow-up (a retry, an
	 * uncompressed resend, a resend with refreshed credentials).
	 * @param followUp whether the attempt follows an earlier one of the same call
	 * @return the flag
	 */
	boolean allowsAttempt(boolean followUp) {
		long remaining = remainingNanos();
		return remaining > 0 && (!followUp || RetryPolicy.mayStartAnotherAttempt(Duration.ofNanos(remaining)));
	}

	/**
	 * The failure of a call whose budget ran out.
	 * @param path the path called
	 * @param cause the error that ended the last attempt, or null
	 * @return the exception
	 */
	HookCallException timeout(String path, Throwable cause) {
		return new HookCallException(HookCallException.Kind.TIMEOUT, 0,
				"Runlayer " + path + " did not answer within " + this.budget.toMillis() + " ms", cause);
	}

}
