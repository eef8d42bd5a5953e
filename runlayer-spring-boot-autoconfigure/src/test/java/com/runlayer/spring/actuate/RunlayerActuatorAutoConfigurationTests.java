package com.runlayer.spring.actuate;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.spring.boot.RunlayerAutoConfiguration;
import com.runlayer.spring.boot.RunlayerToolRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class RunlayerActuatorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RunlayerAutoConfiguration.class, RunlayerActuatorAutoConfiguration.class))
		.withPropertyValues("runlayer.base-url=https://tenant.runlayer.com", "runlayer.api-key=rl_test_key");

	@Test
	void endpointIsAbsentUnlessExposed() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(RunlayerClient.class)
			.doesNotHaveBean(RunlayerEndpoint.class));
	}

	@Test
	void endpointIsCreatedWhenExposedOverHttp() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=runlayer")
			.run((context) -> assertThat(context).hasSingleBean(RunlayerEndpoint.class));
	}

	@Test
	void endpointIsAbsentWhenAccessIsNone() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=runlayer",
					"management.endpoint.runlayer.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(RunlayerEndpoint.class));
	}

	@Test
	void healthContributorIsCreatedByDefaultAndObservesTheClient() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RunlayerHealthIndicator.class);
			assertThat(context).hasBean("runlayerHealthIndicator");
		});
	}

	@Test
	void healthContributorCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.health.runlayer.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RunlayerHealthIndicator.class));
	}

	@Test
	void healthThresholdBelowOneFailsStartup() {
		this.runner.withPropertyValues("management.health.runlayer.outage-threshold=0")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void nothingActuatorRelatedWithoutTheActuatorModules() {
		this.runner
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
					"org.springframework.boot.health"))
			.withPropertyValues("management.endpoints.web.exposure.include=runlayer")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(RunlayerClient.class)
				.doesNotHaveBean(RunlayerEndpoint.class)
				.doesNotHaveBean(RunlayerHealthIndicator.class));
	}

	@Test
	void nothingWhenRunlayerIsDisabled() {
		this.runner.withPropertyValues("runlayer.enabled=false", "management.endpoints.web.exposure.include=runlayer")
			.run((context) -> assertThat(context).doesNotHaveBean(RunlayerClient.class)
				.doesNotHaveBean(RunlayerEndpoint.class)
				.doesNotHaveBean(RunlayerHealthIndicator.class)
				.doesNotHaveBean(RunlayerToolRegistry.class));
	}

	@Test
	void toolRegistryIsCreatedWithTheClient() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(RunlayerToolRegistry.class));
	}

}
