package com.runlayer.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.observe.RunlayerDecision;
import com.runlayer.sdk.observe.RunlayerObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans one client's observer calls out to every registered {@link RunlayerObserver}. Decides that an observer
 * never breaks the caller: a failing observer is logged at DEBUG and skipped, and the others still run.
 */
final class CompositeObserver implements RunlayerObserver {

	// the client's logger category, so logging configuration keeps working as before the split
	private static final Logger logger = LoggerFactory.getLogger(RunlayerClient.class);

	private final List<RunlayerObserver> all;

	private CompositeObserver(List<RunlayerObserver> all) {
		this.all = all;
	}

	/**
	 * The observer of a client: {@link RunlayerObserver#NOOP} for none, the observer itself for one, else a
	 * composite.
	 * @param observers the registered observers
	 * @return the observer to call
	 */
	static RunlayerObserver of(List<RunlayerObserver> observers) {
		if (observers.isEmpty()) {
			return RunlayerObserver.NOOP;
		}
		if (observers.size() == 1) {
			return observers.get(0);
		}
		return new CompositeObserver(List.copyOf(observers));
	}

	/**
	 * Runs an observer call, swallowing (and logging at DEBUG) what it throws.
	 * @param action the call
	 */
	static void safeObserve(Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			logger.debug("Runlayer observer failed", ex);
		}
	}

	@Override
	public EnforcementScope enforcementStarted(EnforcementStage stage, ToolDescriptor tool) {
		List<EnforcementScope> scopes = new ArrayList<>(this.all.size());
		for (RunlayerObserver o : this.all) {
			try {
				scopes.add(o.enforcementStarted(stage, tool));
			}
			catch (RuntimeException ex) {
				logger.debug("Runlayer observer failed", ex);
			}
		}
		return new EnforcementScope() {

			@Override
			public void finished(EnforcementDecision decision, Throwable error) {
				scopes.forEach((s) -> safeObserve(() -> s.finished(decision, error)));
			}

			@Override
			public void outage(Throwable error, boolean allowed) {
				scopes.forEach((s) -> safeObserve(() -> s.outage(error, allowed)));
			}

			@Override
			public void rewritten(Map<String, Object> originalInput, Map<String, Object> rewrittenInput) {
				scopes.forEach((s) -> safeObserve(() -> s.rewritten(originalInput, rewrittenInput)));
			}

			@Override
			public void masked(Object originalOutput, String maskedOutput) {
				scopes.forEach((s) -> safeObserve(() -> s.masked(originalOutput, maskedOutput)));
			}

		};
	}

	@Override
	public void enforcementSkipped(ToolDescriptor tool) {
		this.all.forEach((o) -> safeObserve(() -> o.enforcementSkipped(tool)));
	}

	@Override
	public void decided(RunlayerDecision decision) {
		this.all.forEach((o) -> safeObserve(() -> o.decided(decision)));
	}

	@Override
	public void telemetrySent(String eventName) {
		this.all.forEach((o) -> safeObserve(() -> o.telemetrySent(eventName)));
	}

	@Override
	public void telemetryFailed(String eventName, Throwable error) {
		this.all.forEach((o) -> safeObserve(() -> o.telemetryFailed(eventName, error)));
	}

	@Override
	public void telemetryDropped(String eventName) {
		this.all.forEach((o) -> safeObserve(() -> o.telemetryDropped(eventName)));
	}

}
