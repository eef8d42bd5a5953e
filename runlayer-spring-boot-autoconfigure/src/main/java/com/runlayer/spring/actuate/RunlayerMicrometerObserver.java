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
 * Reports Runlayer enforcement and telemetry to Micrometer: one
 * {@link RunlayerObservationDocumentation#ENFORCEMENT enforcement observation} per enforcement call that goes to
 * Runlayer (none for a tool call the filters skip), and counters of best-effort and strict events sent, failed and
 * dropped.
 *
 * <p>The observation goes to the application's {@link ObservationRegistry} and is started on the caller's thread, so
 * it nests under the observation current there (Spring AI's {@code spring.ai.tool}). Its name and key values come
 * from a {@link RunlayerObservationConvention}, by default {@link DefaultRunlayerObservationConvention}. An outage
 * also records its cause as the observation's error.
 *
 * <p>Thread-safe; never throws from a callback.
 */
public final class RunlayerMicrometerObserver implements RunlayerObserver {

	/** The default name of the enforcement observation (and of the timer a meter handler makes of it). */
	public static final String ENFORCEMENT_OBSERVATION = DefaultRunlayerObservationConvention.DEFAULT_NAME;

	/** Counter of delivered events, tagged {@value #EVENT}. */
	public static final String TELEMETRY_SENT = "runlayer.telemetry.sent";

	/** Counter of failed events, tagged {@value #EVENT}. */
	public static final String TELEMETRY_FAILED = "runlayer.telemetry.failed";

	/** Counter of best-effort events dropped by a full queue or a closing client, tagged {@value #EVENT}. */
	public static final String TELEMETRY_DROPPED = "runlayer.telemetry.dropped";

	/** Counter of enforcement outcomes, tagged {@value #DECISION}, {@value #STAGE} and {@value #APPLIED}. */
	public static final String DECISIONS = "runlayer.decisions";

	/** Counter tag: the decision ({@code allow}, {@code deny}, ..., {@code skipped}). */
	public static final String DECISION = "decision";

	/** Counter tag: the stage ({@code pre_tool}, {@code post_tool}, {@code mcp_source}). */
	public static final String STAGE = "stage";

	/** Counter tag: whether the decision took effect ({@code false} when monitor mode only reported it). */
	public static final String APPLIED = "applied";

	/** Counter tag: the event name. */
	public static final String EVENT = "event";

	private static final DefaultRunlayerObservationConvention DEFAULT_CONVENTION = new DefaultRunlayerObservationConvention();

	private final ObservationRegistry observations;

	private final RunlayerObservationConvention convention;

	private final MeterRegistry meters;

	private final Map<String, Counter> sent = new ConcurrentHashMap<>();

	private final Map<String, Counter> failed = new ConcurrentHashMap<>();

	private final Map<String, Counter> dropped = new ConcurrentHashMap<>();

	/**
	 * Creates the observer with the default convention.
	 * @param observations where enforcement observations go; null for none
	 * @param meters where the telemetry counters go; null for none
	 */
	public RunlayerMicrometerObserver(ObservationRegistry observations, MeterRegistry meters) {
		this(observations, meters, null);
	}

	/**
	 * Creates the observer.
	 * @param observations where enforcement observations go; null for none
	 * @param meters where the telemetry counters go; null for none
	 * @param convention the convention that replaces {@link DefaultRunlayerObservationConvention}; null for the
	 * default
	 */
	public RunlayerMicrometerObserver(ObservationRegistry observations, MeterRegistry meters,
			RunlayerObservationConvention convention) {
		this.observations = (observations != null) ? observations : ObservationRegistry.NOOP;
		this.meters = meters;
		this.convention = convention;
	}

	@Override
	public EnforcementScope enforcementStarted(EnforcementStage stage, ToolDescriptor tool) {
		RunlayerObservationContext context = new RunlayerObservationContext(stage, tool);
		Observation observation = RunlayerObservationDocumentation.ENFORCEMENT
			.observation(this.convention, DEFAULT_CONVENTION, () -> context, this.observations)
			.start();
		return new EnforcementScope() {

			@Override
			public void finished(EnforcementDecision decision, Throwable error) {
				stop(decision, decision != EnforcementDecision.DENY && decision != EnforcementDecision.BLOCK
						&& decision != EnforcementDecision.OUTAGE, error);
			}

			@Override
			public void outage(Throwable error, boolean allowed) {
				stop(EnforcementDecision.OUTAGE, allowed, error);
			}

			private void stop(EnforcementDecision decision, boolean allowed, Throwable error) {
				context.finish(decision, allowed);
				if (error != null) {
					observation.error(error);
				}
				observation.stop();
			}

		};
	}

	@Override
	public void decided(RunlayerDecision decision) {
		if (this.meters == null) {
			return;
		}
		String stage = (decision.stage() != null) ? decision.stage().name().toLowerCase(Locale.ROOT) : "none";
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

	private void increment(Map<String, Counter> counters, String name, String eventName) {
		if (this.meters == null) {
			return;
		}
		String event = (eventName != null) ? eventName : "unknown";
		counters.computeIfAbsent(event, (e) -> Counter.builder(name).tag(EVENT, e).register(this.meters)).increment();
	}

}
