package com.runlayer.spring.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerMode;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.observe.RunlayerObserver;
import com.runlayer.sdk.transport.HookEndpoint;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code runlayer} health contributor: {@code UP} while the client is configured and enforcement calls get
 * answers; {@code DOWN} (or {@code OUT_OF_SERVICE}, see {@link RunlayerHealthProperties}) after a configured number
 * of consecutive enforcement outages; {@code UP} again after the next answered call. In monitor mode
 * ({@code runlayer.mode=monitor}) outages never block, so it stays {@code UP} and shows them in the details, with the
 * mode and the state of each endpoint's circuit breaker.
 *
 * <p>Fed by the client as a {@link RunlayerObserver}: it never calls Runlayer itself, so a health probe costs no
 * Runlayer traffic. Denials, blocks and masks are answers, so they count as healthy. Thread-safe; the details never
 * contain a secret. The auto-configured client registers it; a {@code RunlayerClient} bean you build yourself needs
 * {@code builder.observer(healthIndicator)}.
 */
public class RunlayerHealthIndicator implements HealthIndicator, RunlayerObserver {

	private static final int MAX_ERROR_LENGTH = 300;

	private final ObjectProvider<RunlayerClient> client;

	private final int outageThreshold;

	private final Status outageStatus;

	private final AtomicInteger consecutiveOutages = new AtomicInteger();

	private volatile Outcome last;

	private volatile Outcome lastOutage;

	/**
	 * Creates the contributor.
	 * @param client the client, looked up lazily (the client is built with this observer)
	 * @param properties the thresholds
	 */
	public RunlayerHealthIndicator(ObjectProvider<RunlayerClient> client, RunlayerHealthProperties properties) {
		this.client = client;
		this.outageThreshold = properties.outageThreshold();
		this.outageStatus = (properties.outageStatus() == RunlayerHealthProperties.OutageStatus.OUT_OF_SERVICE)
				? Status.OUT_OF_SERVICE : Status.DOWN;
	}

	@Override
	public EnforcementScope enforcementStarted(EnforcementStage stage, ToolDescriptor tool) {
		String toolName = (tool != null) ? tool.toolName() : null;
		return (decision, error) -> record(stage, toolName, decision, error);
	}

	private void record(EnforcementStage stage, String toolName, EnforcementDecision decision, Throwable error) {
		if (decision == null || decision == EnforcementDecision.SKIPPED) {
			return;
		}
		Outcome outcome = new Outcome(stage, toolName, decision, Instant.now(),
				(decision == EnforcementDecision.OUTAGE) ? describe(error) : null);
		this.last = outcome;
		if (decision == EnforcementDecision.OUTAGE) {
			this.lastOutage = outcome;
			this.consecutiveOutages.incrementAndGet();
		}
		else {
			this.consecutiveOutages.set(0);
		}
	}

	@Override
	public Health health() {
		RunlayerClient runlayer = this.client.getIfAvailable();
		if (runlayer == null) {
			return Health.unknown().withDetail("configured", false).build();
		}
		int outages = this.consecutiveOutages.get();
		// monitor mode never blocks on an outage, so the service stays UP while the details show the outages
		boolean monitor = runlayer.mode() == RunlayerMode.MONITOR;
		Health.Builder builder = (outages >= this.outageThreshold && !monitor) ? Health.status(this.outageStatus)
				: Health.up();
		Map<String, String> breakers = new LinkedHashMap<>();
		for (HookEndpoint endpoint : new HookEndpoint[] { HookEndpoint.TOOL_PRE, HookEndpoint.TOOL_POST,
				HookEndpoint.EVENTS, HookEndpoint.MCP_SOURCE }) {
			breakers.put(endpoint.name(), runlayer.circuitState(endpoint).name());
		}
		builder.withDetail("configured", true)
			.withDetail("mode", runlayer.mode().name())
			.withDetail("baseUrl", runlayer.baseUrl())
			.withDetail("authMode", runlayer.authMode().name())
			.withDetail("enforcementFailureMode", runlayer.enforcementFailureMode().name())
			.withDetail("consecutiveOutages", outages)
			.withDetail("outageThreshold", this.outageThreshold)
			.withDetail("circuitBreakers", breakers);
		Outcome lastCall = this.last;
		if (lastCall != null) {
			builder.withDetail("lastEnforcement", lastCall.toMap());
		}
		Outcome outage = this.lastOutage;
		if (outage != null) {
			builder.withDetail("lastOutage", outage.toMap());
		}
		return builder.build();
	}

	private static String describe(Throwable error) {
		if (error == null) {
			return null;
		}
		// SDK exception messages are secret-free by contract (transport scrubs response excerpts).
		String message = (error.getMessage() != null) ? error.getMessage() : error.getClass().getSimpleName();
		return (message.length() > MAX_ERROR_LENGTH) ? message.substring(0, MAX_ERROR_LENGTH) + "…" : message;
	}

	private record Outcome(EnforcementStage stage, String toolName, EnforcementDecision decision, Instant at,
			String error) {

		Map<String, Object> toMap() {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("decision", this.decision.name());
			if (this.stage != null) {
				map.put("stage", this.stage.name());
			}
			if (this.toolName != null) {
				map.put("tool", this.toolName);
			}
			map.put("at", this.at.toString());
			if (this.error != null) {
				map.put("error", this.error);
			}
			return map;
		}

	}

}
