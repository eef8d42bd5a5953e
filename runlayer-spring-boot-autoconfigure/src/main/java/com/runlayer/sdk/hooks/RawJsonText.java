package com.runlayer.sdk.hooks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import tools.jackson.core.SerializableString;

/**
 * A JSON string literal (quotes included) already encoded as UTF-8, embedded in a payload as a raw value: the cut
 * value of a truncated output. Jackson copies its bytes straight into the body; no {@code String} of the cut value is
 * built (the marker's {@code …} would make such a string UTF-16, twice the cap), so a truncated output costs one array
 * of about the cap.
 *
 * <p>Escapes as Jackson does: {@code "} and {@code \}, control characters below U+0020 (short forms where JSON has
 * them); everything else as plain UTF-8.
 */
final class RawJsonText implements SerializableString {

	private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private final byte[] literal;

	private String value;

	private RawJsonText(byte[] literal) {
		this.literal = literal;
	}

	/**
	 * The literal of the first {@code end} chars of a text followed by a marker, or null when that prefix holds a
	 * lone surrogate (which has no UTF-8 form; the caller then keeps the text as a string).
	 */
	static RawJsonText ofChars(CharSequence text, int end, String marker) {
		long size = 2;
		for (int i = 0; i < end; i++) {
			char c = text.charAt(i);
			if (Character.isSurrogate(c)) {
				if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
					size += 4;
					i++;
					continue;
				}
				return null;
			}
			size += encodedChar(c);
		}
		byte[] markerBytes = marker.getBytes(StandardCharsets.UTF_8);
		size += markerBytes.length;
		if (size > Integer.MAX_VALUE - 8) {
			return null;
		}
		byte[] out = new byte[(int) size];
		int p = 0;
		out[p++] = '"';
		for (int i = 0; i < end; i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				p = ascii(out, p, c);
			}
			else if (c < 0x800) {
				out[p++] = (byte) (0xC0 | (c >> 6));
				out[p++] = (byte) (0x80 | (c & 0x3F));
			}
			else if (Character.isHighSurrogate(c)) {
				int cp = Character.toCodePoint(c, text.charAt(++i));
				out[p++] = (byte) (0xF0 | (cp >> 18));
				out[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
				out[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
				out[p++] = (byte) (0x80 | (cp & 0x3F));
			}
			else {
				out[p++] = (byte) (0xE0 | (c >> 12));
				out[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
				out[p++] = (byte) (0x80 | (c & 0x3F));
			}
		}
		System.arraycopy(markerBytes, 0, out, p, markerBytes.length);
		p += markerBytes.length;
		out[p] = '"';
		return new RawJsonText(out);
	}

	/** The literal of the first {@code length} bytes of UTF-8 text (cut on a character boundary) and a marker. */
	static RawJsonText ofUtf8(byte[] utf8, int length, String marker) {
		long size = 2;
		for (int i = 0; i < length; i++) {
			int b = utf8[i] & 0xFF;
			size += (b < 0x80) ? encodedChar((char) b) : 1;
		}
		byte[] markerBytes = marker.getBytes(StandardCharsets.UTF_8);
		size += markerBytes.length;
		byte[] out = new byte[(int) size];
		int p = 0;
		out[p++] = '"';
		for (int i = 0; i < length; i++) {
			int b = utf8[i] & 0xFF;
			if (b < 0x80) {
				p = ascii(out, p, (char) b);
			}
			else {
				out[p++] = (byte) b;
			}
		}
		System.arraycopy(markerBytes, 0, out, p, markerBytes.length);
		p += markerBytes.length;
		out[p] = '"';
		return new RawJsonText(out);
	}

	/** UTF-8 bytes of a char in a JSON string (escaped when needed); not for surrogates. */
	private static int encodedChar(char c) {
		if (c < 0x20) {
			return (c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') ? 2 : 6;
		}
		if (c == '"' || c == '\\') {
			return 2;
		}
		return (c < 0x80) ? 1 : (c < 0x800) ? 2 : 3;
	}

	private static int ascii(byte[] out, int p, char c) {
		if (c >= 0x20 && c != '"' && c != '\\') {
			out[p++] = (byte) c;
			return p;
		}
		out[p++] = '\\';
		switch (c) {
			case '"' -> out[p++] = '"';
			case '\\' -> out[p++] = '\\';
			case '\n' -> out[p++] = 'n';
			case '\r' -> out[p++] = 'r';
			case '\t' -> out[p++] = 't';
			case '\b' -> out[p++] = 'b';
			case '\f' -> out[p++] = 'f';
			default -> {
				out[p++] = 'u';
				out[p++] = '0';
				out[p++] = '0';
				out[p++] = HEX[c >> 4];
				out[p++] = HEX[c & 0xF];
			}
		}
		return p;
	}

	/**
	 * The size of the literal in bytes.
	 * @return the size
	 */
	int byteLength() {
		return this.literal.length;
	}

	/**
	 * The string the literal stands for (decoded; for tests and diagnostics, it is built on each first call).
	 * @return the text
	 */
	String text() {
		String json = getValue();
		StringBuilder out = new StringBuilder(json.length());
		for (int i = 1; i < json.length() - 1; i++) {
			char c = json.charAt(i);
			if (c != '\\') {
				out.append(c);
				continue;
			}
			char e = json.charAt(++i);
			switch (e) {
				case 'n' -> out.append('\n');
				case 'r' -> out.append('\r');
				case 't' -> out.append('\t');
				case 'b' -> out.append('\b');
				case 'f' -> out.append('\f');
				case 'u' -> {
					out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
					i += 4;
				}
				default -> out.append(e);
			}
		}
		return out.toString();
	}

	/** The literal as a Java string, quotes and escapes included. */
	@Override
	public String getValue() {
		if (this.value == null) {
			this.value = new String(this.literal, StandardCharsets.UTF_8);
		}
		return this.value;
	}

	@Override
	public int charLength() {
		return getValue().length();
	}

	@Override
	public char[] asQuotedChars() {
		return getValue().toCharArray();
	}

	@Override
	public byte[] asUnquotedUTF8() {
		return this.literal;
	}

	@Override
	public byte[] asQuotedUTF8() {
		return this.literal;
	}

	@Override
	public int appendQuotedUTF8(byte[] buffer, int offset) {
		return appendUnquotedUTF8(buffer, offset);
	}

	@Override
	public int appendQuoted(char[] buffer, int offset) {
		return appendUnquoted(buffer, offset);
	}

	@Override
	public int appendUnquotedUTF8(byte[] buffer, int offset) {
		if (offset + this.literal.length > buffer.length) {
			return -1;
		}
		System.arraycopy(this.literal, 0, buffer, offset, this.literal.length);
		return this.literal.length;
	}

	@Override
	public int appendUnquoted(char[] buffer, int offset) {
		String text = getValue();
		if (offset + text.length() > buffer.length) {
			return -1;
		}
		text.getChars(0, text.length(), buffer, offset);
		return text.length();
	}

	@Override
	public int writeQuotedUTF8(OutputStream out) throws IOException {
		return writeUnquotedUTF8(out);
	}

	@Override
	public int writeUnquotedUTF8(OutputStream out) throws IOException {
		out.write(this.literal);
		return this.literal.length;
	}

	@Override
	public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
		return putUnquotedUTF8(buffer);
	}

	@Override
	public int putUnquotedUTF8(ByteBuffer buffer) throws IOException {
		if (this.literal.length > buffer.remaining()) {
			return -1;
		}
		buffer.put(this.literal);
		return this.literal.length;
	}

	@Override
	public String toString() {
		return getValue();
	}

}
