package com.runlayer.sample;

import java.util.Map;

import com.runlayer.sample.chat.AgentService;
import com.runlayer.spring.test.AutoConfigureRunlayer;
import com.runlayer.spring.test.RecordedRequest;
import com.runlayer.spring.test.RunlayerTestServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static com.runlayer.spring.test.RunlayerAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example of docs/testing.md, as the sample runs it: a Spring AI service tested against the starter's test
 * server with nothing but {@code @AutoConfigureRunlayer} (allow-all until a test scripts otherwise). The sample's
 * scripted model repeats what each tool call returned, so its answer shows what the model was told.
 */
@SpringBootTest
@AutoConfigureRunlayer
class AgentPolicyTests {

	@Autowired
	AgentService agent;

	@Autowired
	RunlayerTestServer runlayer;

	@Test
	void deniedCommandIsExplainedToTheModelAndNeverRuns() {
		this.runlayer.onPreTool("run_command").deny("No shell commands in tests");

		AgentService.Reply reply = this.agent.chat("c1", "run ls");

		assertThat(reply.answer()).contains("No shell commands in tests");
		assertThat(this.runlayer).receivedPreTool("run_command").withSessionId("c1").withInput("command", "ls");
		assertThat(this.runlayer.requests(RecordedRequest::isPostTool)).isEmpty();
		assertThat(this.runlayer).receivedEvent("Stop").withSessionId("c1");
	}

	@Test
	void rewrittenPathReachesTheTool() {
		this.runlayer.onPreTool("read_file").rewrite(Map.of("path", "sandbox/notes.txt"));

		AgentService.Reply reply = this.agent.chat("c2", "read ../notes.txt");

		// only sandbox/notes.txt holds the standup notes: the tool ran with the rewritten path
		assertThat(reply.answer()).contains("Standup notes");
		assertThat(this.runlayer).receivedPreTool("read_file").withInput("path", "../notes.txt");
		assertThat(this.runlayer).receivedPostTool("read_file").withInput("path", "sandbox/notes.txt");
	}

}
