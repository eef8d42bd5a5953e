package com.runlayer.sdk;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The one rule for finding the Runlayer session (conversation) id of a call, shared by every entry path: the
 * {@code @RunlayerTool} interceptor, the Spring AI tool callbacks and advisor, and the map-tool adapters.
 *
 * <p>Sources are asked in this order and the first one with text wins:
 * <ol>
 * <li>the call's own explicit id (a {@code @RunlayerSessionId} parameter, an adapter's session id);</li>
 * <li>the {@value #TOOL_CONTEXT_KEY} entry of the call's context map (a Spring AI {@code ToolContext} or advisor
 * params);</li>
 * <li>the {@value #CONVERSATION_ID_KEY} entry of that map (Spring AI's {@code ChatMemory.CONVERSATION_ID});</li>
 * <li>{@link RunlayerSession#current()};</li>
 * <li>the caller's further fallbacks, in order.</li>
 * </ol>
 * Every value is normalised the same way: {@code toString()}, then trimmed; null or blank means "none here". So
 * {@code " c1 "} and {@code "c1"} are the same session on every path. Stateless.
 */
public final class RunlayerSessionIds {

	/** The context entry that names the Runlayer session explicitly. */
	public static final String TOOL_CONTEXT_KEY = "runlayer_session_id";

	/** Spring AI's conversation id entry ({@code ChatMemory.CONVERSATION_ID}). */
	public static final String CONVERSATION_ID_KEY = "chat_memory_conversation_id";

	private RunlayerSessionIds() {
	}

	/**
	 * Normalises a candidate session id.
	 * @param value the candidate, any type (its {@code toString()} is used)
	 * @return the trimmed text, or null when the value is null or blank
	 */
	public static String normalize(Object value) {
		if (value == null) {
			return null;
		}
		String text = value.toString();
		if (text == null) {
			return null;
		}
		text = text.trim();
		return text.isEmpty() ? null : text;
	}

	/**
	 * The session id from a context map: {@value #TOOL_CONTEXT_KEY}, else {@value #CONVERSATION_ID_KEY}.
	 * @param context the map, may be null
	 * @return the normalised id, or null
	 */
	public static String fromContext(Map<String, ?> context) {
		if (context == null || context.isEmpty()) {
			return null;
		}
		String id = normalize(context.get(TOOL_CONTEXT_KEY));
		return (id != null) ? id : normalize(context.get(CONVERSATION_ID_KEY));
	}

	/**
	 * Applies the ordered rule.
	 * @param explicit the call's own id, may be null
	 * @param context the call's context map, may be null
	 * @param fallbacks further sources asked after {@link RunlayerSession#current()}, in order; each may return
	 * null
	 * @return the normalised session id, or null when no source has one
	 */
	@SafeVarargs
	public static String resolve(Object explicit, Map<String, ?> context, Supplier<?>... fallbacks) {
		String id = normalize(explicit);
		if (id != null) {
			return id;
		}
		id = fromContext(context);
		if (id != null) {
			return id;
		}
		id = normalize(RunlayerSession.current().orElse(null));
		if (id != null) {
			return id;
		}
		if (fallbacks != null) {
			for (Supplier<?> fallback : fallbacks) {
				id = normalize(fallback.get());
				if (id != null) {
					return id;
				}
			}
		}
		return null;
	}

}
