package com.runlayer.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --demo} plays the scripted conversation offline, prints each decision and exits 0; with a Runlayer that
 * cannot be reached it shows the outages and exits 1.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoRunTests {

	@Test
	void demoPlaysTheConversationPrintsEveryKindOfDecisionAndExitsZero(CapturedOutput output) {
		int exitCode = SampleApplication.runDemo("--demo");

		assertThat(exitCode).isZero();
		assertThat(output.getOut()).contains("user  > run ls")
			.contains("runlayer: PRE_TOOL run_command -> ALLOW")
			.contains("agent > run_command -> README.md\n        sandbox/")
			.contains("runlayer: PRE_TOOL read_file -> REWRITE")
			.contains("runlayer: POST_TOOL read_file -> MASK")
			.contains("runlayer: PRE_TOOL run_command -> DENY")
			.contains("runlayer: POST_TOOL lookup_ticket -> MASK")
			.contains("runlayer: POST_TOOL read_file -> BLOCK")
			.contains("=== 5 turns played ===")
			.doesNotContain("alice@example.com")
			.doesNotContain("sk-demo");
	}

	@Test
	void demoShowsWhatARewriteChangedAndWhatAMaskReplacedWithoutRevealingIt(CapturedOutput output) {
		assertThat(SampleApplication.runDemo("--demo")).isZero();

		assertThat(output.getOut())
			.contains("runlayer: PRE_TOOL read_file -> REWRITE (path: ../notes.txt -> sandbox/notes.txt)")
			.containsPattern("runlayer: POST_TOOL read_file -> MASK \\(\\d+ characters replaced by \"\\[email redacted\\]\"\\)")
			.containsPattern(
					"runlayer: POST_TOOL lookup_ticket -> MASK \\(\\d+ characters replaced by \"\\[email redacted\\]\"\\)")
			.doesNotContain("alice@example.com");
	}

	@Test
	void demoPrintsEachDecisionOnce(CapturedOutput output) {
		assertThat(SampleApplication.runDemo("--demo")).isZero();

		String out = output.getOut();
		for (String decision : new String[] { "PRE_TOOL run_command -> ALLOW", "PRE_TOOL read_file -> REWRITE",
				"POST_TOOL read_file -> BLOCK", "PRE_TOOL run_command -> DENY" }) {
			assertThat(out.split(java.util.regex.Pattern.quote(decision), -1)).as(decision).hasSize(2);
		}
		assertThat(out).doesNotContain("DecisionLog");
	}

	@Test
	void unreachableRunlayerBlocksEveryToolCallAndTheDemoExitsOne(CapturedOutput output) throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}

		int exitCode = SampleApplication.runDemo("--demo", "--runlayer.base-url=http://127.0.0.1:" + closedPort,
				"--runlayer.allow-insecure-transport=true", "--runlayer.api-key=rl_unreachable_test_key",
				"--runlayer.max-retries=0");

		assertThat(exitCode).isEqualTo(1);
		assertThat(output.getOut()).contains("runlayer: PRE_TOOL run_command -> OUTAGE")
			.contains("runlayer: PRE_TOOL lookup_ticket -> OUTAGE")
			.contains("agent > (turn failed: ")
			.contains("=== 5 turns played, 5 failed ===")
			.doesNotContain("(simulated) ran")
			.doesNotContain("Login page returns 500")
			.doesNotContain("rl_unreachable_test_key");
	}

}
