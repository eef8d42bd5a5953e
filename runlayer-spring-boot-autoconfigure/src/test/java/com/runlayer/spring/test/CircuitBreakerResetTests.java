package com.runlayer.spring.test;

import com.runlayer.sdk.CircuitState;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.transport.HookEndpoint;
import com.runlayer.spring.test.AgentFixtures.AgentApp;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Outages scripted by one {@code @AutoConfigureRunlayer} test open the client's circuit breaker; the next test
 * starts with it closed again, like the server's scripts.
 */
@SpringBootTest(classes = AgentApp.class, properties = "runlayer.max-retries=0")
@AutoConfigureRunlayer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CircuitBreakerResetTests {

	@Autowired
	RunlayerTestServer runlayer;

	@Autowired
	RunlayerClient client;

	private static ToolCall call() {
		return ToolCall.builder().sessionId("s1").toolName("lookup").build();
	}

	@Test
	@Order(1)
	void aRunOfScriptedOutagesOpensTheBreaker() {
		this.runlayer.onPreTool().outage(Outage.status(503));
		for (int i = 0; i < 6; i++) {
			assertThatThrownBy(() -> this.client.beginTool(call()))
				.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.outage()).isTrue());
		}
		assertThat(this.client.circuitState(HookEndpoint.TOOL_PRE)).isEqualTo(CircuitState.OPEN);
	}

	@Test
	@Order(2)
	void theNextTestStartsWithItClosed() {
		assertThat(this.client.circuitState(HookEndpoint.TOOL_PRE)).isEqualTo(CircuitState.CLOSED);
		assertThat(this.client.beginTool(call()).enforced()).isTrue();
	}

}
