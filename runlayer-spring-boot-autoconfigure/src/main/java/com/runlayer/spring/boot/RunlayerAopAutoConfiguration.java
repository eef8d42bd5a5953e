package com.runlayer.spring.boot;

import java.util.List;
import java.util.Optional;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolIdentityOverrides;
import com.runlayer.spring.aop.RunlayerSessionIdResolver;
import com.runlayer.spring.aop.RunlayerToolAdvisor;
import com.runlayer.spring.aop.RunlayerToolStartupCheck;
import com.runlayer.spring.aop.ToolCallIdentityResolver;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration of {@code @RunlayerTool} enforcement: the {@link RunlayerToolAdvisor} (an infrastructure
 * advisor, applied by Spring Boot's auto-proxy creator with or without the AspectJ weaver, or by an
 * {@code InfrastructureAdvisorAutoProxyCreator} this configuration registers when the application has none) and the
 * {@link RunlayerToolStartupCheck}. Active only when a {@link RunlayerClient} bean exists, so
 * {@code runlayer.enabled=false} leaves every tool method un-proxied. The advisor order is {@code runlayer.aop.order}.
 */
@AutoConfiguration(after = RunlayerAutoConfiguration.class)
@ConditionalOnBean(RunlayerClient.class)
@Import(RunlayerAopAutoConfiguration.AutoProxyRegistrar.class)
public final class RunlayerAopAutoConfiguration {

	static final String ORDER_PROPERTY = RunlayerProperties.PREFIX + ".aop.order";

	// Static and read straight from the Environment: advisors are created while bean post-processors are still
	// being registered, too early to depend on the RunlayerProperties bean.
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static RunlayerToolAdvisor runlayerToolAdvisor(ObjectProvider<RunlayerClient> client,
			ObjectProvider<ToolCallIdentityResolver> identities, Environment environment) {
		int order = Binder.get(environment).bind(ORDER_PROPERTY, Integer.class).orElse(RunlayerToolAdvisor.DEFAULT_ORDER);
		return new RunlayerToolAdvisor(client, identities::getIfAvailable, order);
	}

	/**
	 * The one resolver of tool identities and session ids, shared by the {@code @RunlayerTool} interceptor and the
	 * Spring AI integration. A {@link ToolIdentityOverrides} bean, if any, is its last step for every tool.
	 */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static ToolCallIdentityResolver runlayerToolCallIdentityResolver(ObjectProvider<ToolIdentityOverrides> overrides,
			ObjectProvider<RunlayerSessionIdResolver> sessionIdResolvers) {
		SingletonSupplier<Optional<ToolIdentityOverrides>> override = SingletonSupplier
			.of(() -> Optional.ofNullable(overrides.getIfUnique()));
		SingletonSupplier<List<RunlayerSessionIdResolver>> resolvers = SingletonSupplier
			.of(() -> sessionIdResolvers.orderedStream().toList());
		return new ToolCallIdentityResolver(
				(identity) -> override.obtain().map((o) -> o.apply(identity)).orElse(identity), resolvers::obtain);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static RunlayerToolStartupCheck runlayerToolStartupCheck(ObjectProvider<RunlayerToolRegistry> registry,
			ObjectProvider<ToolCallIdentityResolver> identities) {
		// lists the @RunlayerTool methods in GET /actuator/runlayer
		return new RunlayerToolStartupCheck(identities::getIfAvailable, (tool, detail) -> registry
			.ifAvailable((tools) -> tools.register(tool, RunlayerToolRegistry.BEAN, detail)));
	}

	/**
	 * Makes sure an auto-proxy creator exists, as {@code @EnableTransactionManagement} does: Spring Boot registers one
	 * unless {@code spring.aop.auto=false}; an existing one of higher capability is kept.
	 */
	static final class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
		}

	}

}
