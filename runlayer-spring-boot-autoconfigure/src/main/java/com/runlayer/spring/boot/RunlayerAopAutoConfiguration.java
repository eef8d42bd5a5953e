package com.runlayer.spring.boot;

import java.util.List;
import java.util.Optional;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolIdentityOverrides;
import com.runlayer.spring.aop.RunlayerSessionIdResolver;
import com.runlayer.spring.aop.RunlayerToolAdvisor;
import com.runlayer.spring.aop.RunlayerToolStartupCheck;
import com.runlayer.spring.aop.ToolCallIdentityResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
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
 * The advisor and the startup check back off when the application defines its own; the startup check is switched
 * off with {@code runlayer.aop.startup-check.enabled=false}.
 */
@AutoConfiguration(after = RunlayerAutoConfiguration.class)
@ConditionalOnBean(RunlayerClient.class)
@Import(RunlayerAopAutoConfiguration.AutoProxyRegistrar.class)
public final class RunlayerAopAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(RunlayerAopAutoConfiguration.class);

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
	 * Spring AI integration. A {@link ToolIdentityOverrides} bean, if any, is its last step for every tool; several
	 * without a {@code @Primary} one are an error at the first tool call (which is then not made), never silently
	 * none.
	 */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static ToolCallIdentityResolver runlayerToolCallIdentityResolver(ObjectProvider<ToolIdentityOverrides> overrides,
			ObjectProvider<RunlayerSessionIdResolver> sessionIdResolvers) {
		SingletonSupplier<Optional<ToolIdentityOverrides>> override = SingletonSupplier
			.of(() -> Optional.ofNullable(overrides.getIfAvailable()));
		SingletonSupplier<List<RunlayerSessionIdResolver>> resolvers = SingletonSupplier
			.of(() -> sessionIdResolvers.orderedStream().toList());
		return new ToolCallIdentityResolver(
				(identity) -> override.obtain().map((o) -> o.apply(identity)).orElse(identity), resolvers::obtain);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnBooleanProperty(name = "runlayer.aop.startup-check.enabled", matchIfMissing = true)
	@ConditionalOnMissingBean
	static RunlayerToolStartupCheck runlayerToolStartupCheck(ObjectProvider<RunlayerToolRegistry> registry,
			ObjectProvider<ToolCallIdentityResolver> identities) {
		// lists the @RunlayerTool methods in GET /actuator/runlayer
		return new RunlayerToolStartupCheck(identities::getIfAvailable, (tool, detail) -> registry
			.ifAvailable((tools) -> tools.register(tool, RunlayerToolRegistry.BEAN, detail)));
	}

	/**
	 * Makes sure an auto-proxy creator exists, as {@code @EnableTransactionManagement} does: Spring Boot registers one
	 * unless {@code spring.aop.auto=false}; an existing one of higher capability is kept. With
	 * {@code spring.aop.auto=false} nothing is registered either: {@code @RunlayerTool} methods are then enforced
	 * only when the application registers an auto-proxy creator itself (the startup check warns about each bean that
	 * is not proxied).
	 */
	static final class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

		private Environment environment;

		@Override
		public void setEnvironment(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			if (!this.environment.getProperty("spring.aop.auto", Boolean.class, true)) {
				logger.info("spring.aop.auto=false: Runlayer registers no auto-proxy creator; @RunlayerTool methods are"
						+ " enforced only if the application registers one");
				return;
			}
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
		}

	}

}
