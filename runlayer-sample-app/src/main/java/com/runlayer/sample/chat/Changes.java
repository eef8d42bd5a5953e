package com.runlayer.sample.chat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;

/**
 * Describes what Runlayer changed, for the decision log: the arguments a rewrite changed, and how much of an output
 * a mask replaced and by what (never the text that was masked).
 */
final class Changes {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final int MAX_SHOWN = 60;

	private Changes() {
	}

	/**
	 * The arguments a rewrite changed.
	 * @param before the input the tool was called with
	 * @param after the input it gets instead
	 * @return e.g. {@code path: ../notes.txt -> sandbox/notes.txt}
	 */
	static String rewrite(Map<String, Object> before, Map<String, Object> after) {
		Set<String> keys = new LinkedHashSet<>(before.keySet());
		keys.addAll(after.keySet());
		List<String> changes = new ArrayList<>();
		for (String key : keys) {
			Object from = before.get(key);
			Object to = after.get(key);
			if (!Objects.equals(from, to)) {
				changes.add(key + ": " + (before.containsKey(key) ? shown(from) : "(none)") + " -> "
						+ (after.containsKey(key) ? shown(to) : "(removed)"));
			}
		}
		return changes.isEmpty() ? "arguments unchanged" : String.join(", ", changes);
	}

	/**
	 * How much of the output a mask replaced, and by what: the span between the longest common prefix and suffix
	 * of the original and the masked text.
	 * @param original what the tool returned
	 * @param masked what the caller gets instead
	 * @return e.g. {@code 17 characters replaced by "[email redacted]"}
	 */
	static String mask(Object original, String masked) {
		String before = text(original, masked);
		int prefix = 0;
		int max = Math.min(before.length(), masked.length());
		while (prefix < max && before.charAt(prefix) == masked.charAt(prefix)) {
			prefix++;
		}
		int suffix = 0;
		while (suffix < max - prefix
				&& before.charAt(before.length() - 1 - suffix) == masked.charAt(masked.length() - 1 - suffix)) {
			suffix++;
		}
		int removed = before.length() - prefix - suffix;
		String replacement = masked.substring(prefix, masked.length() - suffix);
		return removed + " characters replaced by \"" + shown(replacement) + "\"";
	}

	private static String text(Object output, String masked) {
		String text = (output instanceof CharSequence chars) ? chars.toString() : json.writeValueAsString(output);
		// a Spring AI tool result is JSON text: compare the string it holds with the masked text
		if (text.length() > 1 && text.startsWith("\"") && text.endsWith("\"") && !masked.startsWith("\"")) {
			try {
				return json.readValue(text, String.class);
			}
			catch (RuntimeException ex) {
				return text;
			}
		}
		return text;
	}

	private static String shown(Object value) {
		String text = String.valueOf(value);
		return (text.length() > MAX_SHOWN) ? text.substring(0, MAX_SHOWN) + "…" : text;
	}

}
