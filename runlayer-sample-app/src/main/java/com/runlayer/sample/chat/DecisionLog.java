package com.runlayer.sample.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.observe.RunlayerObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Logs every Runlayer enforcement decision and collects those of the current chat turn, so {@code POST /chat} can
 * show them. A {@link RunlayerObserver} bean: the starter adds it to the Runlayer client.
 */
@Component
public class DecisionLog implements RunlayerObserver {

	private static final Logger logger = LoggerFactory.getLogger(DecisionLog.class);

	private static final ThreadLocal<List<Decision>> CURRENT = new ThreadLocal<>();

	@Override
	public EnforcementScope enforcementStarted(EnforcementStage stage, ToolDescriptor tool) {
		List<Decision> turn = CURRENT.get();
		String toolName = (tool != null) ? tool.toolName() : "?";
		return (decision, error) -> {
			Decision entry = new Decision(stage.name(), toolName, decision.name());
			logger.info("Runlayer {} {} -> {}{}", entry.stage(), entry.tool(), entry.decision(),
					(error != null) ? " (" + error.getMessage() + ")" : "");
			if (turn != null) {
				synchronized (turn) {
					turn.add(entry);
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
				turn.add(new Decision("PRE_TOOL", tool.toolName(), EnforcementDecision.SKIPPED.name()));
			}
		}
	}

	/**
	 * Runs one chat turn and collects the decisions made on this thread meanwhile.
	 * @param <T> the turn's result
	 * @param turn the work
	 * @return the result and the decisions
	 */
	public <T> Recorded<T> record(Supplier<T> turn) {
		List<Decision> decisions = new ArrayList<>();
		List<Decision> previous = CURRENT.get();
		CURRENT.set(decisions);
		try {
			T result = turn.get();
			synchronized (decisions) {
				return new Recorded<>(result, List.copyOf(decisions));
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
	 */
	public record Decision(String stage, String tool, String decision) {
	}

	/**
	 * A turn's result with its decisions.
	 *
	 * @param <T> the result type
	 * @param result the result
	 * @param decisions the decisions, in order
	 */
	public record Recorded<T>(T result, List<Decision> decisions) {
	}

}
