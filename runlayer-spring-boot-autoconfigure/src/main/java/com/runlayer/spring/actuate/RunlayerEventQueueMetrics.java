package com.runlayer.spring.actuate;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.events.EventDispatcher;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds gauges of the client's best-effort event dispatcher: {@value #QUEUE_SIZE} (events accepted and not yet
 * delivered or failed) and {@value #QUEUE_CAPACITY}.
 *
 * <p>Thread-safe.
 */
public final class RunlayerEventQueueMetrics implements MeterBinder {

	/** Gauge of the dispatcher backlog. */
	public static final String QUEUE_SIZE = "runlayer.telemetry.queue.size";

	/** Gauge of the dispatcher capacity. */
	public static final String QUEUE_CAPACITY = "runlayer.telemetry.queue.capacity";

	private final EventDispatcher dispatcher;

	/**
	 * Creates the binder.
	 * @param client the client whose dispatcher is measured
	 */
	public RunlayerEventQueueMetrics(RunlayerClient client) {
		this.dispatcher = client.eventDispatcher();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(QUEUE_SIZE, this.dispatcher, EventDispatcher::queueSize)
			.description("Runlayer events accepted and not yet delivered or failed")
			.baseUnit("events")
			.strongReference(true)
			.register(registry);
		Gauge.builder(QUEUE_CAPACITY, this.dispatcher, EventDispatcher::capacity)
			.description("Bound of the Runlayer event queue; beyond it the newest event is dropped")
			.baseUnit("events")
			.strongReference(true)
			.register(registry);
	}

}
