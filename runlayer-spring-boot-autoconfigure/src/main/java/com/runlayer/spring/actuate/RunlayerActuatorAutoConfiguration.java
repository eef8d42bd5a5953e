package com.runlayer.spring.actuate;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.spring.boot.RunlayerAutoConfiguration;
import com.runlayer.spring.boot.RunlayerToolRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator support for Runlayer, each part only when its Spring Boot module is on the classpath: the
 * {@code runlayer} endpoint ({@link RunlayerEndpoint}, when available and exposed) and the {@code runlayer} health
 * contributor ({@link RunlayerHealthIndicator}, unless {@code management.health.runlayer.enabled=false}). Needs the
 * {@link RunlayerClient} bean of {@link RunlayerAutoConfiguration}.
 */
@AutoConfiguration(after = RunlayerAutoConfiguration.class)
@ConditionalOnBean(RunlayerClient.class)
public final class RunlayerActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
			"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
	static class RunlayerEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		RunlayerEndpoint runlayerEndpoint(RunlayerClient client, ObjectProvider<RunlayerToolRegistry> registry) {
			return new RunlayerEndpoint(client, registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.health.contributor.HealthIndicator",
			"org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator" })
	@EnableConfigurationProperties(RunlayerHealthProperties.class)
	static class RunlayerHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "runlayerHealthIndicator")
		@ConditionalOnEnabledHealthIndicator("runlayer")
		RunlayerHealthIndicator runlayerHealthIndicator(ObjectProvider<RunlayerClient> client,
				RunlayerHealthProperties properties) {
			return new RunlayerHealthIndicator(client, properties);
		}

	}

}
