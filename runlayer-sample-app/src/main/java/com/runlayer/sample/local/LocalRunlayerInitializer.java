package com.runlayer.sample.local;

import java.util.LinkedHashMap;
import java.util.Map;

import com.runlayer.spring.test.RunlayerTestServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;

/**
 * Makes the sample run with no accounts: in the {@code local} profile (active by default) and when no Runlayer is
 * configured ({@code runlayer.base-url} / {@code RUNLAYER_BASE_URL} unset), it starts the starter's
 * {@link RunlayerTestServer} with the {@link DemoPolicy} script and points the Runlayer client at it, before any bean
 * is created. It also picks the chat model: the scripted
 * offline one unless {@code OPENAI_API_KEY} or {@code ANTHROPIC_API_KEY} is set (and the matching Maven profile
 * brought the model starter).
 *
 * <p>Registered in {@code META-INF/spring.factories}, so it runs for {@code java -jar}, {@code --demo} and tests.
 */
public class LocalRunlayerInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private static final Logger logger = LoggerFactory.getLogger(LocalRunlayerInitializer.class);

	/** Name of the property source this initializer adds. */
	public static final String PROPERTY_SOURCE_NAME = "sampleLocalDefaults";

	/** Bean name of the demo server when it runs. */
	public static final String SERVER_BEAN_NAME = "demoPolicyServer";

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		Map<String, Object> properties = new LinkedHashMap<>();
		chooseChatModel(environment, properties);
		if (environment.acceptsProfiles(Profiles.of("local")) && !hasText(environment, "runlayer.base-url")) {
			RunlayerTestServer server = RunlayerTestServer.start(new DemoPolicy());
			logger.info("Demo Runlayer policy server listening on {}", server.baseUrl());
			properties.put("runlayer.base-url", server.baseUrl());
			properties.put("runlayer.allow-insecure-transport", "true");
			if (!hasText(environment, "runlayer.api-key") && !hasText(environment, "runlayer.agent.client-id")) {
				// an agent account of the demo server, acting for the signed-in API user of each request
				properties.put("runlayer.agent.client-id", RunlayerTestServer.AGENT_CLIENT_ID);
				properties.put("runlayer.agent.client-secret", RunlayerTestServer.AGENT_CLIENT_SECRET);
				properties.put("runlayer.agent-subject.source", "security-context");
			}
			context.getBeanFactory().registerSingleton(SERVER_BEAN_NAME, server);
			// registerSingleton gets no destroy callback, so stop the server when the context closes.
			context.addApplicationListener((event) -> {
				if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
					server.close();
				}
			});
		}
		else if (environment.acceptsProfiles(Profiles.of("local"))) {
			logger.info("Runlayer base URL is configured; the demo policy server stays off");
		}
		if (!properties.isEmpty()) {
			environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		}
	}

	private static void chooseChatModel(ConfigurableEnvironment environment, Map<String, Object> properties) {
		if (hasText(environment, "spring.ai.model.chat")) {
			return;
		}
		String openAi = environment.getProperty("OPENAI_API_KEY");
		String anthropic = environment.getProperty("ANTHROPIC_API_KEY");
		if (present(openAi) && isPresent("org.springframework.ai.openai.OpenAiChatModel")) {
			properties.put("spring.ai.model.chat", "openai");
			properties.putIfAbsent("spring.ai.openai.api-key", openAi);
		}
		else if (present(anthropic) && isPresent("org.springframework.ai.anthropic.AnthropicChatModel")) {
			properties.put("spring.ai.model.chat", "anthropic");
			properties.putIfAbsent("spring.ai.anthropic.api-key", anthropic);
		}
		else {
			properties.put("spring.ai.model.chat", "scripted");
		}
	}

	private static boolean isPresent(String className) {
		return org.springframework.util.ClassUtils.isPresent(className, LocalRunlayerInitializer.class.getClassLoader());
	}

	private static boolean hasText(ConfigurableEnvironment environment, String property) {
		return present(environment.getProperty(property));
	}

	private static boolean present(String value) {
		return value != null && !value.isBlank();
	}

}
