package com.runlayer.spring.ai;

import java.lang.reflect.Field;

import org.springframework.util.ReflectionUtils;

/**
 * Reads what Spring AI 2.0 keeps in private fields of its tool callbacks and does not expose (the method of a
 * {@code @Tool} callback, the delegate of a decorator). One place for the lookup, so that a Spring AI version without
 * the field degrades the same way everywhere: the field is null and the caller falls back (and warns once).
 */
final class SpringAiFields {

	private SpringAiFields() {
	}

	/**
	 * A private field made accessible.
	 * @param owner the class that declares it (or a subclass)
	 * @param name the field name
	 * @param type the field type, or null for any
	 * @return the field, or null when it does not exist or cannot be made accessible
	 */
	static Field accessible(Class<?> owner, String name, Class<?> type) {
		try {
			Field field = ReflectionUtils.findField(owner, name, type);
			if (field != null) {
				ReflectionUtils.makeAccessible(field);
			}
			return field;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
