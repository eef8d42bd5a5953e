package com.runlayer.sdk;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.hooks.HookResponses;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.observe.RunlayerDecision;
import com.runlayer.sdk.observe.RunlayerObserver;
import com.runlayer.sdk.observe.RunlayerObserver.EnforcementScope;
import com.runlayer.sdk.transport.HookCallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static com.runlayer.sdk.CompositeObserver.safeObserve;

/**
 * Reports enforcement outcomes and decides whether each one is applied. Shared by the tool and the MCP source
 * enforcement, so every entry path gets the same rules:
 * <ul>
 * <li>in {@link RunlayerMode#ENFORCE enforce} mode every decision is applied; a definitive refusal (see
 * {@link HookResponses#refusal}) blocks in every failure mode with {@link RunlayerBlockedException#outage()} false;
 * an outage blocks with
 * {@link RunlayerBlockedException#outage()} true unless the failure mode is {@link EnforcementFailureMode#OPEN open}
 * (then it is logged at WARN and the call goes on);</li>
 * <li>in {@link RunlayerMode#MONITOR monitor} mode nothing is applied: a decision that would have changed the call
 * (deny, rewrite, block, mask, an outage in closed mode) is logged once at INFO with tool, session and reason, and
 * reported with {@code applied == false}.</li>
 * </ul>
 * Every outcome is passed to the observer twice: to the call's {@link EnforcementScope} (timers, spans) and as a
 * {@link RunlayerDecision} with its full context.
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
	 * One enforcement call being reported.
	 */
	static final class Report {

		private final EnforcementScope scope;

		private final EnforcementStage stage;

		private final String sessionId;

		private final String toolName;

		private final String toolUseId;

		private final CallPolicy policy;

		private final long startedNanos = System.nanoTime();

		Report(EnforcementScope scope, EnforcementStage stage, String sessionId, String toolName, String toolUseId,
				CallPolicy policy) {
			this.scope = scope;
			this.stage = stage;
			this.sessionId = sessionId;
			this.toolName = toolName;
			this.toolUseId = toolUseId;
			this.policy = policy;
		}

	}

	/**
	 * Handles an enforcement call that got no 2xx answer: a definitive refusal is a deny (pre-tool) or block,
	 * reported and applied like one (so it blocks in every failure mode, with {@code outage() == false}); anything
	 * else is an {@link #outage outage}.
	 * @throws RunlayerBlockedException for an applied refusal; as {@link #outage} otherwise
	 */
	void callFailed(Report report, HookCallException failure) {
		HookResponses.Refusal refusal = this.responses.refusal(failure);
		if (refusal == null) {
			outage(report, failure.getMessage(), failure);
			return;
		}
		EnforcementDecision decision = (report.stage == EnforcementStage.PRE_TOOL) ? EnforcementDecision.DENY
				: EnforcementDecision.BLOCK;
		if (decided(report, decision, refusal.reason())) {
			throw new RunlayerBlockedException(refusal.reason(), report.stage, false, failure);
		}
	}

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

	/**
	 * Tells the observer that an enforcement stage starts.
	 * @return the report to finish with {@link #decided} or {@link #outage}
	 */
	Report start(EnforcementStage stage, ToolDescriptor descriptor, String sessionId, String toolUseId,
			CallPolicy policy) {
		EnforcementScope scope;
		try {
			scope = this.observer.enforcementStarted(stage, descriptor);
		}
		catch (RuntimeException ex) {
			logger.debug("Runlayer observer failed", ex);
			scope = null;
		}
		return new Report((scope != null) ? scope : EnforcementScope.NOOP, stage, sessionId, descriptor.toolName(),
				toolUseId, policy);
	}

	/**
	 * Reports a decision Runlayer made (or the SDK made on the output) and says whether to apply it.
	 * @param report the call
	 * @param decision the decision
	 * @param reason the reason, or null
	 * @return {@code true} when the caller applies the decision, {@code false} in monitor mode for a decision that
	 * would have changed the call
	 */
	boolean decided(Report report, EnforcementDecision decision, String reason) {
		return decided(report, decision, reason, null);
	}

	/**
	 * Reports an argument rewrite and says whether to apply it; the scope hears
	 * {@link EnforcementScope#rewritten(Map, Map)} only when it is applied.
	 * @param report the call
	 * @param originalInput the input the tool was called with
	 * @param rewrittenInput Runlayer's input
	 * @return whether the caller applies the rewrite
	 */
	boolean rewritten(Report report, Map<String, Object> originalInput, Map<String, Object> rewrittenInput) {
		return decided(report, EnforcementDecision.REWRITE, "arguments rewritten",
				(scope) -> scope.rewritten(originalInput, rewrittenInput));
	}

	/**
	 * Reports an applied output mask (the caller converts the masked output first); the scope hears
	 * {@link EnforcementScope#masked(Object, String)} only when it is applied.
	 * @param report the call
	 * @param originalOutput what the tool returned
	 * @param maskedOutput Runlayer's masked output
	 * @return whether the caller applies the mask
	 */
	boolean masked(Report report, Object originalOutput, String maskedOutput) {
		return decided(report, EnforcementDecision.MASK, "output masked",
				(scope) -> scope.masked(originalOutput, maskedOutput));
	}

	private boolean decided(Report report, EnforcementDecision decision, String reason,
			Consumer<EnforcementScope> whenApplied) {
		boolean applied = !report.policy.monitor() || decision == EnforcementDecision.ALLOW;
		if (applied && whenApplied != null) {
			safeObserve(() -> whenApplied.accept(report.scope));
		}
		safeObserve(() -> report.scope.finished(decision, null));
		publish(report, decision, applied, reason, false);
		if (!applied) {
			logger.info("Runlayer monitor mode: would have applied {} to tool '{}' at {} (session {}): {}",
					decision.tagValue(), report.toolName, report.stage, report.sessionId, (reason != null) ? reason : "-");
		}
		return applied;
	}

	/**
	 * Reports an outage, then lets the call go on (open failure mode, or monitor mode) or blocks it. The reason given
	 * to the caller (and so possibly to a model) is {@code problem}: the SDK's own text and the status, never a
	 * server body.
	 * @throws RunlayerBlockedException with {@code outage() == true} in enforce mode with closed failure mode
	 */
	void outage(Report report, String problem, Throwable cause) {
		boolean blocks = report.policy.failureMode() != EnforcementFailureMode.OPEN;
		boolean applied = !(blocks && report.policy.monitor());
		Throwable error = (cause != null) ? cause : new RunlayerException(problem);
		safeObserve(() -> report.scope.outage(error, !blocks || !applied));
		publish(report, EnforcementDecision.OUTAGE, applied, problem, true);
		if (!blocks) {
			// the log may show the server's (scrubbed, bounded) error excerpt; the reason a caller or model sees not
			logger.warn("Runlayer enforcement outage at {} for tool '{}'; allowing because the failure mode is open: {}",
					report.stage, report.toolName, (cause instanceof HookCallException call) ? call.describe() : problem);
			return;
		}
		if (!applied) {
			logger.info("Runlayer monitor mode: would have blocked tool '{}' at {} (session {}) on an outage: {}",
					report.toolName, report.stage, report.sessionId, problem);
			return;
		}
		throw new RunlayerBlockedException(problem, report.stage, true, cause);
	}

	/**
	 * Reports a tool call the filters (or {@code runlayer.tools.<name>.enforce=false}) skip.
	 */
	void skipped(ToolDescriptor descriptor, String sessionId, String toolUseId, RunlayerMode mode) {
		if (this.observer != RunlayerObserver.NOOP) {
			safeObserve(() -> this.observer.enforcementSkipped(descriptor));
			RunlayerDecision decision = new RunlayerDecision(sessionId, descriptor.toolName(), toolUseId,
					EnforcementStage.PRE_TOOL, EnforcementDecision.SKIPPED, true, mode, null, false, Duration.ZERO);
			safeObserve(() -> this.observer.decided(decision));
		}
	}

	private void publish(Report report, EnforcementDecision decision, boolean applied, String reason, boolean outage) {
		if (this.observer == RunlayerObserver.NOOP) {
			return;
		}
		RunlayerDecision event = new RunlayerDecision(report.sessionId, report.toolName, report.toolUseId,
				report.stage, decision, applied, report.policy.mode(), reason, outage,
				Duration.ofNanos(System.nanoTime() - report.startedNanos));
		safeObserve(() -> this.observer.decided(event));
	}

}
