package com.runlayer.spring.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The customizer behind {@code @AutoConfigureRunlayer}: its properties win over every other source, and the server
 * stops with the context, also when the context fails to start.
 */
class RunlayerTestContextCustomizerTests {

	@Test
	void propertiesWinOverTheApplicationsAndTheServerStopsWithTheContext() {
		GenericApplicationContext context = new GenericApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("application", java.util.Map.of("runlayer.base-url",
					"https://tenant.runlayer.example", "runlayer.agent.client-id", "real-agent")));
		new RunlayerTestContextCustomizer(List.of(), false).customizeContext(context, null);
		context.refresh();
		RunlayerTestServer server = context.getBean(RunlayerTestServer.class);

		assertThat(context.getEnvironment().getProperty("runlayer.base-url")).isEqualTo(server.baseUrl());
		assertThat(context.getEnvironment().getProperty("runlayer.api-key")).isEqualTo(RunlayerTestServer.API_KEY);
		assertThat(context.getEnvironment().getProperty("runlayer.agent.client-id")).isEmpty();
		assertThat(listening(server.port())).isTrue();

		context.close();

		assertThat(listening(server.port())).isFalse();
	}

	@Test
	void serverStopsWhenTheContextFailsToStart() {
		GenericApplicationContext context = new GenericApplicationContext();
		new RunlayerTestContextCustomizer(List.of(), false).customizeContext(context, null);
		RunlayerTestServer server = (RunlayerTestServer) context.getBeanFactory()
			.getSingleton(RunlayerTestContextCustomizer.BEAN_NAME);
		context.registerBean("broken", String.class, () -> {
			throw new IllegalStateException("broken bean");
		});

		assertThatExceptionOfType(BeanCreationException.class).isThrownBy(context::refresh);
		assertThat(listening(server.port())).isFalse();
	}

	private static boolean listening(int port) {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
