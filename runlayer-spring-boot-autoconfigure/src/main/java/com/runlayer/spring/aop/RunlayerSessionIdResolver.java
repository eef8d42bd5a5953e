package com.runlayer.spring.aop;

import java.lang.reflect.Method;

/**
 * Supplies the Runlayer session id of a {@link RunlayerTool} call when the call itself has none (no
 * {@link RunlayerSessionId} parameter, no Spring AI {@code ToolContext} entry, no
 * {@link com.runlayer.sdk.RunlayerSession} scope). Declare one or more as beans; they are asked in
 * {@link org.springframework.core.annotation.Order} order and the first non-blank answer wins.
 *
 * <p>Called on the caller's thread when the tool method is called; must be thread-safe and fast.
 */
@FunctionalInterface
public interface RunlayerSessionIdResolver {

	/**
	 * Resolves the session id of a tool call.
	 * @param method the tool method (the bean class's own method)
	 * @param arguments the call's arguments; do not modify
	 * @return the session id, or null (or blank) when this resolver does not know it
	 */
	String resolveSessionId(Method method, Object[] arguments);

}
