package com.runlayer.sdk.hooks;

/**
 * A value prepared for a payload under a byte cap (D5).
 *
 * @param payloadValue what to embed: a {@link tools.jackson.databind.util.RawValue} holding the full JSON text, or a
 * {@link String} (a text value, or the truncated prefix plus marker)
 * @param originalBytes the size of the full form in UTF-8 bytes
 * @param sentBytes the size of what is sent in UTF-8 bytes
 * @param truncated whether the value was truncated
 */
public record BoundedJson(Object payloadValue, long originalBytes, long sentBytes, boolean truncated) {
}
