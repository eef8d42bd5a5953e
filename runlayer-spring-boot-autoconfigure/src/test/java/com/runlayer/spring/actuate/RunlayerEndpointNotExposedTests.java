package com.runlayer.spring.actuate;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without {@code management.endpoints.web.exposure.include}, the endpoint is not reachable over HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "runlayer.base-url=https://tenant.runlayer.com", "runlayer.api-key=rl_not_exposed_key" })
class RunlayerEndpointNotExposedTests {

	@LocalServerPort
	int port;

	@Test
	void endpointAnswers404UnlessExposed() {
		Http http = new Http("http://localhost:" + this.port);
		assertThat(http.get("/actuator/runlayer").status()).isEqualTo(404);
		assertThat(http.post("/actuator/runlayer", "{}").status()).isEqualTo(404);
		assertThat(http.get("/actuator/health").status()).isEqualTo(200);
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
