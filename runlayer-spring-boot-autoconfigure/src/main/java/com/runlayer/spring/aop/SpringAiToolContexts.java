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
	 * The entries of a tool context.
	 * @param toolContext a {@code ToolContext}
	 * @return its map, may be null
	 */
	static Map<String, Object> context(Object toolContext) {
		return ((ToolContext) toolContext).getContext();
	}

}
