package com.runlayer.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import com.runlayer.sample.local.DemoPolicy;
import com.runlayer.sample.local.LocalRunlayerInitializer;
import com.runlayer.sample.tools.CommandTools;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerSession;
import com.runlayer.spring.test.AutoConfigureRunlayer;
import com.runlayer.spring.test.RecordedRequest;
import com.runlayer.spring.test.RunlayerTestServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static com.runlayer.spring.test.RunlayerAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The sample's chat flow end to end, offline: HTTP in, scripted model, real tools, Runlayer client against the
 * starter's test server running the demo policy ({@code @AutoConfigureRunlayer}, reset before each test).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRunlayer(scripts = DemoPolicy.class)
class ChatFlowTests {

	@LocalServerPort
	int port;

	@Autowired
	RunlayerTestServer runlayer;

	@Autowired
	ApplicationContext context;

	@Autowired
	CommandTools commands;

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void theAnnotationsServerReplacesTheLocalProfilesDemoServer() {
		assertThat(this.context.containsBean(LocalRunlayerInitializer.SERVER_BEAN_NAME)).isFalse();
		assertThat(this.context.getBean(RunlayerClient.class).baseUrl())
			.isEqualTo(this.runlayer.baseUrl());
	}

	@Test
	void allowedCommandRunsAndItsOutputReachesTheAnswer() {
		JsonNode reply = chat("run ls", "conv-allow");

		assertThat(reply.get("conversationId").stringValue()).isEqualTo("conv-allow");
		// the simulated listing is fixed: the tools read nothing from disk, whatever the working directory
		assertThat(reply.get("answer").stringValue()).isEqualTo("run_command -> README.md\nsandbox/");
		assertThat(decisions(reply)).containsExactly("PRE_TOOL run_command ALLOW", "POST_TOOL run_command ALLOW");
		assertThat(this.runlayer).receivedPreTool("run_command").withSessionId("conv-allow").withInput("command", "ls").once();
		assertThat(this.runlayer.requests(RecordedRequest::isPreTool)).hasSize(1);
		assertThat(this.runlayer).receivedPostTool("run_command").withOutputContaining("README.md").once();
	}

	@Test
	void escapingPathIsRewrittenIntoTheSandboxAndTheEmailInItsOutputIsMasked() {
		JsonNode reply = chat("read ../notes.txt", "conv-rewrite");

		assertThat(decisions(reply)).containsExactly("PRE_TOOL read_file REWRITE", "POST_TOOL read_file MASK");
		String answer = reply.get("answer").stringValue();
		assertThat(answer).contains("Standup notes").contains(DemoPolicy.EMAIL_MASK).doesNotContain("carol@example.com");
		assertThat(this.runlayer).receivedPreTool("read_file").withInput("path", "../notes.txt").once();
		// the tool ran with the rewritten path: tool/post carries the rewritten input and the sandbox file's content
		assertThat(this.runlayer).receivedPostTool("read_file")
			.withInput("path", "sandbox/notes.txt")
			.withOutputContaining("carol@example.com")
			.once();
	}

	@Test
	void destructiveCommandIsDeniedAndNeverRuns() {
		JsonNode reply = chat("run rm -rf /tmp/workspace", "conv-deny");

		assertThat(decisions(reply)).containsExactly("PRE_TOOL run_command DENY");
		assertThat(reply.get("answer").stringValue()).contains("rm -rf").doesNotContain("(simulated) ran");
		assertThat(this.runlayer).receivedPreTool("run_command").withSessionId("conv-deny").once();
		assertThat(this.runlayer.requests(RecordedRequest::isPostTool)).isEmpty();
	}

	@Test
	void emailInATicketIsMasked() {
		JsonNode reply = chat("lookup T-1", "conv-mask");

		assertThat(decisions(reply)).containsExactly("PRE_TOOL lookup_ticket ALLOW", "POST_TOOL lookup_ticket MASK");
		assertThat(reply.get("answer").stringValue()).contains("Login page returns 500")
			.contains(DemoPolicy.EMAIL_MASK)
			.doesNotContain("alice@example.com");
		assertThat(this.runlayer).receivedPostTool("lookup_ticket").withOutputContaining("alice@example.com").once();
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

			List<RecordedRequest> pre = ofSession(this.runlayer.requests(RecordedRequest::isPreTool), conversationId);
			// the Spring AI decorator enforced the call and the @RunlayerTool interceptor passed through: one
			// tool/pre, under the identity the annotations give (run_command is a "shell" tool on every path)
			assertThat(pre).as(prompt).hasSize(1);
			String expectedType = pre.get(0).toolName().equals("run_command") ? "shell" : "function";
			assertThat(pre.get(0).toolType()).as(prompt).isEqualTo(expectedType);
			boolean denied = prompt.contains("rm -rf");
			assertThat(ofSession(this.runlayer.requests(RecordedRequest::isPostTool), conversationId)).as(prompt)
				.hasSize(denied ? 0 : 1);
			// RunlayerAdvisor is on the ChatClient once: one prompt in, one transcript-bearing Stop out
			assertThat(this.runlayer).receivedEvent("UserPromptSubmit")
				.withSessionId(conversationId)
				.withPayload("prompt", prompt)
				.once();
			assertThat(this.runlayer).receivedEvent("Stop")
				.withSessionId(conversationId)
				.withTranscriptContaining("assistant")
				.once();
			assertThat(ofSession(this.runlayer.requests(RecordedRequest::isEvent), conversationId)).as(prompt)
				.extracting(RecordedRequest::eventName)
				.containsExactly("UserPromptSubmit", "Stop");
		}
	}

	@Test
	void toolMethodCalledOutsideSpringAiIsEnforcedByItsRunlayerToolAnnotation() {
		String output = RunlayerSession.call("conv-direct", () -> this.commands.runCommand("whoami"));

		assertThat(output).isEqualTo("agent");
		assertThat(this.runlayer).receivedPreTool("run_command").withSessionId("conv-direct").withToolType("shell").once();
		assertThat(this.runlayer).receivedPostTool("run_command").withSessionId("conv-direct").once();
		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> RunlayerSession.call("conv-direct", () -> this.commands.runCommand("rm -rf /")));
	}

	@Test
	void actuatorEndpointListsEachToolOnceAndNoCredential() throws Exception {
		// Spring AI offers its tools with each request: after one chat turn they are listed too
		chat("lookup T-1", "conv-tools");
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/runlayer")).GET().build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = this.json.readTree(response.body());
		assertThat(body.get("baseUrl").stringValue()).isEqualTo(this.runlayer.baseUrl());
		// one entry per tool, whichever path (the @RunlayerTool interceptor or Spring AI) saw it
		assertThat(body.get("tools").valueStream().map((t) -> t.get("name").stringValue()))
			.containsExactlyInAnyOrder("run_command", "read_file", "lookup_ticket");
		assertThat(body.get("tools").valueStream()
			.filter((t) -> t.get("name").stringValue().equals("run_command"))
			.map((t) -> t.get("type").stringValue() + " " + t.get("failureMode").stringValue()))
			.containsExactly("shell CLOSED");
		assertThat(body.get("tools").valueStream().map((t) -> t.get("enforced").booleanValue())).containsOnly(true);
		assertThat(response.body()).doesNotContain(RunlayerTestServer.API_KEY);
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
		assertThat(ofSession(this.runlayer.requests(RecordedRequest::isEvent), sessionId))
			.extracting(RecordedRequest::eventName)
			.containsExactly("SessionStart", "UserPromptSubmit", "Stop");
	}

	private static List<RecordedRequest> ofSession(List<RecordedRequest> received, String sessionId) {
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
