package com.runlayer.spring.boot.rollout;

import java.util.concurrent.atomic.AtomicInteger;

import com.runlayer.spring.aop.RunlayerSessionId;
import com.runlayer.spring.aop.RunlayerTool;

/**
 * Tool beans of the rollout tests; each counts its runs and keeps its last argument.
 */
public class RolloutTools {

	final AtomicInteger runs = new AtomicInteger();

	volatile String lastCommand;

	public int runs() {
		return this.runs.get();
	}

	public String lastCommand() {
		return this.lastCommand;
	}

	@RunlayerTool(name = "run_command", type = "shell")
	public String runCommand(String command, @RunlayerSessionId String session) {
		this.runs.incrementAndGet();
		this.lastCommand = command;
		return "ran " + command;
	}

	@RunlayerTool(name = "open_ticket", failureMode = RunlayerTool.FailureMode.CLOSED)
	public String openTicket(String title, @RunlayerSessionId String session) {
		this.runs.incrementAndGet();
		return "opened " + title;
	}

	@RunlayerTool(name = "search_docs", failureMode = RunlayerTool.FailureMode.OPEN)
	public String searchDocs(String query, @RunlayerSessionId String session) {
		this.runs.incrementAndGet();
		return "found " + query;
	}

}
