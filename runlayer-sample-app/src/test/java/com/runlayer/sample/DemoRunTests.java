package com.runlayer.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --demo} plays the scripted conversation offline, prints each decision and exits 0.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoRunTests {

	@Test
	void demoPlaysTheConversationPrintsEveryKindOfDecisionAndExitsZero(CapturedOutput output) {
		int exitCode = SampleApplication.runDemo("--demo");

		assertThat(exitCode).isZero();
		assertThat(output.getOut()).contains("user  > run ls")
			.contains("runlayer: PRE_TOOL run_command -> ALLOW")
			.contains("runlayer: PRE_TOOL read_file -> REWRITE")
			.contains("runlayer: POST_TOOL read_file -> MASK")
			.contains("runlayer: PRE_TOOL run_command -> DENY")
			.contains("runlayer: POST_TOOL lookup_ticket -> MASK")
			.contains("runlayer: POST_TOOL read_file -> BLOCK")
			.contains("=== 5 turns played ===")
			.doesNotContain("alice@example.com");
	}

}
