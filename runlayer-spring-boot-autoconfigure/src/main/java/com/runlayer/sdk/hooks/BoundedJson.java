package com.runlayer.sdk.hooks;

/**
 * A value prepared for a payload under a byte cap (see "Large outputs" in docs/protocol.md).
 *
 * <p>The original size is exact for a value sent whole, for truncated text and for a truncated structured value
 * whose JSON form is within {@link OutputTruncator#EXACT_SIZE_FACTOR} times the cap. For a larger structured value
 * serialization stopped at that limit, so {@code originalBytes} is then only a lower bound
 * ({@code originalBytesExact} is {@code false}); it is still sent as {@code truncation.<field>.original_bytes}, next
 * to {@code "original_bytes_exact": false}.
 *
 * @param payloadValue what to embed: a {@link tools.jackson.databind.util.RawValue} holding the full JSON text, a
 * {@link String} (a text value sent whole), or a cut value (prefix plus marker) that Jackson writes as a string
 * straight from its source
 * @param originalBytes the size of the full form in UTF-8 bytes, or a lower bound of it when
 * {@code originalBytesExact} is {@code false}
 * @param sentBytes the size of what is sent in UTF-8 bytes
 * @param truncated whether the value was truncated
 * @param originalBytesExact whether {@code originalBytes} is the exact size ({@code false}: at least that many)
 */
public record BoundedJson(Object payloadValue, long originalBytes, long sentBytes, boolean truncated,
		boolean originalBytesExact) {

	/**
	 * A bounded value whose original size is exact.
	 * @param payloadValue what to embed
	 * @param originalBytes the size of the full form in UTF-8 bytes
	 * @param sentBytes the size of what is sent in UTF-8 bytes
	 * @param truncated whether the value was truncated
	 */
	public BoundedJson(Object payloadValue, long originalBytes, long sentBytes, boolean truncated) {
		this(payloadValue, originalBytes, sentBytes, truncated, true);
	}

	/**
	 * The text Runlayer reads for this value: the string itself, the cut value (prefix plus marker), or the JSON text
	 * of a structured value sent whole. Built on each call for a cut value (for tests and diagnostics).
	 * @return the text
	 */
	public String text() {
		if (this.payloadValue instanceof String text) {
			return text;
		}
		if (this.payloadValue instanceof CutText cut) {
			return cut.text();
		}
		if (this.payloadValue instanceof tools.jackson.databind.util.RawValue raw
				&& raw.rawValue() instanceof String json) {
			return json;
		}
		return String.valueOf(this.payloadValue);
	}

}
