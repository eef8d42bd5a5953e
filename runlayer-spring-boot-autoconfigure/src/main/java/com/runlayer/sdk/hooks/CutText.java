package com.runlayer.sdk.hooks;

import java.io.Reader;
import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JacksonSerializable;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.jsontype.TypeSerializer;

/**
 * The cut value of a truncated output (the kept prefix plus the marker), written by Jackson as a JSON string straight
 * from where the prefix already is: the tool's own text, or the UTF-8 bytes the truncator kept of a structured value.
 * No {@code String} of the cut value is built (the marker's {@code …} would make it UTF-16, twice the cap), so the
 * only array of the cut value's size is the request body itself. Jackson escapes it as any string.
 *
 * <p>Holds the source until the payload is written; the source must not change meanwhile (the truncator's kept bytes
 * never do, and a tool's output is not touched once the tool returned).
 */
final class CutText implements JacksonSerializable {

	private final CharSequence text;

	private final int end;

	private final String marker;

	private final byte[] utf8;

	private final int utf8Length;

	private CutText(CharSequence text, int end, String marker, byte[] utf8, int utf8Length) {
		this.text = text;
		this.end = end;
		this.marker = marker;
		this.utf8 = utf8;
		this.utf8Length = utf8Length;
	}

	/** The first {@code end} chars of a text (not splitting a surrogate pair) followed by the marker. */
	static CutText ofChars(CharSequence text, int end, String marker) {
		return new CutText(text, end, marker, null, 0);
	}

	/**
	 * The first {@code keep} bytes of UTF-8 text (cut on a character boundary) followed by the marker, written into
	 * the same array after them when it has room (a copy otherwise; only with a cap smaller than the marker).
	 */
	static CutText ofUtf8(byte[] buffer, int keep, String marker) {
		byte[] markerBytes = marker.getBytes(StandardCharsets.UTF_8);
		byte[] target = (buffer.length >= keep + markerBytes.length) ? buffer
				: java.util.Arrays.copyOf(buffer, keep + markerBytes.length);
		System.arraycopy(markerBytes, 0, target, keep, markerBytes.length);
		return new CutText(null, 0, marker, target, keep + markerBytes.length);
	}

	/**
	 * A size hint in chars or bytes (for sizing the body).
	 * @return the length of the cut value's source
	 */
	int lengthHint() {
		return (this.utf8 != null) ? this.utf8Length : this.end + this.marker.length();
	}

	/**
	 * The string this value stands for (built on each call; for tests and diagnostics).
	 * @return the text
	 */
	String text() {
		if (this.utf8 != null) {
			return new String(this.utf8, 0, this.utf8Length, StandardCharsets.UTF_8);
		}
		return this.text.subSequence(0, this.end).toString().concat(this.marker);
	}

	@Override
	public void serialize(JsonGenerator generator, SerializationContext context) throws JacksonException {
		if (this.utf8 != null) {
			generator.writeUTF8String(this.utf8, 0, this.utf8Length);
		}
		else {
			generator.writeString(new PrefixReader(this.text, this.end, this.marker), this.end + this.marker.length());
		}
	}

	@Override
	public void serializeWithType(JsonGenerator generator, SerializationContext context, TypeSerializer typeSerializer)
			throws JacksonException {
		serialize(generator, context);
	}

	@Override
	public String toString() {
		return text();
	}

	/** Reads the first {@code end} chars of a text, then the marker, without copying the text. */
	private static final class PrefixReader extends Reader {

		private final CharSequence text;

		private final int end;

		private final String marker;

		private int position;

		PrefixReader(CharSequence text, int end, String marker) {
			this.text = text;
			this.end = end;
			this.marker = marker;
		}

		@Override
		public int read(char[] buffer, int offset, int length) {
			int total = this.end + this.marker.length();
			if (this.position >= total) {
				return -1;
			}
			int n = 0;
			while (n < length && this.position < total) {
				if (this.position < this.end) {
					int chunk = Math.min(length - n, this.end - this.position);
					if (this.text instanceof String string) {
						string.getChars(this.position, this.position + chunk, buffer, offset + n);
					}
					else {
						for (int i = 0; i < chunk; i++) {
							buffer[offset + n + i] = this.text.charAt(this.position + i);
						}
					}
					n += chunk;
					this.position += chunk;
				}
				else {
					int from = this.position - this.end;
					int chunk = Math.min(length - n, this.marker.length() - from);
					this.marker.getChars(from, from + chunk, buffer, offset + n);
					n += chunk;
					this.position += chunk;
				}
			}
			return n;
		}

		@Override
		public void close() {
		}

	}

}
