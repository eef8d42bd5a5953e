package com.runlayer.sdk;

import com.runlayer.sdk.transport.HookCallException;
import com.runlayer.sdk.transport.HookEndpoint;

/**
 * A Runlayer call that was not made because the endpoint's circuit breaker is open after a run of outages. It is an
 * outage like any other: the cause of a {@link RunlayerBlockedException} with {@code outage() == true} in closed
 * failure mode, a pass in open mode.
 */
public final class RunlayerCircuitOpenException extends HookCallException {

	private static final long serialVersionUID = 1L;

	private final transient HookEndpoint endpoint;

	RunlayerCircuitOpenException(HookEndpoint endpoint, String path) {
		super(Kind.TRANSPORT, 0, "Runlayer " + path
				+ " not called: its circuit breaker is open after repeated outages (runlayer.circuit-breaker.*)", null);
		this.endpoint = endpoint;
	}

	/**
	 * The endpoint whose breaker is open.
	 * @return the endpoint
	 */
	public HookEndpoint endpoint() {
		return this.endpoint;
	}

}
