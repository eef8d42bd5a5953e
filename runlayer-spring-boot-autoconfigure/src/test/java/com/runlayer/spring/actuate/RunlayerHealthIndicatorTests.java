package com.runlayer.spring.actuate;

import java.util.Map;

import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.observe.EnforcementDecision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

class RunlayerHealthIndicatorTests {

	private final RunlayerClient client = RunlayerClient.builder()
		.baseUrl("https://tenant.runlayer.com")
		.apiKey("rl_health_unit_secret")
		.build();

	@AfterEach
	void close() {
		this.client.close();
	}

	@Test
	void upBeforeAnyEnforcementCall() {
		Health health = indicator(3, RunlayerHealthProperties.OutageStatus.DOWN).health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("configured", true).containsEntry("consecutiveOutages", 0);
		assertThat(health.toString()).doesNotContain("rl_health_unit_secret");
	}

	@Test
	void reportsOutOfServiceWhenConfiguredAndIgnoresSkippedCalls() {
		RunlayerHealthIndicator indicator = indicator(2, RunlayerHealthProperties.OutageStatus.OUT_OF_SERVICE);

		finish(indicator, EnforcementDecision.OUTAGE);
		finish(indicator, EnforcementDecision.SKIPPED);
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		finish(indicator, EnforcementDecision.OUTAGE);
		assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		finish(indicator, EnforcementDecision.BLOCK);
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void unknownWithoutAClient() {
		RunlayerHealthIndicator indicator = new RunlayerHealthIndicator(
				new StaticListableBeanFactory().getBeanProvider(RunlayerClient.class),
				new RunlayerHealthProperties(3, RunlayerHealthProperties.OutageStatus.DOWN));

		assertThat(indicator.health().getStatus()).isEqualTo(Status.UNKNOWN);
	}

	private static void finish(RunlayerHealthIndicator indicator, EnforcementDecision decision) {
		indicator.enforcementStarted(EnforcementStage.PRE_TOOL, ToolDescriptor.of("lookup_ticket"))
			.finished(decision, (decision == EnforcementDecision.OUTAGE) ? new RunlayerException("unreachable") : null);
	}

	private RunlayerHealthIndicator indicator(int threshold, RunlayerHealthProperties.OutageStatus status) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("runlayerClient", this.client));
		return new RunlayerHealthIndicator(beans.getBeanProvider(RunlayerClient.class),
				new RunlayerHealthProperties(threshold, status));
	}

}
