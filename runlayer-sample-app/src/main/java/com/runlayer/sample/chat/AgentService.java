package com.runlayer.sample.chat;

import java.util.List;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.stereotype.Service;

/**
 * Runs one chat turn of a conversation; the conversation id is the Runlayer session id.
 */
@Service
public class AgentService {

	private final ChatClient chatClient;

	private final DecisionLog decisionLog;

	AgentService(ChatClient chatClient, DecisionLog decisionLog) {
		this.chatClient = chatClient;
		this.decisionLog = decisionLog;
	}

	/**
	 * Answers a prompt.
	 * @param conversationId the conversation (Runlayer session) id
	 * @param prompt the user's prompt
	 * @return the answer and the enforcement decisions of this turn, or the error when Runlayer failed the turn
	 */
	public Reply chat(String conversationId, String prompt) {
		// The conversation id is the Runlayer session: RunlayerAdvisor reads it from this advisor param and scopes
		// the session for the tool calls of the turn.
		DecisionLog.Recorded<String> turn = this.decisionLog.record(conversationId, () -> this.chatClient.prompt()
			.user(prompt)
			.advisors((advisors) -> advisors.param(ChatMemory.CONVERSATION_ID, conversationId))
			.call()
			.content());
		return new Reply(conversationId, turn.result(), turn.decisions(),
				(turn.error() != null) ? turn.error().getMessage() : null);
	}

	/**
	 * The answer of one turn.
	 *
	 * @param conversationId the conversation id
	 * @param answer the model's answer, null when the turn failed
	 * @param decisions the Runlayer decisions of this turn, in order
	 * @param error why Runlayer failed the turn (e.g. unreachable: enforcement is fail-closed and the transcript
	 * Stop is strict), else null
	 */
	public record Reply(String conversationId, String answer, List<DecisionLog.Decision> decisions, String error) {

		/**
		 * Whether the turn failed.
		 * @return true when {@link #error()} is set
		 */
		public boolean failed() {
			return this.error != null;
		}

	}

}
