package com.runlayer.sample.chat;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /chat {"prompt": "...", "conversationId": "..."}}: one chat turn of the agent.
 */
@RestController
public class ChatController {

	private final AgentService agent;

	ChatController(AgentService agent) {
		this.agent = agent;
	}

	/**
	 * Answers a prompt.
	 * @param request the prompt and an optional conversation id (a new one is made when absent)
	 * @return the answer and the enforcement decisions; 503 with the error and the decisions when Runlayer failed
	 * the turn
	 */
	@PostMapping("/chat")
	public ResponseEntity<AgentService.Reply> chat(@RequestBody ChatRequest request) {
		if (request.prompt() == null || request.prompt().isBlank()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "prompt is required");
		}
		String conversationId = (request.conversationId() != null && !request.conversationId().isBlank())
				? request.conversationId() : UUID.randomUUID().toString();
		AgentService.Reply reply = this.agent.chat(conversationId, request.prompt());
		return ResponseEntity.status(reply.failed() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK).body(reply);
	}

	/**
	 * The chat request.
	 *
	 * @param prompt the user's prompt
	 * @param conversationId the conversation id, optional
	 */
	public record ChatRequest(String prompt, String conversationId) {
	}

}
