package com.runlayer.spring.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts a {@link RunlayerTestServer} for a test context, registers it as the bean {@value #BEAN_NAME} (stopped when
 * the context closes) and points the Runlayer client at it through a property source of highest precedence. Part of
 * the context cache key: test classes with the same scripts share a context and its server.
 */
final class RunlayerTestContextCustomizer implements ContextCustomizer {

	/** Bean name of the server. */
	static final String BEAN_NAME = "runlayerTestServer";

	/** Name of the property source. */
	static final String PROPERTY_SOURCE_NAME = "runlayerTestServer";

	private final List<Class<? extends RunlayerTestScript>> scripts;

	private final boolean agentAccount;

	RunlayerTestContextCustomizer(List<Class<? extends RunlayerTestScript>> scripts, boolean agentAccount) {
		this.scripts = List.copyOf(scripts);
		this.agentAccount = agentAccount;
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		RunlayerTestScript[] instances = this.scripts.stream()
			.map(BeanUtils::instantiateClass)
			.toArray(RunlayerTestScript[]::new);
		RunlayerTestServer server = RunlayerTestServer.start(instances);
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties(server, this.agentAccount)));
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		beanFactory.registerSingleton(BEAN_NAME, server);
		if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
			// also stops the server when the context fails to start
			registry.registerDisposableBean(BEAN_NAME, server::close);
		}
		else {
			context.addApplicationListener((event) -> {
				if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
					server.close();
				}
			});
		}
	}

	/**
	 * The properties that point the auto-configured client at the server. The credentials not in use are blanked so
	 * that credentials configured for the application cannot clash with the test ones or reach the test.
	 */
	static Map<String, Object> properties(RunlayerTestServer server, boolean agentAccount) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("runlayer.base-url", server.baseUrl());
		properties.put("runlayer.allow-insecure-transport", "true");
		properties.put("runlayer.api-key", agentAccount ? "" : RunlayerTestServer.API_KEY);
		properties.put("runlayer.agent.client-id", agentAccount ? RunlayerTestServer.AGENT_CLIENT_ID : "");
		properties.put("runlayer.agent.client-secret", agentAccount ? RunlayerTestServer.AGENT_CLIENT_SECRET : "");
		properties.put("runlayer.agent.subject-token", "");
		properties.put("runlayer.agent.subject-token-type", "");
		properties.put("runlayer.ssl.bundle", "");
		return properties;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof RunlayerTestContextCustomizer that && this.scripts.equals(that.scripts)
				&& this.agentAccount == that.agentAccount;
	}

	@Override
	public int hashCode() {
		return this.scripts.hashCode() * 31 + Boolean.hashCode(this.agentAccount);
	}

}
