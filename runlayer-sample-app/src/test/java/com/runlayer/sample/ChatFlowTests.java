package com.runlayer.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import com.runlayer.sample.local.DemoPolicyServer;
import com.runlayer.sample.local.LocalRunlayerInitializer;
import com.runlayer.sample.tools.CommandTools;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The sample's chat flow end to end, offline: HTTP in, scripted model, real tools, Runlayer client against the
 * in-process demo policy server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatFlowTests {

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	private static final String EVENTS = "/api/v1/hooks/events";

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier(LocalRunlayerInitializer.SERVER_BEAN_NAME)
	DemoPolicyServer runlayer;

	@Autowired
	CommandTools commands;

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeEach
	void forgetRequests() {
		this.runlayer.clear();
	}

	@Test
	void allowedCommandRunsAndItsOutputReachesTheAnswer() {
		JsonNode reply = chat("run ls", "conv-allow");

		assertThat(reply.get("conversationId").stringValue()).isEqualTo("conv-allow");
		// the simulated listing is fixed: the tools read nothing from disk, whatever the working directory
		assertThat(reply.get("answer").stringValue()).isEqualTo("run_command -> README.md\nsandbox/");
		assertThat(decisions(reply)).containsExactly("PRE_TOOL run_command ALLOW", "POST_TOOL run_command ALLOW");
		List<DemoPolicyServer.Received> pre = this.runlayer.received(PRE);
		assertThat(pre).hasSize(1);
		assertThat(pre.get(0).toolName()).isEqualTo("run_command");
		assertThat(pre.get(0).sessionId()).isEqualTo("conv-allow");
		assertThat(pre.get(0).body().path("payload").path("tool_input").path("command").stringValue()).isEqualTo("ls");
		List<DemoPolicyServer.Received> post = this.runlayer.received(POST);
		assertThat(post).hasSize(1);
		assertThat(post.get(0).body().path("payload").path("tool_response").toString()).contains("README.md");
	}

	@Test
	void escapingPathIsRewrittenIntoTheSandboxAndTheEmailInItsOutputIsMasked() {
		JsonNode reply = chat("read ../notes.txt", "conv-rewrite");

		assertThat(decisions(reply)).containsExactly("PRE_TOOL read_file REWRITE", "POST_TOOL read_file MASK");
		String answer = reply.get("answer").stringValue();
		assertThat(answer).contains("Standup notes").contains(DemoPolicyServer.EMAIL_MASK).doesNotContain("carol@example.com");
		assertThat(this.runlayer.received(PRE).get(0).body().path("payload").path("tool_input").path("path").stringValue())
			.isEqualTo("../notes.txt");
		JsonNode post = this.runlayer.received(POST).get(0).body().path("payload");
		// the tool ran with the rewritten path: tool/post carries the rewritten input and the sandbox file's content
		assertThat(post.path("tool_input").path("path").stringValue()).isEqualTo("sandbox/notes.txt");
		assertThat(post.path("tool_response").toString()).contains("carol@example.com");
	}

	@Test
	void destructiveCommandIsDeniedAndNeverRuns() {
		JsonNode reply = chat("run rm -rf /tmp/workspace", "conv-deny");

		assertThat(decisions(reply)).containsExactly("PRE_TOOL run_command DENY");
		assertThat(reply.get("answer").stringValue()).contains("rm -rf").doesNotContain("(simulated) ran");
		assertThat(this.runlayer.received(PRE)).hasSize(1);
		assertThat(this.runlayer.received(POST)).isEmpty();
	}

	@Test
	void emailInATicketIsMasked() {
		JsonNode reply = chat("lookup T-1", "conv-mask");

		assertThat(decisions(reply)).containsExactly("PRE_TOOL lookup_ticket ALLOW", "POST_TOOL lookup_ticket MASK");
		assertThat(reply.get("answer").stringValue()).contains("Login page returns 500")
			.contains(DemoPolicyServer.EMAIL_MASK)
			.doesNotContain("alice@example.com");
		assertThat(this.runlayer.received(POST).get(0).body().path("payload").path("tool_response").toString())
			.contains("alice@example.com");
	}

	@Test
	void outputWithASecretIsBlocked() {
		JsonNode reply = chat("read sandbox/secrets.txt", "conv-block");

		assertThat(decisions(reply)).containsExactly("PRE_TOOL read_file ALLOW", "POST_TOOL read_file BLOCK");
		assertThat(reply.get("answer").stringValue()).doesNotContain("sk-demo").doesNotContain("SECRET_API_TOKEN");
	}

	@Test
	void eachToolCallOfAChatTurnIsEnforcedExactlyOnceAndTheTurnIsReportedOnce() {
		for (String prompt : DemoConversation.PROMPTS) {
			String conversationId = "conv-once-" + prompt.hashCode();
			chat(prompt, conversationId);

			List<DemoPolicyServer.Received> pre = ofSession(this.runlayer.received(PRE), conversationId);
			// the Spring AI decorator enforced the call and the @RunlayerTool interceptor passed through: one
			// tool/pre with the decorator's tool type (the annotation would send run_command as "shell")
			assertThat(pre).as(prompt).hasSize(1);
			assertThat(pre.get(0).body().path("payload").path("tool_type").stringValue()).as(prompt).isEqualTo("function");
			boolean denied = prompt.contains("rm -rf");
			assertThat(ofSession(this.runlayer.received(POST), conversationId)).as(prompt).hasSize(denied ? 0 : 1);
			// RunlayerAdvisor is on the ChatClient once: one prompt in, one transcript-bearing Stop out
			List<DemoPolicyServer.Received> events = ofSession(this.runlayer.received(EVENTS), conversationId);
			assertThat(events).as(prompt)
				.extracting(DemoPolicyServer.Received::eventName)
				.containsExactly("UserPromptSubmit", "Stop");
			assertThat(events.get(0).body().path("payload").path("prompt").stringValue()).isEqualTo(prompt);
			assertThat(events.get(1).body().path("transcript").stringValue()).as(prompt).contains("assistant");
		}
	}

	@Test
	void toolMethodCalledOutsideSpringAiIsEnforcedByItsRunlayerToolAnnotation() {
		String output = RunlayerSession.call("conv-direct", () -> this.commands.runCommand("whoami"));

		assertThat(output).isEqualTo("agent");
		List<DemoPolicyServer.Received> pre = ofSession(this.runlayer.received(PRE), "conv-direct");
		assertThat(pre).hasSize(1);
		assertThat(pre.get(0).toolName()).isEqualTo("run_command");
		assertThat(pre.get(0).body().path("payload").path("tool_type").stringValue()).isEqualTo("shell");
		assertThat(ofSession(this.runlayer.received(POST), "conv-direct")).hasSize(1);
		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> RunlayerSession.call("conv-direct", () -> this.commands.runCommand("rm -rf /")));
	}

	@Test
	void actuatorEndpointListsTheThreeToolsAndNoCredential() throws Exception {
		// Spring AI offers its tools with each request: after one chat turn they are listed too
		chat("lookup T-1", "conv-tools");
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/runlayer")).GET().build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = this.json.readTree(response.body());
		assertThat(body.get("baseUrl").stringValue()).isEqualTo(this.runlayer.baseUrl());
		assertThat(body.get("tools").valueStream()
			.filter((t) -> t.get("source").stringValue().equals("BEAN"))
			.map((t) -> t.get("name").stringValue())).containsExactlyInAnyOrder("run_command", "read_file",
					"lookup_ticket");
		assertThat(body.get("tools").valueStream()
			.filter((t) -> t.get("source").stringValue().equals("SPRING_AI"))
			.map((t) -> t.get("name").stringValue())).containsExactlyInAnyOrder("run_command", "read_file",
					"lookup_ticket");
		assertThat(body.get("tools").valueStream().map((t) -> t.get("enforced").booleanValue())).containsOnly(true);
		assertThat(response.body()).doesNotContain(LocalRunlayerInitializer.DEMO_API_KEY);
	}

	@Test
	void actuatorPreflightReachesTheDemoServer() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/runlayer"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hello\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		String sessionId = this.json.readTree(response.body()).get("sessionId").stringValue();
		assertThat(this.runlayer.received(EVENTS)).filteredOn((r) -> r.sessionId().equals(sessionId))
			.extracting(DemoPolicyServer.Received::eventName)
			.containsExactly("SessionStart", "UserPromptSubmit", "Stop");
	}

	private static List<DemoPolicyServer.Received> ofSession(List<DemoPolicyServer.Received> received,
			String sessionId) {
		return received.stream().filter((r) -> r.sessionId().equals(sessionId)).toList();
	}

	private List<String> decisions(JsonNode reply) {
		return reply.get("decisions")
			.valueStream()
			.map((d) -> d.get("stage").stringValue() + " " + d.get("tool").stringValue() + " "
					+ d.get("decision").stringValue())
			.toList();
	}

	private JsonNode chat(String prompt, String conversationId) {
		String body = this.json.writeValueAsString(java.util.Map.of("prompt", prompt, "conversationId", conversationId));
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/chat"))
						.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(body))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			return this.json.readTree(response.body());
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
