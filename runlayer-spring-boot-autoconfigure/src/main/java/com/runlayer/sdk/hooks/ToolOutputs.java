package com.runlayer.sdk.hooks;

import java.lang.reflect.Type;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a masked output ({@code modified_output}) into what the caller gets: the text itself where the tool
 * returns text, otherwise the text parsed as JSON and converted to the tool's declared return type. A conversion
 * that fails raises {@link IllegalArgumentException}, which the client turns into a block: the raw output is never
 * returned in its place.
 *
 * <p>Internal API of the SDK. Thread-safe.
 */
public final class ToolOutputs {

	private final JsonMapper jsonMapper;

	/**
	 * Creates the converter.
	 * @param jsonMapper the JSON mapper
	 */
	public ToolOutputs(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Converts a masked output.
	 * @param masked the {@code modified_output} text
	 * @param raw the raw output of the tool, may be null
	 * @param declaredType the declared return type, or null to use the raw output's class
	 * @return the value to return to the caller
	 * @throws IllegalArgumentException when the text cannot be converted to the type
	 */
	public Object convert(String masked, Object raw, Type declaredType) {
		Type target = declaredType;
		if (target == null || target == Object.class) {
			if (raw == null || raw instanceof CharSequence) {
				return masked;
			}
			target = raw.getClass();
		}
		if (target == void.class || target == Void.class) {
			return null;
		}
		JavaType type = this.jsonMapper.constructType(target);
		if (type.isTypeOrSubTypeOf(CharSequence.class) && type.getRawClass().isAssignableFrom(String.class)) {
			return masked;
		}
		JsonNode tree;
		try {
			tree = this.jsonMapper.readTree(masked);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(
					"masked output is not JSON and the tool returns " + type.getRawClass().getSimpleName());
		}
		try {
			return this.jsonMapper.convertValue(tree, type);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"masked output cannot be converted to " + type.toCanonical() + ": "
							+ OutputTruncator.firstLine(ex.getMessage()));
		}
	}

}
