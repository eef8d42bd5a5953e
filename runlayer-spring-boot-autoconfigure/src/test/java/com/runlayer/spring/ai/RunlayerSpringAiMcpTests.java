package com.runlayer.spring.ai;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.mcp.AsyncMcpToolCallbackProvider;
import org.springframework.ai.mcp.SyncMcpToolCallbackProvider;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.context.ConfigurableApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.spring.ai.SpringAiTestApp.CURSOR;
import static com.runlayer.spring.ai.SpringAiTestApp.POST;
import static com.runlayer.spring.ai.SpringAiTestApp.PRE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MCP client tools through Spring AI's real MCP client (sync, and async where named) against Spring AI's MCP server
 * (streamable HTTP, random port):
 * the client has two connections to that server, {@code weather} (enforced, source checked) and {@code runlayer}
 * (Runlayer's own server name, skipped).
 */
class RunlayerSpringAiMcpTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	static McpTestServer server;

	static List<String> serverCalls;

	static String serverUrl;

	@BeforeAll
	static void startMcpServer() {
		server = new McpTestServer("forecast-server", "rain");
		serverCalls = server.calls;
		serverUrl = server.url();
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
		List<String> properties = new ArrayList<>(List.of("runlayer.base-url=" + wm.baseUrl(),
				"runlayer.api-key=rl_test_key", "runlayer.allow-insecure-transport=true", "runlayer.max-retries=0",
				"runlayer.direct-mcp-source-enforcement-path=" + CURSOR,
				"spring.ai.mcp.client.streamable-http.connections.weather.url=" + serverUrl,
				"spring.ai.mcp.client.streamable-http.connections.runlayer.url=" + serverUrl));
		properties.addAll(List.of(extra));
		return McpTestServer.client(model, properties);
	}

	private static String ask(ConfigurableApplicationContext context) {
		// the provider of the configured client type (spring.ai.mcp.client.type)
		ToolCallbackProvider sync = context.getBeanProvider(SyncMcpToolCallbackProvider.class).getIfAvailable();
		ToolCallbackProvider tools = (sync != null) ? sync : context.getBean(AsyncMcpToolCallbackProvider.class);
		ChatClient chat = context.getBean(ChatClient.Builder.class).build();
		return chat.prompt()
			.user("Forecast for Paris?")
			.toolCallbacks(tools)
			.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "conv-mcp"))
			.call()
			.content();
	}

	@ParameterizedTest(name = "{0} client")
	@ValueSource(strings = { "SYNC", "ASYNC" })
	void mcpToolIsSourceCheckedAndEnforcedWithServerNameAndUrl(String clientType) {
		ScriptedChatModel model = new ScriptedChatModel().callTool("weather_forecast", "{\"city\":\"Paris\"}");
		try (ConfigurableApplicationContext context = client(model, "spring.ai.mcp.client.type=" + clientType)) {
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

	@Test
	void remoteToolNamedLikeRunlayersOwnOfAnUnknownServerIsNotSkipped() {
		// callbacks built by hand (no-prefix generator that is not the auto-configured bean): the registry does not
		// know their server, and the server names its tool mcp__runlayer__forecast
		ScriptedChatModel model = new ScriptedChatModel().callTool("mcp__runlayer__forecast", "{\"city\":\"Rome\"}");
		try (ConfigurableApplicationContext context = client(model)) {
			@SuppressWarnings("unchecked")
			List<io.modelcontextprotocol.client.McpSyncClient> all = context.getBean("mcpSyncClients", List.class);
			List<io.modelcontextprotocol.client.McpSyncClient> clients = all.stream()
				.filter((c) -> "weather".equals(c.getClientInfo().title()))
				.toList();
			assertThat(clients).hasSize(1);
			ToolCallbackProvider tools = new SyncMcpToolCallbackProvider(clients);
			ChatClient chat = context.getBean(ChatClient.Builder.class).build();
			chat.prompt()
				.user("Forecast for Rome?")
				.toolCallbacks(tools)
				.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "conv-mcp"))
				.call()
				.content();
		}
		// never run unenforced on the strength of the name its server chose
		wm.verify(0, postRequestedFor(urlEqualTo(POST)));
		assertThat(serverCalls).isEmpty();
		assertThat(model.lastToolResult()).contains("mcp__runlayer__forecast");
	}

	record Reasoning(String why) {
	}

	@Test
	void mcpToolDecoratedBySpringAisArgumentAugmenterKeepsItsServerIdentity() {
		ScriptedChatModel model = new ScriptedChatModel().callTool("weather_forecast",
				"{\"city\":\"Paris\",\"why\":\"asked\"}");
		try (ConfigurableApplicationContext context = client(model)) {
			ToolCallbackProvider augmented = new org.springframework.ai.tool.augment.AugmentedToolCallbackProvider<>(
					context.getBean(SyncMcpToolCallbackProvider.class), Reasoning.class, (event) -> {
					}, true);
			ChatClient chat = context.getBean(ChatClient.Builder.class).build();
			String answer = chat.prompt()
				.user("Forecast for Paris?")
				.toolCallbacks(augmented)
				.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "conv-mcp"))
				.call()
				.content();
			assertThat(answer).contains("rain in Paris");
		}
		wm.verify(1, postRequestedFor(urlEqualTo(CURSOR))
			.withRequestBody(matchingJsonPath("$.mcp_server_name", equalTo("weather"))));
		wm.verify(1, postRequestedFor(urlEqualTo(PRE))
			.withRequestBody(matchingJsonPath("$.tool_name", equalTo("mcp__weather__forecast")))
			.withRequestBody(matchingJsonPath("$.payload.tool_type", equalTo("mcp")))
			.withRequestBody(matchingJsonPath("$.payload.mcp_server_name", equalTo("weather"))));
	}

	@Test
	void decoratedMcpToolNamedLikeRunlayersOwnOfAnUnknownServerIsNotSkipped() {
		ScriptedChatModel model = new ScriptedChatModel().callTool("mcp__runlayer__forecast",
				"{\"city\":\"Rome\"}");
		try (ConfigurableApplicationContext context = client(model)) {
			@SuppressWarnings("unchecked")
			List<io.modelcontextprotocol.client.McpSyncClient> all = context.getBean("mcpSyncClients", List.class);
			ToolCallbackProvider tools = new org.springframework.ai.tool.augment.AugmentedToolCallbackProvider<>(
					new SyncMcpToolCallbackProvider(
							all.stream().filter((c) -> "weather".equals(c.getClientInfo().title())).toList()),
					Reasoning.class, (event) -> {
					}, true);
			ChatClient chat = context.getBean(ChatClient.Builder.class).build();
			chat.prompt()
				.user("Forecast for Rome?")
				.toolCallbacks(tools)
				.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "conv-mcp"))
				.call()
				.content();
		}
		assertThat(serverCalls).isEmpty();
		wm.verify(0, postRequestedFor(urlEqualTo(POST)));
	}

}
