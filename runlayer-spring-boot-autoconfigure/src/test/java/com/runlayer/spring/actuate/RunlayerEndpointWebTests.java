package com.runlayer.spring.actuate;

import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.spring.boot.RunlayerToolRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code runlayer} endpoint and health contributor over real HTTP, against a WireMock Runlayer.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=runlayer,health",
				"management.endpoint.health.show-details=always", "runlayer.api-key=" + RunlayerEndpointWebTests.API_KEY,
				"runlayer.allow-insecure-transport=true", "runlayer.max-retries=0",
				"runlayer.client-version=endpoint-test/1.0" })
class RunlayerEndpointWebTests {

	static final String API_KEY = "rl_endpoint_test_secret_4711";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@DynamicPropertySource
	static void runlayer(DynamicPropertyRegistry registry) {
		registry.add("runlayer.base-url", wm::baseUrl);
	}

	@LocalServerPort
	int port;

	@Autowired
	RunlayerToolRegistry tools;

	@Autowired
	RunlayerClient client;

	private final JsonMapper json = JsonMapper.builder().build();

	@BeforeEach
	void registerTools() {
		this.tools.register("lookup_ticket", RunlayerToolRegistry.BEAN, "ticketTools#lookupTicket");
		this.tools.register(new ToolDescriptor("mcp__runlayer__search_tools", "mcp", "runlayer", null),
				RunlayerToolRegistry.MCP_SERVER, "runlayer");
	}

	@Test
	void getDescribesTheClientAndTheToolsWithoutTheSecret() {
		Http.Answer answer = http().get("/actuator/runlayer");

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body()).doesNotContain(API_KEY);
		JsonNode body = this.json.readTree(answer.body());
		assertThat(body.get("baseUrl").stringValue()).isEqualTo(wm.baseUrl());
		assertThat(body.get("authMode").stringValue()).isEqualTo("API_KEY");
		assertThat(body.get("client").stringValue()).isEqualTo("python-sdk");
		assertThat(body.get("clientVersion").stringValue()).isEqualTo("endpoint-test/1.0");
		assertThat(body.get("sdkVersion").stringValue()).matches("\\d+\\.\\d+\\.\\d+.*");
		assertThat(body.get("enforcementFailureMode").stringValue()).isEqualTo("CLOSED");
		assertThat(body.get("timeouts").get("toolPre").stringValue()).isEqualTo("PT30S");
		assertThat(body.get("timeouts").get("events").stringValue()).isEqualTo("PT5S");
		assertThat(body.get("timeouts").get("transcript")).as("transcript chunks have their own 10 s timeout")
			.isNotNull();
		assertThat(body.get("timeouts").get("transcript").stringValue()).isEqualTo("PT10S");
		assertThat(body.get("timeouts").get("toolPost").stringValue()).isEqualTo("PT30S");
		assertThat(body.get("timeouts").get("mcpSource").stringValue()).isEqualTo("PT10S");
		assertThat(body.get("maxToolOutputBytes").asLong()).isEqualTo(65536);
		JsonNode toolList = body.get("tools");
		assertThat(toolList).hasSize(2);
		assertThat(toolList.get(0).get("name").stringValue()).isEqualTo("lookup_ticket");
		assertThat(toolList.get(0).get("source").stringValue()).isEqualTo("BEAN");
		assertThat(toolList.get(0).get("enforced").booleanValue()).isTrue();
		assertThat(toolList.get(1).get("name").stringValue()).isEqualTo("mcp__runlayer__search_tools");
		assertThat(toolList.get(1).get("source").stringValue()).isEqualTo("MCP_SERVER");
		assertThat(toolList.get(1).get("enforced").booleanValue()).isFalse();
		wm.verify(0, postRequestedFor(urlEqualTo("/api/v1/hooks/events")));
	}

	@Test
	void postRunsThePreflightAndAnswersTheSessionId() {
		wm.stubFor(post("/api/v1/hooks/events").willReturn(okJson("{}")));

		Http.Answer answer = http().post("/actuator/runlayer", "{\"prompt\":\"ping from ops\"}");

		assertThat(answer.status()).isEqualTo(200);
		JsonNode body = this.json.readTree(answer.body());
		assertThat(body.get("status").stringValue()).isEqualTo("OK");
		String sessionId = body.get("sessionId").stringValue();
		assertThat(UUID.fromString(sessionId)).isNotNull();
		assertThat(body.get("events")).hasSize(3);
		wm.verify(3, postRequestedFor(urlEqualTo("/api/v1/hooks/events"))
			.withRequestBody(matchingJsonPath("$.payload.session_id", equalTo(sessionId))));
		wm.verify(postRequestedFor(urlEqualTo("/api/v1/hooks/events"))
			.withRequestBody(matchingJsonPath("$.payload.prompt", equalTo("ping from ops"))));

		JsonNode described = this.json.readTree(http().get("/actuator/runlayer").body());
		assertThat(described.get("lastPreflight").get("status").stringValue()).isEqualTo("OK");
		assertThat(described.get("lastPreflight").get("sessionId").stringValue()).isEqualTo(sessionId);
	}

	@Test
	void postWithoutAPromptUsesTheDefaultPrompt() {
		wm.stubFor(post("/api/v1/hooks/events").willReturn(okJson("{}")));

		assertThat(http().post("/actuator/runlayer", "").status()).isEqualTo(200);
		assertThat(http().post("/actuator/runlayer", "{}").status()).isEqualTo(200);

		wm.verify(postRequestedFor(urlEqualTo("/api/v1/hooks/events"))
			.withRequestBody(matchingJsonPath("$.payload.prompt", equalTo("Runlayer ingestion preflight"))));
	}

	@Test
	void bodylessPostWithoutContentTypeRunsThePreflightAsCurlSendsIt() throws Exception {
		wm.stubFor(post("/api/v1/hooks/events").willReturn(okJson("{}")));

		// exactly what `curl -X POST localhost:8080/actuator/runlayer` sends: no body, no Content-Type, no length
		String response;
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.port)) {
			socket.getOutputStream()
				.write(("POST /actuator/runlayer HTTP/1.1\r\nHost: localhost:" + this.port
						+ "\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\nConnection: close\r\n\r\n")
					.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}

		assertThat(response).startsWith("HTTP/1.1 200").contains("\"status\":\"OK\"");
		wm.verify(3, postRequestedFor(urlEqualTo("/api/v1/hooks/events")));
		wm.verify(postRequestedFor(urlEqualTo("/api/v1/hooks/events"))
			.withRequestBody(matchingJsonPath("$.payload.prompt", equalTo("Runlayer ingestion preflight"))));
	}

	@Test
	void bodylessPostThroughAnHttpClientRunsThePreflight() {
		wm.stubFor(post("/api/v1/hooks/events").willReturn(okJson("{}")));

		assertThat(http().post("/actuator/runlayer", null).status()).isEqualTo(200);
		wm.verify(3, postRequestedFor(urlEqualTo("/api/v1/hooks/events")));
	}

	@Test
	void postAnswers503WithTheErrorWhenRunlayerFails() {
		wm.stubFor(post("/api/v1/hooks/events")
			.willReturn(aResponse().withStatus(500).withBody("{\"detail\":\"ingestion down\"}")));

		Http.Answer answer = http().post("/actuator/runlayer", "{\"prompt\":\"ping\"}");

		assertThat(answer.status()).isEqualTo(503);
		assertThat(answer.body()).doesNotContain(API_KEY);
		JsonNode body = this.json.readTree(answer.body());
		assertThat(body.get("status").stringValue()).isEqualTo("FAILED");
		assertThat(body.get("error").stringValue()).contains("SessionStart").contains("500").contains("ingestion down");
		wm.verify(1, postRequestedFor(urlEqualTo("/api/v1/hooks/events")));
		JsonNode described = this.json.readTree(http().get("/actuator/runlayer").body());
		assertThat(described.get("lastPreflight").get("status").stringValue()).isEqualTo("FAILED");
	}

	@Test
	void healthGoesDownAfterConsecutiveOutagesAndRecoversAfterAnAnsweredCall() {
		wm.stubFor(post("/api/v1/hooks/tool/pre").willReturn(okJson("{\"permission\":\"allow\"}")));
		runTool();
		assertThat(health().status()).isEqualTo(200);
		assertThat(healthStatus()).isEqualTo("UP");

		wm.stubFor(post("/api/v1/hooks/tool/pre").willReturn(aResponse().withStatus(502)));
		assertThatExceptionOfType(RunlayerBlockedException.class).isThrownBy(this::runTool);
		assertThatExceptionOfType(RunlayerBlockedException.class).isThrownBy(this::runTool);
		assertThat(healthStatus()).isEqualTo("UP");
		assertThatExceptionOfType(RunlayerBlockedException.class).isThrownBy(this::runTool);
		Http.Answer down = health();
		assertThat(down.status()).isEqualTo(503);
		JsonNode downBody = this.json.readTree(down.body());
		assertThat(downBody.get("status").stringValue()).isEqualTo("DOWN");
		assertThat(downBody.get("details").get("consecutiveOutages").asInt()).isEqualTo(3);
		assertThat(downBody.get("details").get("lastOutage").get("error").stringValue()).contains("502");
		assertThat(down.body()).doesNotContain(API_KEY);

		wm.stubFor(post("/api/v1/hooks/tool/pre")
			.willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"not today\"}")));
		assertThatExceptionOfType(RunlayerBlockedException.class).isThrownBy(this::runTool);
		assertThat(healthStatus()).isEqualTo("UP");
	}

	private void runTool() {
		this.client.beginTool(ToolCall.builder()
			.sessionId("health-session")
			.toolName("lookup_ticket")
			.toolInput(Map.of("ticketId", "T-1"))
			.build());
	}

	private Http.Answer health() {
		return http().get("/actuator/health/runlayer");
	}

	private String healthStatus() {
		return this.json.readTree(health().body()).get("status").stringValue();
	}

	private Http http() {
		return new Http("http://localhost:" + this.port);
	}

	// The optional Spring AI MCP client auto-configuration on the test classpath lacks its annotation module.
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.ai.mcp.client.common.autoconfigure.StdioTransportAutoConfiguration",
			"org.springframework.ai.mcp.client.common.autoconfigure.McpClientAutoConfiguration",
			"org.springframework.ai.mcp.client.common.autoconfigure.McpToolCallbackAutoConfiguration",
			"org.springframework.ai.mcp.client.common.autoconfigure.annotations.McpClientAnnotationScannerAutoConfiguration" })
	static class TestApplication {

	}

}
