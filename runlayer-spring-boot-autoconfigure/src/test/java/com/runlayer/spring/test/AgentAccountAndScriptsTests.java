package com.runlayer.spring.test;


import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.auth.AuthMode;
import com.runlayer.spring.test.AgentFixtures.TicketDesk;
import com.runlayer.spring.test.AgentFixtures.ToolApp;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static com.runlayer.spring.test.RunlayerAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @AutoConfigureRunlayer(agentAccount = true, scripts = ...)}: the client mints its bearer token at the test
 * server's token route (the application's own API key is blanked), and the named script is applied at start and again
 * after every reset.
 */
@SpringBootTest(classes = ToolApp.class, properties = "runlayer.api-key=rl_application_key_never_sent")
@AutoConfigureRunlayer(agentAccount = true, scripts = AgentAccountAndScriptsTests.PrivateTickets.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentAccountAndScriptsTests {

	@Autowired
	RunlayerTestServer runlayer;

	@Autowired
	RunlayerClient client;

	@Autowired
	TicketDesk desk;

	@Test
	@Order(1)
	void toolCallsUseAMintedBearerToken() {
		assertThat(this.client.authMode()).isEqualTo(AuthMode.AGENT);
		this.desk.lookupTicket("T-1", "s1");

		assertThat(this.runlayer).receivedTokenRequest()
			.matching((r) -> "client_credentials".equals(r.form().get("grant_type"))
					&& RunlayerTestServer.AGENT_CLIENT_ID.equals(r.form().get("client_id")), "client credentials");
		assertThat(this.runlayer).receivedPreTool("lookup_ticket")
			.matching((r) -> r.header("Authorization") != null && r.header("x-runlayer-api-key") == null,
					"a bearer token and no API key");
	}

	@Test
	@Order(2)
	void theScriptDeniesPrivateTickets() {
		this.runlayer.onPreTool("lookup_ticket").allow();
		this.desk.lookupTicket("PRIVATE-1", "s1");
		// the rule above goes with the reset; the script comes back
	}

	@Test
	@Order(3)
	void theScriptIsBackAfterTheReset() {
		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> this.desk.lookupTicket("PRIVATE-2", "s1"))
			.withMessageContaining("private ticket");
		assertThat(this.desk.lookupTicket("T-2", "s1")).containsEntry("id", "T-2");
	}

	/** Denies tickets whose id starts with PRIVATE. */
	public static class PrivateTickets implements RunlayerTestScript {

		@Override
		public void applyTo(RunlayerTestServer server) {
			server.onPreTool("lookup_ticket")
				.when((input) -> String.valueOf(input.get("ticketId")).startsWith("PRIVATE"))
				.deny("private ticket");
		}

	}


}
