package com.runlayer.sample;

import java.io.PrintStream;
import java.util.List;

import com.runlayer.sample.chat.AgentService;
import com.runlayer.sample.chat.DecisionLog;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.stereotype.Component;

/**
 * The scripted conversation of {@code --demo}: one prompt per policy outcome, each answer printed with the
 * Runlayer decisions it took.
 */
@Component
public class DemoConversation {

	/** The prompts played by {@code --demo}. */
	public static final List<String> PROMPTS = List.of("run ls", "read ../notes.txt", "run rm -rf /tmp/workspace",
			"lookup T-1", "read sandbox/secrets.txt");

	private final AgentService agent;

	DemoConversation(AgentService agent) {
		this.agent = agent;
	}

	/**
	 * Plays the conversation.
	 * @param out where to print
	 * @return how many turns were played and how many of them Runlayer failed
	 */
	public Result play(PrintStream out) {
		// the demo prints each decision itself: the decision log's INFO lines would show every decision twice
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		logging.setLogLevel(DecisionLog.class.getName(), LogLevel.WARN);
		try {
			return playTurns(out);
		}
		finally {
			logging.setLogLevel(DecisionLog.class.getName(), null);
		}
	}

	private Result playTurns(PrintStream out) {
		String conversationId = "demo-" + java.util.UUID.randomUUID();
		out.println();
		out.println("=== Runlayer demo conversation " + conversationId + " ===");
		int turns = 0;
		int failed = 0;
		for (String prompt : PROMPTS) {
			AgentService.Reply reply = this.agent.chat(conversationId, prompt);
			out.println();
			out.println("user  > " + prompt);
			for (DecisionLog.Decision decision : reply.decisions()) {
				out.println("runlayer: " + decision);
			}
			if (reply.failed()) {
				out.println("agent > (turn failed: " + reply.error() + ")");
				failed++;
			}
			else {
				out.println("agent > " + reply.answer().replace("\n", "\n        "));
			}
			turns++;
		}
		out.println();
		out.println("=== " + turns + " turns played" + ((failed > 0) ? ", " + failed + " failed" : "") + " ===");
		return new Result(turns, failed);
	}

	/**
	 * The outcome of a demo run.
	 *
	 * @param turns the turns played
	 * @param failed the turns that Runlayer failed (e.g. unreachable)
	 */
	public record Result(int turns, int failed) {
	}

}
