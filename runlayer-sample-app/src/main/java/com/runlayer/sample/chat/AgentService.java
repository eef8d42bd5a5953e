package com.runlayer.sample.chat;

import java.util.List;
import java.util.Map;

import com.runlayer.sdk.RunlayerSession;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Runs one chat turn of a conversation; the conversation id is the Runlayer session id.
 */
@Service
public class AgentService {

	private final ChatClient chatClient;

	private final DecisionLog decisionLog;

	private final InterimRunlayerEnforcement interim;

	AgentService(ChatClient chatClient, DecisionLog decisionLog, ObjectProvider<InterimRunlayerEnforcement> interim) {
		this.chatClient = chatClient;
		this.decisionLog = decisionLog;
		this.interim = interim.getIfAvailable();
	}

	/**
	 * Answers a prompt.
	 * @param conversationId the conversation (Runlayer session) id
	 * @param prompt the user's prompt
	 * @return the answer and the enforcement decisions of this turn
	 */
	public Reply chat(String conversationId, String prompt) {
		if (this.interim != null) {
			this.interim.promptSubmitted(conversationId, prompt);
		}
		DecisionLog.Recorded<String> turn = this.decisionLog
			.record(() -> RunlayerSession.call(conversationId, () -> this.chatClient.prompt()
				.user(prompt)
				.toolContext(Map.of(InterimRunlayerEnforcement.SESSION_ID_KEY, conversationId))
				.call()
				.content()));
		if (this.interim != null) {
			this.interim.turnFinished(conversationId);
		}
		return new Reply(conversationId, turn.result(), turn.decisions());
	}

	/**
	 * The answer of one turn.
	 *
	 * @param conversationId the conversation id
	 * @param answer the model's answer
	 * @param decisions the Runlayer decisions of this turn, in order
	 */
	public record Reply(String conversationId, String answer, List<DecisionLog.Decision> decisions) {
	}

}
