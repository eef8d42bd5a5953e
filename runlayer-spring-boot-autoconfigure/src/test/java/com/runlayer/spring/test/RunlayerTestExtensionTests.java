package com.runlayer.spring.test;

import java.util.Map;

import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.runlayer.spring.test.RunlayerAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link RunlayerTestExtension} registered as a static field with a script: one server for the class, the script
 * back after every reset, the injected client and server are the extension's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunlayerTestExtensionTests {

	@RegisterExtension
	static RunlayerTestExtension runlayer = new RunlayerTestExtension(
			(server) -> server.onPreTool("run_command").deny("No shell"));

	private static String firstBaseUrl;

	private static ToolCall command(String command) {
		return ToolCall.builder().sessionId("s1").toolName("run_command").toolInput(Map.of("command", command)).build();
	}

	@Test
	@Order(1)
	void scriptDeniesAndTheTestMayOverrideIt(RunlayerTestServer server, RunlayerClient client) {
		firstBaseUrl = server.baseUrl();
		assertThat(runlayer.server()).isSameAs(server);
		assertThat(client.baseUrl()).isEqualTo(server.baseUrl());
		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> client.runTool(command("ls"), (input) -> "ran"))
			.withMessageContaining("No shell");

		server.onPreTool("run_command").allow();
		assertThat(client.runTool(command("ls"), (input) -> "ran")).isEqualTo("ran");
	}

	@Test
	@Order(2)
	void nextTestHasTheSameServerWithOnlyTheScript(RunlayerTestServer server, RunlayerClient client) {
		assertThat(server.baseUrl()).isEqualTo(firstBaseUrl);
		assertThat(server).receivedNothing();
		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> client.runTool(command("ls"), (input) -> "ran"));
		assertThat(server).receivedPreTool("run_command").withInput("command", "ls").once();
	}

}
