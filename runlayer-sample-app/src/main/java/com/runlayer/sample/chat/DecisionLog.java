package com.runlayer.sample.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.enforcement.ToolDescriptor;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.observe.RunlayerDecision;
import com.runlayer.sdk.observe.RunlayerObserver;
import com.runlayer.spring.boot.RunlayerDecisionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs every Runlayer enforcement decision and collects those of each conversation's current chat turn, so
 * {@code POST /chat} can show them. A listener of the starter's {@link RunlayerDecisionEvent}s: each event
 * carries its session id (the conversation id), so the turn's decisions are found by conversation, whatever thread
 * made them. It is also a {@link RunlayerObserver} bean, only to hear what an applied rewrite changed and how much
 * of an output a mask replaced (the enforcement scope's callbacks, which run on the thread that then publishes the
 * decision); the text a mask hid is never kept.
 */
@Component
public class DecisionLog implements RunlayerObserver {

	private static final Logger logger = LoggerFactory.getLogger(DecisionLog.class);

	private static final int MAX_CONVERSATIONS = 1000;

	private static final int MAX_DECISIONS_PER_TURN = 200;

	// what the current enforcement stage of this thread changed (a rewrite or a mask), set by the scope just before
	// the decision is published on the same thread
	private static final ThreadLocal<String> DETAIL = new ThreadLocal<>();

	private final Map<String, List<Decision>> turns = new LinkedHashMap<>();

	/**
	 * Notes what an applied rewrite or mask of this enforcement stage changed, for the decision that follows.
	 */
	@Override
	public EnforcementScope enforcementStarted(EnforcementStage stage, ToolDescriptor tool) {
		DETAIL.remove();
		return new EnforcementScope() {

			@Override
			public void rewritten(Map<String, Object> originalInput, Map<String, Object> rewrittenInput) {
				DETAIL.set(Changes.rewrite(originalInput, rewrittenInput));
			}

			@Override
			public void masked(Object originalOutput, String maskedOutput) {
				DETAIL.set(Changes.mask(originalOutput, maskedOutput));
			}

			@Override
			public void finished(EnforcementDecision decision, Throwable error) {
			}

		};
	}

	/**
	 * Logs a decision and adds it to its conversation's current turn.
	 * @param event the decision event
	 */
	@EventListener
	public void onDecision(RunlayerDecisionEvent event) {
		RunlayerDecision d = event.decision();
		String stage = (d.stage() != null) ? d.stage().name() : "PRE_TOOL";
		String detail = DETAIL.get();
		DETAIL.remove();
		boolean changed = d.applied()
				&& (d.decision() == EnforcementDecision.REWRITE || d.decision() == EnforcementDecision.MASK);
		Decision entry = new Decision(stage, d.toolName(), d.decision().name(), changed ? detail : null);
		logger.info("Runlayer {}{}{}", entry, d.applied() ? "" : " (not applied: monitor mode)",
				(d.reason() != null && !changed) ? " (" + d.reason() + ")" : "");
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
