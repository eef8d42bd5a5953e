package com.runlayer.spring.ai;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.aop.support.AopUtils;
import org.springframework.ai.tool.method.MethodToolCallback;

/**
 * Finds the bean method behind a Spring AI {@link MethodToolCallback} (a {@code @Tool} method), so that the tool
 * gets the identity of that method ({@code @RunlayerTool} settings, name) and the exactly-once scope names that very
 * invocation. Spring AI 2.0 exposes neither the method nor its object, so they are read from the callback's fields
 * once per callback; when that fails (another Spring AI version), the tool is enforced by its definition only and a
 * WARN says so once.
 */
final class MethodCallbacks {

	private static final Logger logger = LoggerFactory.getLogger(MethodCallbacks.class);

	private static final Field METHOD = SpringAiFields.accessible(MethodToolCallback.class, "toolMethod", null);

	private static final Field OBJECT = SpringAiFields.accessible(MethodToolCallback.class, "toolObject", null);

	private static volatile boolean warned;

	private MethodCallbacks() {
	}

	/**
	 * The method and object behind a callback.
	 * @param callback the callback
	 * @return the target, or null when the callback is not a readable method callback
	 */
	static Target target(ToolCallback callback) {
		if (!(callback instanceof MethodToolCallback)) {
			return null;
		}
		if (METHOD == null || OBJECT == null) {
			warnOnce(null);
			return null;
		}
		try {
			Method method = (Method) METHOD.get(callback);
			Object object = OBJECT.get(callback);
			if (method == null) {
				return null;
			}
			return new Target(method, object);
		}
		catch (IllegalAccessException | RuntimeException ex) {
			warnOnce(ex);
			return null;
		}
	}

	private static void warnOnce(Exception ex) {
		if (!warned) {
			warned = true;
			logger.warn("Runlayer cannot see the method behind Spring AI @Tool callbacks in this Spring AI version;"
					+ " @Tool methods are enforced under their tool name with default settings, and a @Tool method"
					+ " that is also @RunlayerTool may be enforced twice", ex);
		}
	}

	/**
	 * The method behind a callback and the object it is invoked on.
	 * @param method the method
	 * @param object the object; null for a static method
	 */
	record Target(Method method, Object object) {

		Class<?> beanClass() {
			return (this.object != null) ? AopUtils.getTargetClass(this.object) : this.method.getDeclaringClass();
		}

	}

}
