package com.runlayer.spring.aop;

import java.util.Map;

import org.springframework.ai.chat.model.ToolContext;

/**
 * Reads the session id from a Spring AI {@code ToolContext}. Loaded only when a tool method has a parameter of that
 * type, so the interceptor works without Spring AI on the classpath.
 */
final class SpringAiToolContexts {

	private SpringAiToolContexts() {
	}

	/**
	 * The session id of a tool context: {@code runlayer_session_id}, else Spring AI's conversation id.
	 * @param toolContext a {@code ToolContext}
	 * @return the id, or null when neither entry has text
	 */
	static String sessionId(Object toolContext) {
		Map<String, Object> context = ((ToolContext) toolContext).getContext();
		if (context == null) {
			return null;
		}
		String id = text(context.get(RunlayerSessionId.TOOL_CONTEXT_KEY));
		return (id != null) ? id : text(context.get(RunlayerSessionId.CONVERSATION_ID_KEY));
	}

	private static String text(Object value) {
		if (value == null) {
			return null;
		}
		String text = value.toString();
		return (text != null && !text.isBlank()) ? text.trim() : null;
	}

}
