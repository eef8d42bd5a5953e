package com.runlayer.sample.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.observe.RunlayerObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Logs every Runlayer enforcement decision and collects those of the current chat turn, so {@code POST /chat} can
 * show them. A {@link RunlayerObserver} bean: the starter adds it to the Runlayer client, so it sees the decisions of
 * the real enforcement (the Spring AI tool-call decorator, or {@code @RunlayerTool} for direct calls). The tool calls
 * of a {@code ChatClient.call()} run on the caller's thread, so a thread-local collects the turn's decisions.
 */
@Component
public class DecisionLog implements RunlayerObserver {

	private static final Logger logger = LoggerFactory.getLogger(DecisionLog.class);

	private static final ThreadLocal<List<Decision>> CURRENT = new ThreadLocal<>();

	@Override
	public EnforcementScope enforcementStarted(EnforcementStage stage, ToolDescriptor tool) {
		List<Decision> turn = CURRENT.get();
		String toolName = (tool != null) ? tool.toolName() : "?";
		return new EnforcementScope() {

			private volatile String detail;

			@Override
			public void rewritten(Map<String, Object> originalInput, Map<String, Object> rewrittenInput) {
				this.detail = Changes.rewrite(originalInput, rewrittenInput);
			}

			@Override
			public void masked(Object originalOutput, String maskedOutput) {
				this.detail = Changes.mask(originalOutput, maskedOutput);
			}

			@Override
			public void finished(EnforcementDecision decision, Throwable error) {
				Decision entry = new Decision(stage.name(), toolName, decision.name(), this.detail);
				logger.info("Runlayer {}{}", entry, (error != null) ? " (" + error.getMessage() + ")" : "");
				if (turn != null) {
					synchronized (turn) {
						turn.add(entry);
					}
				}
			}

		};
	}

	@Override
	public void enforcementSkipped(ToolDescriptor tool) {
		if (tool == null) {
			return;
		}
		logger.info("Runlayer skipped {} (filtered)", tool.toolName());
		List<Decision> turn = CURRENT.get();
		if (turn != null) {
			synchronized (turn) {
				turn.add(new Decision("PRE_TOOL", tool.toolName(), EnforcementDecision.SKIPPED.name(), null));
			}
		}
	}

	/**
	 * Runs one chat turn and collects the decisions made on this thread meanwhile. A turn that Runlayer fails
	 * (e.g. the strict transcript {@code Stop} when Runlayer cannot be reached) is returned with its error and the
	 * decisions made before it failed.
	 * @param <T> the turn's result
	 * @param turn the work
	 * @return the result (null when the turn failed), the decisions and the Runlayer error, if any
	 */
	public <T> Recorded<T> record(Supplier<T> turn) {
		List<Decision> decisions = new ArrayList<>();
		List<Decision> previous = CURRENT.get();
		CURRENT.set(decisions);
		try {
			T result = null;
			RunlayerException error = null;
			try {
				result = turn.get();
			}
			catch (RunlayerException ex) {
				logger.warn("Chat turn failed: {}", ex.getMessage());
				error = ex;
			}
			synchronized (decisions) {
				return new Recorded<>(result, List.copyOf(decisions), error);
			}
		}
		finally {
			if (previous != null) {
				CURRENT.set(previous);
			}
			else {
				CURRENT.remove();
			}
		}
	}

	/**
	 * One enforcement decision.
	 *
	 * @param stage PRE_TOOL, POST_TOOL or MCP_SOURCE
	 * @param tool the tool name
	 * @param decision ALLOW, REWRITE, DENY, BLOCK, MASK, OUTAGE or SKIPPED
	 * @param detail what a rewrite changed ({@code path: ../notes.txt -> sandbox/notes.txt}) or what a mask replaced
	 * ({@code 17 characters replaced by "[email redacted]"}, never the masked text itself); null otherwise
	 */
	public record Decision(String stage, String tool, String decision, String detail) {

		@Override
		public String toString() {
			return this.stage + " " + this.tool + " -> " + this.decision
					+ ((this.detail != null) ? " (" + this.detail + ")" : "");
		}

	}

	/**
	 * A turn's result with its decisions.
	 *
	 * @param <T> the result type
	 * @param result the result, null when the turn failed
	 * @param decisions the decisions, in order
	 * @param error why Runlayer failed the turn, or null
	 */
	public record Recorded<T>(T result, List<Decision> decisions, RunlayerException error) {
	}

}
