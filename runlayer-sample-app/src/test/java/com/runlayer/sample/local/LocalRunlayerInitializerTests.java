package com.runlayer.sample.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import com.runlayer.spring.test.RunlayerTestServer;
import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LocalRunlayerInitializerTests {

	@Test
	void localProfileWithoutARunlayerStartsTheDemoServerAndPointsTheClientAtIt() throws IOException {
		GenericApplicationContext context = context(Map.of());
		new LocalRunlayerInitializer().initialize(context);
		context.refresh();
		RunlayerTestServer server = context.getBean(LocalRunlayerInitializer.SERVER_BEAN_NAME, RunlayerTestServer.class);
		assertThat(context.getEnvironment().getProperty("runlayer.base-url")).isEqualTo(server.baseUrl());
		assertThat(context.getEnvironment().getProperty("runlayer.allow-insecure-transport")).isEqualTo("true");
		assertThat(context.getEnvironment().getProperty("runlayer.agent.client-id"))
			.isEqualTo(RunlayerTestServer.AGENT_CLIENT_ID);
		assertThat(context.getEnvironment().getProperty("runlayer.agent-subject.source")).isEqualTo("security-context");
		assertThat(context.getEnvironment().getProperty("spring.ai.model.chat")).isEqualTo("scripted");
		assertThat(post(server.baseUrl() + "/api/v1/hooks/events")).isEqualTo(200);
		// the demo policy is the server's script: a destructive command is denied, others are allowed
		try (RunlayerClient client = server.clientBuilder().build()) {
			assertThatExceptionOfType(RunlayerBlockedException.class)
				.isThrownBy(() -> client.runTool(command("rm -rf /"), (input) -> "ran"))
				.withMessageContaining("rm -rf");
			assertThat(client.runTool(command("ls"), (input) -> "ran")).isEqualTo("ran");
		}

		context.close();

		assertThatExceptionOfType(IOException.class).isThrownBy(() -> post(server.baseUrl() + "/api/v1/hooks/events"));
	}

	@Test
	void configuredRunlayerKeepsTheDemoServerOffAndTransportSecure() {
		GenericApplicationContext context = context(
				Map.of("runlayer.base-url", "https://tenant.runlayer.com", "runlayer.api-key", "rl_real_key"));
		new LocalRunlayerInitializer().initialize(context);
		context.refresh();
		assertThat(context.containsBean(LocalRunlayerInitializer.SERVER_BEAN_NAME)).isFalse();
		assertThat(context.getEnvironment().getProperty("runlayer.base-url")).isEqualTo("https://tenant.runlayer.com");
		assertThat(context.getEnvironment().getProperty("runlayer.allow-insecure-transport")).isNull();
		assertThat(context.getEnvironment().getProperty("runlayer.api-key")).isEqualTo("rl_real_key");
		context.close();
	}

	@Test
	void otherProfilesNeverStartTheDemoServer() {
		GenericApplicationContext context = context(Map.of());
		context.getEnvironment().setActiveProfiles("prod");
		new LocalRunlayerInitializer().initialize(context);
		context.refresh();
		assertThat(context.containsBean(LocalRunlayerInitializer.SERVER_BEAN_NAME)).isFalse();
		assertThat(context.getEnvironment().getProperty("runlayer.base-url")).isNull();
		context.close();
	}

	private static GenericApplicationContext context(Map<String, Object> properties) {
		GenericApplicationContext context = new GenericApplicationContext();
		context.getEnvironment().setDefaultProfiles("local");
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
		return context;
	}

	private static ToolCall command(String command) {
		return ToolCall.builder()
			.sessionId("s1")
			.toolName("run_command")
			.toolType("shell")
			.toolInput(Map.of("command", command))
			.build();
	}

	private static int post(String url) throws IOException {
		try {
			return HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(url))
					.header("x-runlayer-api-key", "k")
					.POST(HttpRequest.BodyPublishers.ofString(
							"{\"client\":\"python-sdk\",\"event_name\":\"Stop\",\"payload\":{\"session_id\":\"s1\"}}"))
					.build(), HttpResponse.BodyHandlers.ofString())
				.statusCode();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

}
