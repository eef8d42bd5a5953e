package com.runlayer.spring.boot;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerPayloadRedactor;
import com.runlayer.sdk.auth.RunlayerSubjectResolver;
import com.runlayer.sdk.enforcement.ToolEnforcementOptions;
import com.runlayer.sdk.enforcement.ToolEnforcementPredicate;
import com.runlayer.sdk.observe.RunlayerObserver;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link RunlayerClient} from {@code runlayer.*} properties and the {@code RUNLAYER_*}
 * environment variables. Switched off by {@code runlayer.enabled=false}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnBooleanProperty(name = "runlayer.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RunlayerProperties.class)
public final class RunlayerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RunlayerClient runlayerClient(RunlayerProperties properties, ObjectProvider<RunlayerClientCustomizer> customizers,
			ObjectProvider<ToolEnforcementPredicate> predicates, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<SslBundles> sslBundles, ObjectProvider<RunlayerObserver> observers,
			ObjectProvider<RunlayerPayloadRedactor> redactor, ObjectProvider<RunlayerSubjectResolver> subjectResolver) {
		RunlayerClient.Builder builder = RunlayerClientFactory.builder(properties, predicates.orderedStream().toList(),
				sslBundles.getIfAvailable());
		RunlayerClientFactory.subjectResolver(builder, properties, subjectResolver.getIfAvailable());
		JsonMapper mapper = jsonMapper.getIfAvailable();
		if (mapper != null) {
			builder.jsonMapper(mapper);
		}
		observers.orderedStream().forEach(builder::observer);
		// several redactors without a @Primary one fail the startup: skipping them all would send every payload
		// unredacted
		redactor.ifAvailable(builder::payloadRedactor);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	RunlayerToolRegistry runlayerToolRegistry() {
		return new RunlayerToolRegistry();
	}

	@Bean
	RunlayerDecisionEventPublisher runlayerDecisionEventPublisher(ApplicationEventPublisher publisher) {
		return new RunlayerDecisionEventPublisher(publisher);
	}

	@Bean
	RunlayerToolSettingsCheck runlayerToolSettingsCheck(RunlayerProperties properties,
			ObjectProvider<RunlayerToolRegistry> registry) {
		return new RunlayerToolSettingsCheck(properties.tools().keySet(), registry);
	}

	/**
	 * The filter options the properties describe.
	 * @param properties the properties
	 * @param predicates the custom predicates
	 * @return the options
	 */
	static ToolEnforcementOptions toolEnforcement(RunlayerProperties properties,
			Iterable<ToolEnforcementPredicate> predicates) {
		ToolEnforcementOptions.Builder builder = ToolEnforcementOptions.builder()
			.ignoredMcpServerNames(properties.toolEnforcement().ignoredMcpServerNames())
			.ignoredToolNames(properties.toolEnforcement().ignoredToolNames())
			.skipRunlayerMcpProxyUrls(properties.toolEnforcement().skipRunlayerMcpProxyUrls())
			.skipRunlayerSelfMcp(properties.toolEnforcement().skipRunlayerSelfMcp());
		predicates.forEach(builder::predicate);
		return builder.build();
	}

}
