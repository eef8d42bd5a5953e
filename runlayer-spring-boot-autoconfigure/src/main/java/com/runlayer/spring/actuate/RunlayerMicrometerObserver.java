package com.runlayer.spring.actuate;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.observe.RunlayerDecision;
import com.runlayer.sdk.observe.RunlayerObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Reports Runlayer enforcement and telemetry to Micrometer: one {@link Observation} named
 * {@value #ENFORCEMENT_OBSERVATION} per enforcement call (and per skipped tool call), and counters of best-effort
 * and strict events sent, failed and dropped.
 *
 * <p>The observation is started on the caller's thread, so with Micrometer Tracing it becomes a child of the
 * observation current there (Spring AI's {@code spring.ai.tool} span). Its low-cardinality keys are
 * {@value #STAGE} ({@code pre_tool}, {@code post_tool}, {@code mcp_source}), {@value #DECISION} (allow, rewrite,
 * deny, block, mask, outage, skipped; an outage is never reported as an allow, whatever the failure mode) and
 * {@value #TOOL_TYPE}; the tool name is the high-cardinality key {@value #TOOL_NAME}. An outage also records its
 * cause as the observation's error.
 *
 * <p>Thread-safe; never throws from a callback.
 */
public final class RunlayerMicrometerObserver implements RunlayerObserver {

	/** The name of the enforcement observation (and of the timer a meter handler makes of it). */
	public static final String ENFORCEMENT_OBSERVATION = "runlayer.enforcement";

	/** Low-cardinality key: the enforcement stage. */
	public static final String STAGE = "stage";

	/** Low-cardinality key: the outcome ({@link EnforcementDecision#tagValue()}). */
	public static final String DECISION = "decision";

	/** Low-cardinality key: the tool type. */
	public static final String TOOL_TYPE = "tool.type";

	/** High-cardinality key: the tool name. */
	public static final String TOOL_NAME = "tool.name";

	/** Counter of delivered events, tagged {@value #EVENT}. */
	public static final String TELEMETRY_SENT = "runlayer.telemetry.sent";

	/** Counter of failed events, tagged {@value #EVENT}. */
	public static final String TELEMETRY_FAILED = "runlayer.telemetry.failed";

	/** Counter of best-effort events dropped by a full queue or a closing client, tagged {@value #EVENT}. */
	public static final String TELEMETRY_DROPPED = "runlayer.telemetry.dropped";

	/** Counter of enforcement outcomes, tagged {@value #DECISION}, {@value #STAGE} and {@value #APPLIED}. */
	public static final String DECISIONS = "runlayer.decisions";

	/** Counter tag: whether the decision took effect ({@code false} when monitor mode only reported it). */
	public static final String APPLIED = "applied";

	/** Counter tag: the event name. */
	public static final String EVENT = "event";

	private static final String UNKNOWN_TOOL_TYPE = "none";

	private static final String[] STAGE_TAGS = stageTags();

	private final ObservationRegistry observations;

	private final MeterRegistry meters;

	private final Map<String, Counter> sent = new ConcurrentHashMap<>();

	private final Map<String, Counter> failed = new ConcurrentHashMap<>();

	private final Map<String, Counter> dropped = new ConcurrentHashMap<>();

	/**
	 * Creates the observer.
	 * @param observations where enforcement observations go; null for none
	 * @param meters where the telemetry counters go; null for none
	 */
	public RunlayerMicrometerObserver(ObservationRegistry observations, MeterRegistry meters) {
		this.observations = (observations != null) ? observations : ObservationRegistry.NOOP;
		this.meters = meters;
	}

	@Override
	public EnforcementScope enforcementStarted(EnforcementStage stage, ToolDescriptor tool) {
		Observation observation = observation(stage, tool).start();
		return (decision, error) -> {
			observation.lowCardinalityKeyValue(DECISION, decision.tagValue());
			if (error != null) {
				observation.error(error);
			}
			observation.stop();
		};
	}

	@Override
	public void enforcementSkipped(ToolDescriptor tool) {
		observation(EnforcementStage.PRE_TOOL, tool).lowCardinalityKeyValue(DECISION, EnforcementDecision.SKIPPED.tagValue())
			.start()
			.stop();
	}

	@Override
	public void decided(RunlayerDecision decision) {
		if (this.meters == null) {
			return;
		}
		String stage = (decision.stage() != null) ? STAGE_TAGS[decision.stage().ordinal()] : "none";
		Counter.builder(DECISIONS)
			.description("Runlayer enforcement outcomes; applied=false counts what monitor mode only reported")
			.tag(DECISION, decision.decision().tagValue())
			.tag(STAGE, stage)
			.tag(APPLIED, Boolean.toString(decision.applied()))
			.register(this.meters)
			.increment();
	}

	@Override
	public void telemetrySent(String eventName) {
		increment(this.sent, TELEMETRY_SENT, eventName);
	}

	@Override
	public void telemetryFailed(String eventName, Throwable error) {
		increment(this.failed, TELEMETRY_FAILED, eventName);
	}

	@Override
	public void telemetryDropped(String eventName) {
		increment(this.dropped, TELEMETRY_DROPPED, eventName);
	}

	private Observation observation(EnforcementStage stage, ToolDescriptor tool) {
		String stageTag = STAGE_TAGS[stage.ordinal()];
		String toolType = (tool.toolType() != null && !tool.toolType().isBlank()) ? tool.toolType()
				: UNKNOWN_TOOL_TYPE;
		return Observation.createNotStarted(ENFORCEMENT_OBSERVATION, this.observations)
			.contextualName("runlayer " + stageTag)
			.lowCardinalityKeyValue(STAGE, stageTag)
			.lowCardinalityKeyValue(TOOL_TYPE, toolType)
			.highCardinalityKeyValue(TOOL_NAME, (tool.toolName() != null) ? tool.toolName() : "");
	}

	private void increment(Map<String, Counter> counters, String name, String eventName) {
		if (this.meters == null) {
			return;
		}
		String event = (eventName != null) ? eventName : "unknown";
		counters.computeIfAbsent(event, (e) -> Counter.builder(name).tag(EVENT, e).register(this.meters)).increment();
	}

	private static String[] stageTags() {
		EnforcementStage[] stages = EnforcementStage.values();
		String[] tags = new String[stages.length];
		for (EnforcementStage stage : stages) {
			tags[stage.ordinal()] = stage.name().toLowerCase(Locale.ROOT);
		}
		return tags;
	}

}
