package com.runlayer.spring.actuate;

import java.util.Locale;

import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.spring.actuate.RunlayerObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@link RunlayerObservationConvention}: the observation is named {@value #DEFAULT_NAME}, its contextual
 * (span) name is {@code runlayer <stage> <tool>}, and its low-cardinality keys are {@code runlayer.stage},
 * {@code runlayer.decision}, {@code runlayer.outcome}, {@code runlayer.tool.type} and the tool name under Spring AI's
 * {@code spring.ai.tool.definition.name}. Values not known yet (while the call runs) are {@value #NONE}.
 */
public class DefaultRunlayerObservationConvention implements RunlayerObservationConvention {

	/** The default observation name (and of the timer a meter handler makes of it). */
	public static final String DEFAULT_NAME = "runlayer.enforcement";

	/** The value of a key that is not known. */
	public static final String NONE = "none";

	private final String name;

	/**
	 * Creates the convention with the default name.
	 */
	public DefaultRunlayerObservationConvention() {
		this(DEFAULT_NAME);
	}

	/**
	 * Creates the convention with another observation name.
	 * @param name the observation name
	 */
	public DefaultRunlayerObservationConvention(String name) {
		this.name = name;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public String getContextualName(RunlayerObservationContext context) {
		String tool = context.getTool().toolName();
		return "runlayer " + stage(context).getValue() + ((tool != null && !tool.isBlank()) ? " " + tool : "");
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(RunlayerObservationContext context) {
		return KeyValues.of(stage(context), decision(context), outcome(context), toolName(context), toolType(context));
	}

	/**
	 * The {@code runlayer.stage} key value.
	 * @param context the context
	 * @return the key value
	 */
	protected KeyValue stage(RunlayerObservationContext context) {
		return KeyValue.of(LowCardinalityKeyNames.STAGE, context.getStage().name().toLowerCase(Locale.ROOT));
	}

	/**
	 * The {@code runlayer.decision} key value.
	 * @param context the context
	 * @return the key value
	 */
	protected KeyValue decision(RunlayerObservationContext context) {
		EnforcementDecision decision = context.getDecision();
		return KeyValue.of(LowCardinalityKeyNames.DECISION, (decision != null) ? decision.tagValue() : NONE);
	}

	/**
	 * The {@code runlayer.outcome} key value.
	 * @param context the context
	 * @return the key value
	 */
	protected KeyValue outcome(RunlayerObservationContext context) {
		Boolean allowed = context.getAllowed();
		return KeyValue.of(LowCardinalityKeyNames.OUTCOME,
				(allowed == null) ? NONE : (allowed ? "allowed" : "blocked"));
	}

	/**
	 * The tool name key value ({@code spring.ai.tool.definition.name}).
	 * @param context the context
	 * @return the key value
	 */
	protected KeyValue toolName(RunlayerObservationContext context) {
		String tool = context.getTool().toolName();
		return KeyValue.of(LowCardinalityKeyNames.TOOL_NAME, (tool != null && !tool.isBlank()) ? tool : NONE);
	}

	/**
	 * The {@code runlayer.tool.type} key value.
	 * @param context the context
	 * @return the key value
	 */
	protected KeyValue toolType(RunlayerObservationContext context) {
		String type = context.getTool().toolType();
		return KeyValue.of(LowCardinalityKeyNames.TOOL_TYPE, (type != null && !type.isBlank()) ? type : NONE);
	}

}
