package com.runlayer.spring.aop;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.runlayer.sdk.RunlayerSessionIds;

/**
 * Marks the parameter of a {@link RunlayerTool} method that carries the Runlayer session (conversation) id. The
 * parameter is not part of the tool input and is never rewritten. Its value is turned into text with
 * {@code toString()} and trimmed; a null or blank value falls through to the next session source (a Spring AI
 * {@code ToolContext}, {@link com.runlayer.sdk.RunlayerSession#current()}, the {@link RunlayerSessionIdResolver}
 * beans). At most one parameter of a method may carry it.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RunlayerSessionId {

	/**
	 * The Spring AI {@code ToolContext} entry read for the session id before the conversation id.
	 */
	String TOOL_CONTEXT_KEY = RunlayerSessionIds.TOOL_CONTEXT_KEY;

	/**
	 * Spring AI's conversation id entry ({@code ChatMemory.CONVERSATION_ID}), read when
	 * {@link #TOOL_CONTEXT_KEY} is absent.
	 */
	String CONVERSATION_ID_KEY = RunlayerSessionIds.CONVERSATION_ID_KEY;

}
