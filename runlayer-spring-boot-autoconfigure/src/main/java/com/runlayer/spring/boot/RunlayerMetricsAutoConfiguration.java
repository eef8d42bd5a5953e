package com.runlayer.spring.boot;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.spring.actuate.RunlayerCircuitBreakerMetrics;
import com.runlayer.spring.actuate.RunlayerEventQueueMetrics;
import com.runlayer.spring.actuate.RunlayerMicrometerObserver;
import com.runlayer.spring.actuate.RunlayerObservationConvention;
import com.runlayer.spring.actuate.RunlayerTokenCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Auto-configuration of Runlayer metrics and traces when Micrometer is present and the application has a
 * {@link MeterRegistry} or an {@link ObservationRegistry}: the {@link RunlayerMicrometerObserver} (picked up by the
 * client as a {@code RunlayerObserver}; its observations use a {@link RunlayerObservationConvention} bean when there
 * is one), the event queue gauges and the per-user token cache figures.
 */
@AutoConfiguration(after = RunlayerAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(name = { "io.micrometer.observation.ObservationRegistry",
		"io.micrometer.core.instrument.MeterRegistry" })
@ConditionalOnBooleanProperty(name = "runlayer.enabled", matchIfMissing = true)
@Conditional(RunlayerMetricsAutoConfiguration.OnMeterOrObservationRegistry.class)
public final class RunlayerMetricsAutoConfiguration {

	// Observations go to the application's ObservationRegistry only: without one there are no enforcement
	// observations (and no timer), only the telemetry counters.
	@Bean
	@ConditionalOnMissingBean
	RunlayerMicrometerObserver runlayerMicrometerObserver(ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<RunlayerObservationConvention> convention) {
		return new RunlayerMicrometerObserver(observationRegistry.getIfUnique(), meterRegistry.getIfUnique(),
				convention.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ MeterRegistry.class, RunlayerClient.class })
	RunlayerEventQueueMetrics runlayerEventQueueMetrics(RunlayerClient runlayerClient) {
		return new RunlayerEventQueueMetrics(runlayerClient);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ MeterRegistry.class, RunlayerClient.class })
	RunlayerCircuitBreakerMetrics runlayerCircuitBreakerMetrics(RunlayerClient runlayerClient) {
		return new RunlayerCircuitBreakerMetrics(runlayerClient);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ MeterRegistry.class, RunlayerClient.class })
	RunlayerTokenCacheMetrics runlayerTokenCacheMetrics(RunlayerClient runlayerClient) {
		return new RunlayerTokenCacheMetrics(runlayerClient);
	}

	static final class OnMeterOrObservationRegistry extends AnyNestedCondition {

		OnMeterOrObservationRegistry() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(MeterRegistry.class)
		static final class HasMeterRegistry {

		}

		@ConditionalOnBean(ObservationRegistry.class)
		static final class HasObservationRegistry {

		}

	}

}
