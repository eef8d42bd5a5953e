package com.runlayer.spring.boot;

import com.runlayer.sdk.observe.RunlayerDecision;
import com.runlayer.sdk.observe.RunlayerObserver;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes each {@link RunlayerDecision} of the client as a {@link RunlayerDecisionEvent}. Registered as a
 * {@link RunlayerObserver} bean by the auto-configuration, so every entry path (annotation, Spring AI, MCP, adapters,
 * direct client calls) publishes.
 */
public final class RunlayerDecisionEventPublisher implements RunlayerObserver {

	private final ApplicationEventPublisher publisher;

	/**
	 * Creates the publisher.
	 * @param publisher the application's event publisher
	 */
	public RunlayerDecisionEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void decided(RunlayerDecision decision) {
		this.publisher.publishEvent(new RunlayerDecisionEvent(this, decision));
	}

}
