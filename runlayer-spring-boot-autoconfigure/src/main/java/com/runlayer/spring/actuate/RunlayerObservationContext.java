package com.runlayer.spring.actuate;

import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.observe.EnforcementDecision;
import io.micrometer.observation.Observation;

/**
 * The context of one {@link RunlayerObservationDocumentation#ENFORCEMENT enforcement} observation: the stage and the
 * tool when it starts, the decision and the outcome when it ends.
 *
 * <p>Filled in by {@link RunlayerMicrometerObserver}; read by a {@link RunlayerObservationConvention}.
 */
public final class RunlayerObservationContext extends Observation.Context {

	private final EnforcementStage stage;

	private final ToolDescriptor tool;

	private volatile EnforcementDecision decision;

	private volatile Boolean allowed;

	/**
	 * Creates the context of an enforcement call that starts.
	 * @param stage the enforcement stage
	 * @param tool the tool being enforced
	 */
	public RunlayerObservationContext(EnforcementStage stage, ToolDescriptor tool) {
		this.stage = stage;
		this.tool = tool;
	}

	/**
	 * The enforcement stage.
	 * @return the stage
	 */
	public EnforcementStage getStage() {
		return this.stage;
	}

	/**
	 * The tool being enforced.
	 * @return the tool
	 */
	public ToolDescriptor getTool() {
		return this.tool;
	}

	/**
	 * What Runlayer decided.
	 * @return the decision, or null while the call is in progress
	 */
	public EnforcementDecision getDecision() {
		return this.decision;
	}

	/**
	 * Whether the tool call goes on (or its output is returned) after this enforcement call.
	 * @return true or false, or null while the call is in progress
	 */
	public Boolean getAllowed() {
		return this.allowed;
	}

	/**
	 * Records how the call ended.
	 * @param decision what Runlayer decided
	 * @param allowed whether the tool call goes on
	 */
	public void finish(EnforcementDecision decision, boolean allowed) {
		this.decision = decision;
		this.allowed = allowed;
	}

}
