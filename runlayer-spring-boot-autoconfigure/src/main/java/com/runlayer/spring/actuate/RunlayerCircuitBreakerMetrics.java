package com.runlayer.spring.actuate;

import com.runlayer.sdk.CircuitState;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.transport.HookEndpoint;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the state of the client's circuit breakers: {@value #STATE} tagged {@code endpoint} ({@code tool_pre},
 * {@code tool_post}, {@code events}, {@code mcp_source}) and {@code state} ({@code closed}, {@code open},
 * {@code half_open}), 1 for the current state and 0 for the others. Not bound when the breakers are disabled.
 */
public final class RunlayerCircuitBreakerMetrics implements MeterBinder {

	/** Gauge of each endpoint's breaker state. */
	public static final String STATE = "runlayer.circuit-breaker.state";

	private final RunlayerClient client;

	/**
	 * Creates the binder.
	 * @param client the client whose breakers are measured
	 */
	public RunlayerCircuitBreakerMetrics(RunlayerClient client) {
		this.client = client;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (!this.client.circuitBreaker().enabled()) {
			return;
		}
		for (HookEndpoint endpoint : HookEndpoint.values()) {
			if (endpoint == HookEndpoint.OAUTH_TOKEN) {
				continue;
			}
			for (CircuitState state : new CircuitState[] { CircuitState.CLOSED, CircuitState.OPEN,
					CircuitState.HALF_OPEN }) {
				Gauge.builder(STATE, this.client, (c) -> (c.circuitState(endpoint) == state) ? 1 : 0)
					.description("State of the Runlayer circuit breaker of an endpoint (1 = current state)")
					.tag("endpoint", endpoint.name().toLowerCase(java.util.Locale.ROOT))
					.tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
					.strongReference(true)
					.register(registry);
			}
		}
	}

}
