package com.runlayer.spring.boot;

import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import com.runlayer.spring.actuate.DefaultRunlayerObservationConvention;
import com.runlayer.spring.actuate.RunlayerEventQueueMetrics;
import com.runlayer.spring.actuate.RunlayerMicrometerObserver;
import com.runlayer.spring.actuate.RunlayerObservationConvention;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

class RunlayerMetricsAutoConfigurationTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RunlayerAutoConfiguration.class, RunlayerMetricsAutoConfiguration.class))
		.withPropertyValues("runlayer.base-url=" + wm.baseUrl(), "runlayer.api-key=rl_test_key",
				"runlayer.allow-insecure-transport=true");

	@Test
	void observesEnforcementThroughTheAutoConfiguredClientWhenAnObservationRegistryExists() {
		wm.stubFor(post("/api/v1/hooks/tool/pre").willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post("/api/v1/hooks/tool/post").willReturn(okJson("{\"blocked\":false}")));
		TestObservationRegistry observations = TestObservationRegistry.create();
		this.runner.withBean(ObservationRegistry.class, () -> observations)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(RunlayerMicrometerObserver.class)
					.hasSingleBean(RunlayerEventQueueMetrics.class);
				context.getBean(RunlayerClient.class)
					.runTool(ToolCall.builder().sessionId("s1").toolName("Bash").toolType("shell")
						.toolInput(Map.of("command", "ls")).build(), (in) -> "ok");
				assertThat(observations).hasNumberOfObservationsWithNameEqualTo("runlayer.enforcement", 2)
					.hasAnObservationWithAKeyValue("runlayer.decision", "allow");
			});
	}

	@Test
	void anApplicationObservationConventionBeanReplacesTheDefault() {
		wm.stubFor(post("/api/v1/hooks/tool/pre").willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post("/api/v1/hooks/tool/post").willReturn(okJson("{\"blocked\":false}")));
		TestObservationRegistry observations = TestObservationRegistry.create();
		this.runner.withBean(ObservationRegistry.class, () -> observations)
			.withBean(RunlayerObservationConvention.class, () -> new DefaultRunlayerObservationConvention("acme.guard"))
			.run((context) -> {
				context.getBean(RunlayerClient.class)
					.runTool(ToolCall.builder().sessionId("s1").toolName("Bash").toolType("shell")
						.toolInput(Map.of("command", "ls")).build(), (in) -> "ok");
				assertThat(observations).hasNumberOfObservationsWithNameEqualTo("acme.guard", 2)
					.hasNumberOfObservationsEqualTo(2);
			});
	}

	@Test
	void withOnlyAMeterRegistryThereAreCountersButNoPrivateObservationRegistry() {
		wm.stubFor(post("/api/v1/hooks/tool/pre").willReturn(okJson("{\"permission\":\"deny\"}")));
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(RunlayerMicrometerObserver.class);
			try {
				context.getBean(RunlayerClient.class)
					.runTool(ToolCall.builder().sessionId("s1").toolName("Bash").build(), (in) -> "ran");
			}
			catch (RuntimeException expected) {
				// denied
			}
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find("runlayer.enforcement").timers()).isEmpty();
		});
	}

	@Test
	void queueGaugeReportsTheConfiguredCapacity() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("runlayer.events.queue-capacity=3")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				context.getBean(RunlayerEventQueueMetrics.class).bindTo(meters);
				assertThat(context.getBean(RunlayerClient.class).eventDispatcher().capacity()).isEqualTo(3);
				assertThat(meters.get(RunlayerEventQueueMetrics.QUEUE_CAPACITY).gauge().value()).isEqualTo(3);
				assertThat(meters.get(RunlayerEventQueueMetrics.QUEUE_SIZE).gauge().value()).isZero();
			});
	}

	@Test
	void backsOffWithoutAnyRegistry() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(RunlayerClient.class)
			.doesNotHaveBean(RunlayerMicrometerObserver.class)
			.doesNotHaveBean(RunlayerEventQueueMetrics.class));
	}

	@Test
	void backsOffWithoutMicrometerOnTheClasspath() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.run((context) -> assertThat(context).hasSingleBean(RunlayerClient.class)
				.doesNotHaveBean(RunlayerMicrometerObserver.class));
	}

	@Test
	void backsOffWhenRunlayerIsDisabled() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("runlayer.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RunlayerClient.class)
				.doesNotHaveBean(RunlayerMicrometerObserver.class)
				.doesNotHaveBean(RunlayerEventQueueMetrics.class));
	}

	@Test
	void keepsAUserDefinedObserver() {
		RunlayerMicrometerObserver own = new RunlayerMicrometerObserver(null, null);
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(RunlayerMicrometerObserver.class, () -> own)
			.run((context) -> assertThat(context.getBean(RunlayerMicrometerObserver.class)).isSameAs(own));
	}

	@Test
	void rejectsAQueueCapacityBelowOne() {
		this.runner.withPropertyValues("runlayer.events.queue-capacity=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("runlayer.events.queue-capacity"));
	}

}
