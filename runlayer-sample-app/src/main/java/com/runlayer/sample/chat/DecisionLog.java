package com.runlayer.sample.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.observe.RunlayerDecision;
import com.runlayer.spring.boot.RunlayerDecisionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs every Runlayer enforcement decision and collects those of each conversation's current chat turn, so
 * {@code POST /chat} can show them. A plain listener of the starter's {@link RunlayerDecisionEvent}s: each event
 * carries its session id (the conversation id), so the turn's decisions are found by conversation, whatever thread
 * made them.
 */
@Component
public class DecisionLog {

	private static final Logger logger = LoggerFactory.getLogger(DecisionLog.class);

	private static final int MAX_CONVERSATIONS = 1000;

	private static final int MAX_DECISIONS_PER_TURN = 200;

	private final Map<String, List<Decision>> turns = new LinkedHashMap<>();

	/**
	 * Logs a decision and adds it to its conversation's current turn.
	 * @param event the decision event
	 */
	@EventListener
	public void onDecision(RunlayerDecisionEvent event) {
		RunlayerDecision d = event.decision();
		String stage = (d.stage() != null) ? d.stage().name() : "PRE_TOOL";
		Decision entry = new Decision(stage, d.toolName(), d.decision().name());
		logger.info("Runlayer {} {} -> {}{}{}", entry.stage(), entry.tool(), entry.decision(),
				d.applied() ? "" : " (not applied: monitor mode)", (d.reason() != null) ? " (" + d.reason() + ")" : "");
		if (d.sessionId() == null) {
			return;
		}
		synchronized (this.turns) {
			List<Decision> turn = this.turns.get(d.sessionId());
			if (turn != null && turn.size() < MAX_DECISIONS_PER_TURN) {
				turn.add(entry);
			}
		}
	}

	/**
	 * Runs one chat turn of a conversation and collects the decisions published for it meanwhile. A turn that
	 * Runlayer fails (e.g. the strict transcript {@code Stop} when Runlayer cannot be reached) is returned with its
	 * error and the decisions made before it failed.
	 * @param <T> the turn's result
	 * @param conversationId the conversation (Runlayer session) id
	 * @param turn the work
	 * @return the result (null when the turn failed), the decisions and the Runlayer error, if any
	 */
	public <T> Recorded<T> record(String conversationId, Supplier<T> turn) {
		synchronized (this.turns) {
			if (!this.turns.containsKey(conversationId) && this.turns.size() >= MAX_CONVERSATIONS) {
				this.turns.remove(this.turns.keySet().iterator().next());
			}
			this.turns.put(conversationId, new ArrayList<>());
		}
		T result = null;
		RunlayerException error = null;
		try {
			result = turn.get();
		}
		catch (RunlayerException ex) {
			logger.warn("Chat turn failed: {}", ex.getMessage());
			error = ex;
		}
		List<Decision> decisions;
		synchronized (this.turns) {
			List<Decision> collected = this.turns.remove(conversationId);
			decisions = (collected != null) ? List.copyOf(collected) : List.of();
		}
		return new Recorded<>(result, decisions, error);
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
	 * @param result the result, null when the turn failed
	 * @param decisions the decisions, in order
	 * @param error why Runlayer failed the turn, or null
	 */
	public record Recorded<T>(T result, List<Decision> decisions, RunlayerException error) {
	}

}
