package com.runlayer.spring.boot;

import com.runlayer.sdk.observe.RunlayerDecision;

import org.springframework.context.ApplicationEvent;

/**
 * Published for every enforcement outcome (tool/pre, tool/post, MCP source, and tool calls the filters skip), on the
 * thread that made the call, before the call goes on or is blocked. Listen with {@code @EventListener} for audit
 * logs, UIs and alerting; a listener that throws is logged and ignored (it never changes the decision).
 *
 * <pre>{@code
 * @EventListener
 * void onDecision(RunlayerDecisionEvent event) {
 *     RunlayerDecision d = event.decision();
 *     if (!d.applied()) {
 *         audit.wouldHave(d.sessionId(), d.toolName(), d.decision(), d.reason());
 *     }
 * }
 * }</pre>
 */
public class RunlayerDecisionEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final transient RunlayerDecision decision;

	/**
	 * Creates the event.
	 * @param source the publishing component
	 * @param decision the decision with its full context
	 */
	public RunlayerDecisionEvent(Object source, RunlayerDecision decision) {
		super(source);
		this.decision = decision;
	}

	/**
	 * The decision: session id, tool name, tool use id, stage, decision, applied, mode, reason, outage, duration.
	 * @return the decision
	 */
	public RunlayerDecision decision() {
		return this.decision;
	}

	@Override
	public String toString() {
		return "RunlayerDecisionEvent[" + this.decision + "]";
	}

}
