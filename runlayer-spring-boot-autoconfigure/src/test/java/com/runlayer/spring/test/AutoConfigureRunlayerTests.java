package com.runlayer.spring.test;

import java.util.Map;

import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.auth.AuthMode;
import com.runlayer.spring.test.AgentFixtures.AgentApp;
import com.runlayer.spring.test.AgentFixtures.ScriptedModel;
import com.runlayer.spring.test.AgentFixtures.TicketDesk;
import com.runlayer.spring.test.AgentFixtures.WeatherTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static com.runlayer.spring.test.RunlayerAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @AutoConfigureRunlayer} in an application test: the auto-configured client talks to the test server, a chat
 * turn through the auto-configured {@code ChatClient} and a {@code @RunlayerTool} bean are enforced by the scripts,
 * and scripts never leak from one test into the next. The application's own Runlayer settings (a real tenant) are
 * overridden, so the test never calls it.
 */
@SpringBootTest(classes = AgentApp.class, properties = { "runlayer.base-url=https://tenant.runlayer.example",
		"runlayer.api-key=rl_application_key_never_sent" })
@AutoConfigureRunlayer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoConfigureRunlayerTests {

	@Autowired
	RunlayerTestServer runlayer;

	@Autowired
	RunlayerClient client;

	@Autowired
	ChatClient.Builder chat;

	@Autowired
	ScriptedModel model;

	@Autowired
	WeatherTools weather;

	@Autowired
	TicketDesk desk;

	@BeforeEach
	void forgetToolRuns() {
		this.weather.cities.clear();
		this.desk.lookedUp().clear();
		this.model.toolResults.clear();
	}

	private String ask(String conversationId) {
		return this.chat.build()
			.prompt()
			.user("What is the weather in Paris?")
			.tools(this.weather)
			.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, conversationId))
			.call()
			.content();
	}

	@Test
	@Order(1)
	void clientIsPointedAtTheTestServerWithTheTestKey() {
		assertThat(this.client.baseUrl()).isEqualTo(this.runlayer.baseUrl()).startsWith("http://127.0.0.1:");
		assertThat(this.client.authMode()).isEqualTo(AuthMode.API_KEY);
	}

	@Test
	@Order(2)
	void deniedToolCallIsExplainedToTheModelAndTheToolNeverRuns() {
		this.runlayer.onPreTool("weather").deny("Weather lookups are not allowed");

		String answer = ask("conv-deny");

		assertThat(this.weather.cities).isEmpty();
		assertThat(this.model.toolResults).singleElement().asString().contains("Weather lookups are not allowed");
		assertThat(answer).contains("Weather lookups are not allowed");
		assertThat(this.runlayer).receivedPreTool("weather").withSessionId("conv-deny").withInput("city", "Paris").once();
		assertThat(this.runlayer.postToolRequests("weather")).isEmpty();
		assertThat(this.runlayer).receivedEvent("UserPromptSubmit").withSessionId("conv-deny");
		assertThat(this.runlayer).receivedEvent("Stop").withSessionId("conv-deny");
		assertThat(this.runlayer.requests()).allSatisfy(
				(request) -> assertThat(request.header("x-runlayer-api-key")).isEqualTo(RunlayerTestServer.API_KEY));
	}

	@Test
	@Order(3)
	void theNextTestStartsFromAllowAllWithNothingRecorded() {
		assertThat(this.runlayer).receivedNothing();

		String answer = ask("conv-allow");

		assertThat(this.weather.cities).containsExactly("Paris");
		assertThat(answer).isEqualTo("Answer: \"sunny in Paris\"");
		assertThat(this.runlayer).receivedPostTool("weather").withSessionId("conv-allow").withOutputContaining("sunny");
	}

	@Test
	void rewrittenArgumentsReachTheTool() {
		this.runlayer.onPreTool("weather").rewrite(Map.of("city", "Berlin"));

		String answer = ask("conv-rewrite");

		assertThat(this.weather.cities).containsExactly("Berlin");
		assertThat(answer).contains("sunny in Berlin");
		assertThat(this.runlayer).receivedPreTool("weather").withInput("city", "Paris");
		assertThat(this.runlayer).receivedPostTool("weather").withInput("city", "Berlin");
	}

	@Test
	void maskedOutputIsWhatTheModelSees() {
		this.runlayer.onPostTool("weather").mask("[weather redacted]");

		ask("conv-mask");

		assertThat(this.weather.cities).containsExactly("Paris");
		assertThat(this.model.toolResults).singleElement().asString().contains("[weather redacted]").doesNotContain("sunny");
	}

	@Test
	void runlayerToolBeanIsEnforced() {
		Map<String, String> ticket = this.desk.lookupTicket("T-1", "support-7");

		assertThat(ticket).containsEntry("status", "open");
		assertThat(this.runlayer).receivedPreTool("lookup_ticket")
			.withSessionId("support-7")
			.withInput("ticketId", "T-1")
			.once();

		this.runlayer.onPreTool("lookup_ticket").deny("Tickets are private");
		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> this.desk.lookupTicket("T-2", "support-7"))
			.withMessageContaining("Tickets are private");
		assertThat(this.desk.lookedUp()).containsExactly("T-1");
	}

	@Test
	void outageBlocksTheToolInTheDefaultClosedMode() {
		this.runlayer.onPreTool("lookup_ticket").outage(Outage.status(503));

		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> this.desk.lookupTicket("T-3", "support-8"))
			.satisfies((ex) -> assertThat(ex.outage()).isTrue());
		assertThat(this.desk.lookedUp()).isEmpty();
		assertThat(this.runlayer).receivedPreTool("lookup_ticket").withSessionId("support-8");
		assertThat(this.runlayer.postToolRequests("lookup_ticket")).isEmpty();
	}

}
