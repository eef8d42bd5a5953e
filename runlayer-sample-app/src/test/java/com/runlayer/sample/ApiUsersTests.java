package com.runlayer.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.runlayer.sample.local.DemoPolicy;
import com.runlayer.sdk.auth.RunlayerSubject;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's two API users (HTTP basic, {@code local} profile) acting through an agent account with
 * {@code runlayer.agent-subject.source=security-context}: each user's tool calls reach the demo Runlayer with that
 * user as the subject of an on-behalf-of token, and the demo policy denies shell commands to bob only.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "runlayer.agent-subject.source=security-context")
@AutoConfigureRunlayer(scripts = DemoPolicy.class, agentAccount = true)
class ApiUsersTests {

	@LocalServerPort
	int port;

	@Autowired
	RunlayerTestServer runlayer;

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void eachUsersCallsActForThatUserAndTheDemoPolicyDeniesTheShellToBob() throws Exception {
		JsonNode alice = chat("alice@example.com:alice", "run ls", "conv-alice");
		JsonNode bob = chat("bob@example.com:bob", "run ls", "conv-bob");

		assertThat(decisions(alice)).containsExactly("PRE_TOOL run_command ALLOW", "POST_TOOL run_command ALLOW");
		assertThat(decisions(bob)).containsExactly("PRE_TOOL run_command DENY");
		assertThat(bob.get("answer").stringValue()).contains("bob@example.com");
		assertThat(subjectsOf("conv-alice")).containsOnly("alice@example.com");
		assertThat(subjectsOf("conv-bob")).containsOnly("bob@example.com");
		List<RecordedRequest> exchanges = this.runlayer.requests((r) -> r.isTokenRequest()
				&& "urn:ietf:params:oauth:grant-type:token-exchange".equals(r.form().get("grant_type")));
		assertThat(exchanges).extracting((r) -> r.form().get("subject_token"))
			.containsExactlyInAnyOrder("alice@example.com", "bob@example.com");
		assertThat(exchanges).extracting((r) -> r.form().get("subject_token_type"))
			.containsOnly(RunlayerSubject.USER_EMAIL);
	}

	@Test
	void withoutCredentialsTheAgentActsAsItself() throws Exception {
		JsonNode reply = chat(null, "run ls", "conv-anonymous");

		assertThat(decisions(reply)).containsExactly("PRE_TOOL run_command ALLOW", "POST_TOOL run_command ALLOW");
		assertThat(subjectsOf("conv-anonymous")).containsOnlyNulls();
	}

	@Test
	void aWrongPasswordIsRefused() throws Exception {
		HttpResponse<String> response = post("alice@example.com:wrong", "run ls", "conv-wrong");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(this.runlayer.requests(RecordedRequest::isPreTool)).isEmpty();
	}

	private List<String> subjectsOf(String sessionId) {
		List<RecordedRequest> calls = this.runlayer
			.requests((r) -> (r.isPreTool() || r.isPostTool()) && r.sessionId().equals(sessionId));
		assertThat(calls).isNotEmpty();
		return calls.stream().map(RecordedRequest::subject).toList();
	}

	private JsonNode chat(String user, String prompt, String conversationId) throws IOException, InterruptedException {
		HttpResponse<String> response = post(user, prompt, conversationId);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private HttpResponse<String> post(String user, String prompt, String conversationId)
			throws IOException, InterruptedException {
		String body = this.json.writeValueAsString(java.util.Map.of("prompt", prompt, "conversationId", conversationId));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/chat"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (user != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static List<String> decisions(JsonNode reply) {
		return reply.get("decisions")
			.valueStream()
			.map((d) -> d.get("stage").stringValue() + " " + d.get("tool").stringValue() + " "
					+ d.get("decision").stringValue())
			.toList();
	}

}
