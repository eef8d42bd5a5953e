package com.runlayer.spring.ai;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.mcp.McpToolNamePrefixGenerator;
import org.springframework.ai.mcp.SyncMcpToolCallbackProvider;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MCP client tools through Spring AI's real MCP client against Spring AI's MCP server (streamable HTTP, random port):
 * the client has two connections to that server, {@code weather} (enforced, source checked) and {@code runlayer}
 * (Runlayer's own server name, skipped).
 */
class RunlayerSpringAiMcpTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	private static final String CURSOR = "/api/v1/hooks/cursor";

	static final List<String> serverCalls = new CopyOnWriteArrayList<>();

	static ConfigurableApplicationContext server;

	static String serverUrl;

	@BeforeAll
	static void startMcpServer() {
		server = new SpringApplicationBuilder(McpServerApp.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "runlayer.enabled=false", "spring.ai.mcp.client.enabled=false",
					"spring.ai.mcp.server.name=forecast-server", "spring.ai.mcp.server.protocol=STREAMABLE")
			.run();
		serverUrl = "http://localhost:" + server.getEnvironment().getProperty("local.server.port");
	}

	@AfterAll
	static void stopMcpServer() {
		if (server != null) {
			server.close();
		}
	}

	@BeforeEach
	void stubRunlayer() {
		serverCalls.clear();
		wm.stubFor(post("/api/v1/hooks/events").willReturn(okJson("{}")));
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		wm.stubFor(post(CURSOR).willReturn(okJson("{\"permission\":\"allow\"}")));
	}

	private ConfigurableApplicationContext client(ScriptedChatModel model, String... extra) {
		List<String> properties = new java.util.ArrayList<>(List.of("spring.main.web-application-type=none",
				"spring.ai.mcp.server.enabled=false", "runlayer.base-url=" + wm.baseUrl(),
				"runlayer.api-key=rl_test_key", "runlayer.allow-insecure-transport=true", "runlayer.max-retries=0",
				"runlayer.direct-mcp-source-enforcement-path=" + CURSOR,
				"spring.ai.mcp.client.streamable-http.connections.weather.url=" + serverUrl,
				"spring.ai.mcp.client.streamable-http.connections.runlayer.url=" + serverUrl));
		properties.addAll(List.of(extra));
		return new SpringApplicationBuilder(McpClientApp.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("scriptedChatModel", model))
			.properties(properties.toArray(new String[0]))
			.run();
	}

	private static String ask(ConfigurableApplicationContext context) {
		ChatClient chat = context.getBean(ChatClient.Builder.class).build();
		return chat.prompt()
			.user("Forecast for Paris?")
			.toolCallbacks(context.getBean(SyncMcpToolCallbackProvider.class))
			.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "conv-mcp"))
			.call()
			.content();
	}

	@Test
	void mcpToolIsSourceCheckedAndEnforcedWithServerNameAndUrl() {
		ScriptedChatModel model = new ScriptedChatModel().callTool("weather_forecast", "{\"city\":\"Paris\"}");
		try (ConfigurableApplicationContext context = client(model)) {
			String answer = ask(context);
			assertThat(serverCalls).containsExactly("Paris");
			assertThat(answer).contains("rain in Paris");
		}
		wm.verify(1, postRequestedFor(urlEqualTo(CURSOR))
			.withRequestBody(matchingJsonPath("$.hook_event_name", equalTo("beforeMCPExecution")))
			.withRequestBody(matchingJsonPath("$.conversation_id", equalTo("conv-mcp")))
			.withRequestBody(matchingJsonPath("$.tool_name", equalTo("mcp__weather__forecast")))
			.withRequestBody(matchingJsonPath("$.url", equalTo(serverUrl + "/mcp")))
			.withRequestBody(matchingJsonPath("$.mcp_server_name", equalTo("weather"))));
		wm.verify(1, postRequestedFor(urlEqualTo(PRE))
			.withRequestBody(matchingJsonPath("$.tool_name", equalTo("mcp__weather__forecast")))
			.withRequestBody(matchingJsonPath("$.payload.tool_type", equalTo("mcp")))
			.withRequestBody(matchingJsonPath("$.payload.mcp_server_name", equalTo("weather")))
			.withRequestBody(matchingJsonPath("$.payload.tool_url", equalTo(serverUrl + "/mcp")))
			.withRequestBody(matchingJsonPath("$.payload.tool_input.city", equalTo("Paris"))));
		wm.verify(1, postRequestedFor(urlEqualTo(POST))
			.withRequestBody(matchingJsonPath("$.payload.tool_response",
					com.github.tomakehurst.wiremock.client.WireMock.containing("rain in Paris"))));
	}

	@Test
	void deniedMcpSourceNeverReachesTheServer() {
		wm.stubFor(post(CURSOR)
			.willReturn(okJson("{\"permission\":\"deny\",\"user_message\":\"server not approved\"}")));
		ScriptedChatModel model = new ScriptedChatModel().callTool("weather_forecast", "{\"city\":\"Paris\"}");
		try (ConfigurableApplicationContext context = client(model)) {
			ask(context);
			assertThat(serverCalls).isEmpty();
			assertThat(model.lastToolResult()).contains("blocked by Runlayer policy").contains("server not approved");
		}
		wm.verify(0, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void runlayerOwnServerIsSkipped() {
		ScriptedChatModel model = new ScriptedChatModel().callTool("runlayer_forecast", "{\"city\":\"Oslo\"}");
		try (ConfigurableApplicationContext context = client(model)) {
			String answer = ask(context);
			assertThat(serverCalls).containsExactly("Oslo");
			assertThat(answer).contains("rain in Oslo");
		}
		wm.verify(0, postRequestedFor(urlEqualTo(CURSOR)));
		wm.verify(0, postRequestedFor(urlEqualTo(PRE)));
		wm.verify(0, postRequestedFor(urlEqualTo(POST)));
	}

	@Test
	void sourceCheckIsOffWithoutTheRoutePath() {
		ScriptedChatModel model = new ScriptedChatModel().callTool("weather_forecast", "{\"city\":\"Paris\"}");
		try (ConfigurableApplicationContext context = client(model, "runlayer.direct-mcp-source-enforcement-path=")) {
			ask(context);
			assertThat(serverCalls).containsExactly("Paris");
		}
		wm.verify(0, postRequestedFor(urlEqualTo(CURSOR)));
		wm.verify(1, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void mcpToolInMonitorModeByItsResolvedNameReachesTheServerAndIsReported() {
		wm.stubFor(post(CURSOR)
			.willReturn(okJson("{\"permission\":\"deny\",\"user_message\":\"server not approved\"}")));
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"no forecasts\"}")));
		ScriptedChatModel model = new ScriptedChatModel().callTool("weather_forecast", "{\"city\":\"Paris\"}");
		List<com.runlayer.sdk.observe.RunlayerDecision> decisions = new CopyOnWriteArrayList<>();
		try (ConfigurableApplicationContext context = client(model,
				"runlayer.tools.mcp__weather__forecast.mode=monitor")) {
			context.addApplicationListener((org.springframework.context.ApplicationListener<
					com.runlayer.spring.boot.RunlayerDecisionEvent>) (event) -> decisions.add(event.decision()));
			String answer = ask(context);
			assertThat(serverCalls).containsExactly("Paris");
			assertThat(answer).contains("rain in Paris");
		}
		assertThat(decisions).extracting(com.runlayer.sdk.observe.RunlayerDecision::decision)
			.containsExactly(com.runlayer.sdk.observe.EnforcementDecision.BLOCK,
					com.runlayer.sdk.observe.EnforcementDecision.DENY,
					com.runlayer.sdk.observe.EnforcementDecision.ALLOW);
		assertThat(decisions.subList(0, 2)).allSatisfy((d) -> {
			assertThat(d.applied()).isFalse();
			assertThat(d.toolName()).isEqualTo("mcp__weather__forecast");
			assertThat(d.sessionId()).isEqualTo("conv-mcp");
		});
		wm.verify(1, postRequestedFor(urlEqualTo(POST)));
	}

	/** The MCP server application. */
	@SpringBootConfiguration
	@EnableAutoConfiguration(excludeName = "org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration")
	static class McpServerApp {

		@Bean
		ToolCallbackProvider forecastTools() {
			return MethodToolCallbackProvider.builder().toolObjects(new ForecastTools()).build();
		}

	}

	/** The agent application: the real MCP client, a scripted model, connection-prefixed tool names. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class McpClientApp {

		@Bean
		McpToolNamePrefixGenerator connectionPrefixedToolNames() {
			return (connection, tool) -> connection.clientInfo().title() + "_" + tool.name();
		}

	}

	static class ForecastTools {

		@Tool(description = "Weather forecast of a city")
		String forecast(@ToolParam(description = "the city") String city) {
			serverCalls.add(city);
			return "rain in " + city;
		}

	}

}
