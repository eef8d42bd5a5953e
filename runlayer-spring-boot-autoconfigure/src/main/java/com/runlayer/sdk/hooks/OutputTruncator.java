package com.runlayer.sdk.hooks;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.runlayer.sdk.RunlayerException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.RawValue;

/**
 * The truncation rule (D5), in one place: a value whose UTF-8 JSON form exceeds the cap is sent as a string, the
 * longest UTF-8-safe prefix that fits together with the marker {@code …[truncated by Runlayer SDK: N bytes total]}.
 * A {@link CharSequence} is measured as its text. Nothing larger than the cap is ever built in memory: the JSON form
 * is streamed into a sink that keeps the first {@code cap} bytes and only counts the rest.
 *
 * <p>Internal API of the SDK. Thread-safe.
 */
public final class OutputTruncator {

	/** The marker format; {@code %d} is the original size in bytes. */
	public static final String MARKER_FORMAT = "…[truncated by Runlayer SDK: %d bytes total]";

	private final JsonMapper jsonMapper;

	/**
	 * Creates the truncator.
	 * @param jsonMapper the JSON mapper used to serialize values
	 */
	public OutputTruncator(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Serializes a value under a cap.
	 * @param value the value, may be null
	 * @param cap the cap in bytes
	 * @param field the payload field, for error messages
	 * @return the bounded form
	 * @throws RunlayerException when the value cannot be serialized (cyclic graph, unsupported type)
	 */
	public BoundedJson bound(Object value, long cap, String field) {
		if (value instanceof CharSequence text) {
			return boundText(text, cap);
		}
		CappedSink sink = new CappedSink(cap);
		try {
			this.jsonMapper.writeValue(sink, value);
		}
		catch (JacksonException | StackOverflowError ex) {
			throw new RunlayerException("Cannot serialize " + field + " to JSON: "
					+ ((ex instanceof StackOverflowError) ? "cyclic or too deep object graph"
							: ex.getClass().getSimpleName() + " " + firstLine(ex.getMessage())),
					(ex instanceof JacksonException) ? ex : null);
		}
		if (sink.total <= cap) {
			return new BoundedJson(new RawValue(new String(sink.buffer, 0, (int) sink.total, StandardCharsets.UTF_8)),
					sink.total, sink.total, false);
		}
		String marker = String.format(MARKER_FORMAT, sink.total);
		int markerBytes = utf8Length(marker);
		int keep = (int) Math.max(0, Math.min(sink.kept, cap - markerBytes));
		keep = utf8Boundary(sink.buffer, keep);
		String text = new String(sink.buffer, 0, keep, StandardCharsets.UTF_8) + marker;
		return new BoundedJson(text, sink.total, keep + markerBytes, true);
	}

	private static BoundedJson boundText(CharSequence text, long cap) {
		long total = 0;
		int length = text.length();
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				total += 1;
			}
			else if (c < 0x800) {
				total += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
				total += 4;
				i++;
			}
			else {
				total += 3;
			}
		}
		if (total <= cap) {
			return new BoundedJson(text.toString(), total, total, false);
		}
		String marker = String.format(MARKER_FORMAT, total);
		long budget = Math.max(0, cap - utf8Length(marker));
		long used = 0;
		int end = 0;
		while (end < length) {
			char c = text.charAt(end);
			boolean pair = Character.isHighSurrogate(c) && end + 1 < length
					&& Character.isLowSurrogate(text.charAt(end + 1));
			int bytes = (c < 0x80) ? 1 : (c < 0x800) ? 2 : pair ? 4 : 3;
			if (used + bytes > budget) {
				break;
			}
			used += bytes;
			end += pair ? 2 : 1;
		}
		// One copy of the prefix, then one concatenation: a builder would copy it twice more (once to widen it for
		// the non-Latin-1 marker, once more in toString)
		String prefix = text.subSequence(0, end).toString();
		return new BoundedJson(prefix.concat(marker), total, used + utf8Length(marker), true);
	}

	private static int utf8Length(String s) {
		return s.getBytes(StandardCharsets.UTF_8).length;
	}

	/** Moves {@code end} back so that it does not split a UTF-8 sequence. */
	private static int utf8Boundary(byte[] bytes, int end) {
		int i = end;
		while (i > 0 && i < bytes.length && (bytes[i] & 0xC0) == 0x80) {
			i--;
		}
		return i;
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "";
		}
		int nl = message.indexOf('\n');
		String line = (nl >= 0) ? message.substring(0, nl) : message;
		return (line.length() > 200) ? line.substring(0, 200) + "…" : line;
	}

	/** Keeps the first {@code cap} bytes written, counts all. */
	private static final class CappedSink extends OutputStream {

		private final long cap;

		private byte[] buffer = new byte[256];

		private int kept;

		private long total;

		CappedSink(long cap) {
			this.cap = cap;
		}

		@Override
		public void write(int b) {
			if (this.kept < this.cap) {
				ensure(this.kept + 1);
				this.buffer[this.kept++] = (byte) b;
			}
			this.total++;
		}

		@Override
		public void write(byte[] b, int off, int len) {
			long room = this.cap - this.kept;
			if (room > 0) {
				int n = (int) Math.min(room, len);
				ensure(this.kept + n);
				System.arraycopy(b, off, this.buffer, this.kept, n);
				this.kept += n;
			}
			this.total += len;
		}

		private void ensure(int size) {
			if (size > this.buffer.length) {
				int grown = (int) Math.min(Math.max(size, this.buffer.length * 2L), this.cap);
				this.buffer = Arrays.copyOf(this.buffer, Math.max(grown, size));
			}
		}

	}

}
