package com.runlayer.sdk.observe;

import java.util.Map;

import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.enforcement.ToolDescriptor;

/**
 * Receives what the client does, for metrics, traces and health. All methods have no-op defaults; implementations
 * must be thread-safe, fast, and must not throw (a throwing observer is logged and ignored).
 */
public interface RunlayerObserver {

	/** An observer that does nothing. */
	RunlayerObserver NOOP = new RunlayerObserver() {
	};

	/**
	 * An enforcement call starts (on the caller's thread, so a tracing observer can open a child span).
	 * @param stage the stage
	 * @param tool the tool
	 * @return a scope that is told the outcome; never null
	 */
	default EnforcementScope enforcementStarted(EnforcementStage stage, ToolDescriptor tool) {
		return EnforcementScope.NOOP;
	}

	/**
	 * A tool call was skipped by the filters.
	 * @param tool the tool
	 */
	default void enforcementSkipped(ToolDescriptor tool) {
	}

	/**
	 * An enforcement call (or a skipped tool call) has an outcome, with its full context: session, tool, tool use id,
	 * stage, decision, whether it was applied (monitor mode only reports), reason, outage flag and duration. Called
	 * on the caller's thread, after {@link EnforcementScope#finished} and before the call goes on or is blocked.
	 * @param decision the outcome
	 */
	default void decided(RunlayerDecision decision) {
	}

	/**
	 * A best-effort or strict event was delivered.
	 * @param eventName the event name
	 */
	default void telemetrySent(String eventName) {
	}

	/**
	 * A best-effort or strict event failed.
	 * @param eventName the event name
	 * @param error the failure
	 */
	default void telemetryFailed(String eventName, Throwable error) {
	}

	/**
	 * A best-effort event was dropped because the dispatch queue was full.
	 * @param eventName the event name
	 */
	default void telemetryDropped(String eventName) {
	}

	/**
	 * One enforcement call in progress.
	 */
	interface EnforcementScope {

		/** A scope that does nothing. */
		EnforcementScope NOOP = (decision, error) -> {
		};

		/**
		 * The call finished.
		 * @param decision the outcome
		 * @param error the outage cause for {@link EnforcementDecision#OUTAGE}, else null
		 */
		void finished(EnforcementDecision decision, Throwable error);

		/**
		 * The call ended in an outage (Runlayer could not give a valid answer). By default the same as
		 * {@code finished(EnforcementDecision.OUTAGE, error)}.
		 * @param error the cause
		 * @param allowed whether the tool call goes on anyway (failure mode open) or is blocked (closed)
		 */
		default void outage(Throwable error, boolean allowed) {
			finished(EnforcementDecision.OUTAGE, error);
		}

		/**
		 * Runlayer rewrote the tool's arguments; called just before {@code finished(REWRITE, null)}.
		 * @param originalInput the input the tool was called with
		 * @param rewrittenInput the input the tool gets instead
		 */
		default void rewritten(Map<String, Object> originalInput, Map<String, Object> rewrittenInput) {
		}

		/**
		 * Runlayer masked the tool's output; called just before {@code finished(MASK, null)}. The original output
		 * holds what Runlayer chose to hide: compare it, never log it.
		 * @param originalOutput what the tool returned
		 * @param maskedOutput Runlayer's {@code modified_output}, which the caller gets instead
		 */
		default void masked(Object originalOutput, String maskedOutput) {
		}

	}

}
