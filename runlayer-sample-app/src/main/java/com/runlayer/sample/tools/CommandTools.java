package com.runlayer.sample.tools;

import com.runlayer.spring.aop.RunlayerTool;

import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.stereotype.Component;

/**
 * A shell-like tool. It only simulates commands: a sample must never run what a model asks for on your machine,
 * whatever the policy says.
 */
@Component
public class CommandTools {

	/**
	 * Runs a (simulated) shell command.
	 * @param command the command line
	 * @return the simulated output
	 */
	@Tool(name = "run_command", description = "Run a shell command in the agent's workspace and return its output")
	@RunlayerTool(type = "shell") // Runlayer sees "run_command" (the @Tool name) as a shell tool on every path
	public String runCommand(@ToolParam(description = "the command line") String command) {
		String trimmed = command.trim();
		if (trimmed.equals("ls") || trimmed.startsWith("ls ")) {
			return "README.md\nsandbox/";
		}
		if (trimmed.equals("whoami")) {
			return "agent";
		}
		return "(simulated) ran: " + trimmed;
	}

}
