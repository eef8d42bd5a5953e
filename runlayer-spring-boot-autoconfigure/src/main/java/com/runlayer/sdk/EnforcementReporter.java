package com.runlayer.sdk;

import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.hooks.HookResponses;
import com.runlayer.sdk.transport.HookCallException;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.observe.RunlayerObserver;
import com.runlayer.sdk.observe.RunlayerObserver.EnforcementScope;
import com.runlayer.sdk.transport.HookCallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static com.runlayer.sdk.CompositeObserver.safeObserve;

/**
 * Reports enforcement decisions to the client's observer and decides what a failed enforcement call means: a
 * definitive refusal (see {@link HookResponses#refusal}) blocks in every mode with
 * {@link RunlayerBlockedException#outage()} false; an outage is logged at WARN and the call goes on in
 * {@link EnforcementFailureMode#OPEN open} mode, and otherwise blocks with {@link RunlayerBlockedException#outage()}
 * true. Shared by the tool and the MCP source enforcement.
 */
final class EnforcementReporter {

	// the client's logger category, so logging configuration keeps working as before the split
	private static final Logger logger = LoggerFactory.getLogger(RunlayerClient.class);

	private final RunlayerObserver observer;

	private final HookResponses responses;

	EnforcementReporter(RunlayerObserver observer, HookResponses responses) {
		this.observer = observer;
		this.responses = responses;
	}

	/**
	 * Tells the observer that an enforcement stage starts.
	 * @param stage the stage
	 * @param descriptor the tool
	 * @return the scope to finish; never null
	 */
	EnforcementScope start(EnforcementStage stage, ToolDescriptor descriptor) {
		try {
			EnforcementScope scope = this.observer.enforcementStarted(stage, descriptor);
			return (scope != null) ? scope : EnforcementScope.NOOP;
		}
		catch (RuntimeException ex) {
			logger.debug("Runlayer observer failed", ex);
			return EnforcementScope.NOOP;
		}
	}

	void finish(EnforcementScope scope, EnforcementDecision decision, Throwable error) {
		safeObserve(() -> scope.finished(decision, error));
	}

	void skipped(ToolDescriptor descriptor) {
		if (this.observer != RunlayerObserver.NOOP) {
			safeObserve(() -> this.observer.enforcementSkipped(descriptor));
		}
	}

	/**
	 * Handles an enforcement call that got no 2xx answer: a definitive refusal blocks whatever the mode, anything
	 * else is an {@link #outage outage}.
	 * @throws RunlayerBlockedException with {@code outage() == false} for a refusal; as {@link #outage} otherwise
	 */
	void callFailed(EnforcementScope scope, EnforcementStage stage, String toolName, EnforcementFailureMode mode,
			HookCallException failure) {
		HookResponses.Refusal refusal = this.responses.refusal(failure);
		if (refusal == null) {
			outage(scope, stage, toolName, mode, failure.getMessage(), failure);
			return;
		}
		finish(scope, (stage == EnforcementStage.PRE_TOOL) ? EnforcementDecision.DENY : EnforcementDecision.BLOCK,
				null);
		throw new RunlayerBlockedException(refusal.reason(), stage, false, failure);
	}

	/**
	 * Finishes the scope as an outage, then lets the call go on (open mode) or blocks it. The reason given to the
	 * caller (and so possibly to a model) is {@code problem}: the SDK's own text and the status, never a server body.
	 * @throws RunlayerBlockedException with {@code outage() == true} unless the mode is open
	 */
	/**
	 * The outage reason of an exception other than a failed call on the enforcement path (a bug, a broken mapper,
	 * an overflow): its type only (or our own message for a {@link RunlayerException}); the exception itself is
	 * attached as the cause.
	 * @param ex the exception
	 * @return the reason
	 */
	static String unexpected(RuntimeException ex) {
		if (ex instanceof RunlayerException) {
			return ex.getMessage();
		}
		return "unexpected " + ex.getClass().getSimpleName() + " while asking Runlayer";
	}

	void outage(EnforcementScope scope, EnforcementStage stage, String toolName, EnforcementFailureMode mode,
			String problem, Throwable cause) {
		Throwable error = (cause != null) ? cause : new RunlayerException(problem);
		safeObserve(() -> scope.outage(error, mode == EnforcementFailureMode.OPEN));
		if (mode == EnforcementFailureMode.OPEN) {
			// the log may show the server's (scrubbed, bounded) error excerpt; the reason a caller or model sees not
			logger.warn("Runlayer enforcement outage at {} for tool '{}'; allowing because the failure mode is open: {}",
					stage, toolName, (cause instanceof HookCallException call) ? call.describe() : problem);
			return;
		}
		throw new RunlayerBlockedException(problem, stage, true, cause);
	}

}
