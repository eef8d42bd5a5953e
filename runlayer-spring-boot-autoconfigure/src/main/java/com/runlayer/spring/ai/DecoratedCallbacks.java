package com.runlayer.spring.ai;

import java.lang.reflect.Field;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.augment.AugmentedToolCallback;

/**
 * Sees through Spring AI's own tool callback decorators ({@link AugmentedToolCallback}, which adds arguments to a
 * tool's schema and strips them before the call), so that a decorated MCP tool is still an MCP tool of its server, a
 * decorated {@code @Tool} method still that method, and a decorated {@link RunlayerToolCallback} is not enforced a
 * second time. Spring AI exposes no delegate, so it is read from the decorator's field; when that fails (another
 * Spring AI version) the decorator is taken as it is and a WARN says so once.
 */
final class DecoratedCallbacks {

	private static final Logger logger = LoggerFactory.getLogger(DecoratedCallbacks.class);

	private static final int MAX_DEPTH = 16;

	private static final Field AUGMENTED_DELEGATE = SpringAiFields.accessible(AugmentedToolCallback.class,
			"delegate", ToolCallback.class);

	private static volatile boolean warned;

	private DecoratedCallbacks() {
	}

	/**
	 * The callback behind Spring AI's decorators: the first one that is not an {@link AugmentedToolCallback} (or is a
	 * {@link RunlayerToolCallback}).
	 * @param callback the callback
	 * @return the innermost callback, or the callback itself when it is not decorated or cannot be seen through
	 */
	static ToolCallback innermost(ToolCallback callback) {
		ToolCallback current = callback;
		for (int depth = 0; depth < MAX_DEPTH && current instanceof AugmentedToolCallback<?>; depth++) {
			ToolCallback next = delegate(current);
			if (next == null) {
				return current;
			}
			current = next;
		}
		return current;
	}

	private static ToolCallback delegate(ToolCallback augmented) {
		if (AUGMENTED_DELEGATE == null) {
			warnOnce(null);
			return null;
		}
		try {
			return (ToolCallback) AUGMENTED_DELEGATE.get(augmented);
		}
		catch (IllegalAccessException | RuntimeException ex) {
			warnOnce(ex);
			return null;
		}
	}

	private static void warnOnce(Exception ex) {
		if (!warned) {
			warned = true;
			logger.warn("Runlayer cannot see the tool behind Spring AI's AugmentedToolCallback in this Spring AI"
					+ " version; such tools are enforced under their tool name as function tools (an MCP tool loses its"
					+ " server name and URL)", ex);
		}
	}

}
