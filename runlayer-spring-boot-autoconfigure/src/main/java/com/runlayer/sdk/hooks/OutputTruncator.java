package com.runlayer.sdk.hooks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.runlayer.sdk.RunlayerException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.RawValue;

/**
 * The truncation rule, in one place: a value whose UTF-8 JSON form exceeds the cap is sent as a string, the
 * longest UTF-8-safe prefix that fits together with a marker. Nothing larger than the cap is ever built in memory,
 * and the full output is never serialized to build the truncated one.
 *
 * <ul>
 * <li>A {@link CharSequence} is measured as it is sent: one pass counts the exact UTF-8 size of its JSON-escaped
 * form ({@link #jsonTextBytes}; a newline counts two bytes, a control character up to six) without allocating, so
 * the sent string's escaped form never exceeds the cap. The marker is {@code …[truncated by Runlayer SDK: N bytes total]} (exact size) and
 * {@code payload.truncation.<field>} is {@code {"original_bytes": N, "sent_bytes": M}}.</li>
 * <li>Any other value is serialized by Jackson into a sink that keeps the first {@code cap} bytes and counts the
 * rest up to {@link #EXACT_SIZE_FACTOR} times the cap: within that its size is exact, with the same marker and
 * metadata as text. Beyond it the sink stops the serialization (it throws), so a 50 MB list costs about as much as
 * its first two caps. Its exact size is then unknown, so the marker says
 * {@code …[truncated by Runlayer SDK: at least N bytes total]} and {@code payload.truncation.<field>} is
 * {@code {"original_bytes": N, "original_bytes_exact": false, "sent_bytes": M}}, where N is the number of bytes of the JSON form produced
 * before the stop (more than the count limit; it depends on Jackson's output buffer, 8000 bytes). The same holds
 * when the serialization fails after the cap (a cycle, a getter that throws).</li>
 * <li>A value within the cap is sent whole (structured values as raw JSON) with its exact size and no metadata.</li>
 * <li>A cut value is not copied: Jackson writes it as a JSON string straight from its source (the tool's text, or
 * the bytes kept of a structured value) when the body is written ({@link BoundedJson#text()} gives the string it
 * stands for).</li>
 * </ul>
 *
 * <p>A structured value is only checked for what precedes the cut: a part that cannot be serialized (a cycle, an
 * opaque bean) after the first {@code cap} bytes is not reported, exactly like any other content after the cut is not
 * scanned.
 *
 * <p>Internal API of the SDK. Thread-safe.
 */
public final class OutputTruncator {

	/** The marker format of text, whose exact size is known; {@code %d} is the original size in bytes. */
	public static final String MARKER_FORMAT = "…[truncated by Runlayer SDK: %d bytes total]";

	/**
	 * The marker format of a structured value, whose serialization stopped at the cap; {@code %d} is a lower bound of
	 * the original size in bytes.
	 */
	public static final String LOWER_BOUND_MARKER_FORMAT = "…[truncated by Runlayer SDK: at least %d bytes total]";

	/**
	 * A structured value over the cap is serialized on (counted, not kept) up to this many times the cap, to send its
	 * exact size; beyond that serialization stops and the size sent is a lower bound.
	 */
	public static final int EXACT_SIZE_FACTOR = 2;

	private static final String MARKER_START = "…[truncated by Runlayer SDK: ";

	private static final String MARKER_LOWER_BOUND = "at least ";

	private static final String MARKER_END = " bytes total]";

	/** UTF-8 size of the marker's constant parts ({@code …} is three bytes). */
	private static final int MARKER_FIXED_BYTES = MARKER_START.length() + 2 + MARKER_END.length();

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
		CappedSink sink = new CappedSink(cap, countLimit(cap));
		try {
			serialize(value, sink);
		}
		catch (RuntimeException | StackOverflowError ex) {
			if (sink.total > cap && !sink.stopped) {
				// a failure past the cap, while only counting (a cycle, a getter that throws): what is sent was
				// serialized fine; like any content after the cut it is not checked, and the size is a lower bound
				sink.stopped = true;
			}
			else if (!sink.stopped || !causedBy(ex, sink.stop)) {
				if (ex instanceof JacksonException || ex instanceof StackOverflowError) {
					throw new RunlayerException("Cannot serialize " + field + " to JSON: "
							+ ((ex instanceof StackOverflowError) ? "cyclic or too deep object graph"
									: ex.getClass().getSimpleName() + " " + firstLine(ex.getMessage())),
							(ex instanceof JacksonException) ? ex : null);
				}
				throw (RuntimeException) ex;
			}
		}
		if (sink.total <= cap) {
			int size = sink.kept;
			return new BoundedJson(new RawValue(new String(sink.buffer, 0, size, StandardCharsets.UTF_8)), size, size,
					false);
		}
		// Over the cap: counted to the end (exact size), or stopped at the count limit (the rest of the value was
		// never serialized, the size is a lower bound)
		boolean exact = !sink.stopped;
		String marker = marker(sink.total, exact);
		int markerBytes = MARKER_FIXED_BYTES + (exact ? 0 : MARKER_LOWER_BOUND.length()) + digits(sink.total);
		int keep = (int) Math.max(0, Math.min(sink.kept, cap - markerBytes));
		keep = utf8Boundary(sink.buffer, keep, sink.kept);
		// The kept JSON text travels as a string, so its quotes and backslashes are escaped once more: keep the
		// longest prefix whose escaped form fits with the marker
		long budget = Math.max(0, cap - markerBytes);
		long used = 0;
		int end = 0;
		while (end < keep) {
			int b = sink.buffer[end] & 0xFF;
			int len = (b < 0x80) ? 1 : (b >= 0xF0) ? 4 : (b >= 0xE0) ? 3 : (b >= 0xC0) ? 2 : 1;
			int bytes = (b < 0x80) ? jsonCharBytes((char) b) : len;
			if (end + len > keep || used + bytes > budget) {
				break;
			}
			used += bytes;
			end += len;
		}
		// The cut JSON text is sent as a string, written by Jackson straight from the kept UTF-8 bytes (with the
		// marker appended in place): no String of it, which the marker's '…' would make UTF-16
		return new BoundedJson(CutText.ofUtf8(sink.buffer, end, marker), sink.total, used + markerBytes, true, exact);
	}

	/**
	 * How many bytes of a structured value's JSON form are counted (not kept) to learn its exact size:
	 * {@value #EXACT_SIZE_FACTOR} times the cap, 128 KiB with the default 64 KiB cap (counting further would cost
	 * allocation: serializing beans and records boxes their fields).
	 */
	private static long countLimit(long cap) {
		return (cap > Long.MAX_VALUE / EXACT_SIZE_FACTOR) ? Long.MAX_VALUE : cap * EXACT_SIZE_FACTOR;
	}

	/**
	 * Bounds each value of a map of payload fields under the same cap (a null value is sent as JSON null).
	 * @param fields the fields, may be null
	 * @param cap the cap of each field in bytes
	 * @return the bounded fields in the same order; empty when there are none
	 * @throws RunlayerException when a value cannot be serialized, naming the field
	 */
	public Map<String, BoundedJson> boundFields(Map<String, ?> fields, long cap) {
		if (fields == null || fields.isEmpty()) {
			return Map.of();
		}
		Map<String, BoundedJson> bounded = new LinkedHashMap<>();
		fields.forEach((name, value) -> bounded.put(name, bound(value, cap, "payload field '" + name + "'")));
		return bounded;
	}

	/**
	 * Serializes into the sink on a generator of our own, so that it is closed (and its buffers recycled) whether the
	 * sink stopped the serialization or not; Jackson streams into the sink in chunks of its output buffer.
	 */
	private void serialize(Object value, CappedSink sink) {
		JsonGenerator generator = this.jsonMapper.createGenerator(sink);
		try {
			this.jsonMapper.writeValue(generator, value);
		}
		catch (RuntimeException | Error ex) {
			// what closing writes (the buffered rest, end markers) must not replace the exception
			sink.discarding = true;
			try {
				generator.close();
			}
			catch (RuntimeException closeFailure) {
				// the original exception is what matters
			}
			throw ex;
		}
		// a serializer may have swallowed the stop; otherwise the final flush may still pass the cap and stop
		sink.discarding = sink.stopped;
		generator.close();
	}

	private static boolean causedBy(Throwable ex, Throwable cause) {
		Throwable t = ex;
		for (int depth = 0; t != null && depth < 32; depth++) {
			if (t == cause) {
				return true;
			}
			for (Throwable suppressed : t.getSuppressed()) {
				if (suppressed == cause) {
					return true;
				}
			}
			t = t.getCause();
		}
		return false;
	}

	private static BoundedJson boundText(CharSequence text, long cap) {
		long total = jsonTextBytes(text);
		int length = text.length();
		if (total <= cap) {
			return new BoundedJson(text.toString(), total, total, false);
		}
		String marker = marker(total, true);
		int markerBytes = MARKER_FIXED_BYTES + digits(total);
		long budget = Math.max(0, cap - markerBytes);
		long used = 0;
		int end = 0;
		while (end < length) {
			char c = text.charAt(end);
			boolean pair = Character.isHighSurrogate(c) && end + 1 < length
					&& Character.isLowSurrogate(text.charAt(end + 1));
			int bytes = pair ? 4 : jsonCharBytes(c);
			if (used + bytes > budget) {
				break;
			}
			used += bytes;
			end += pair ? 2 : 1;
		}
		// The cut value is written by Jackson straight from the tool's text when the body is written: no copy of the
		// prefix and no String of it (which the marker's '…' would make UTF-16, twice the cap)
		return new BoundedJson(CutText.ofChars(text, end, marker), total, used + markerBytes, true);
	}

	/**
	 * The size of a text as it goes over the wire: the UTF-8 bytes of its JSON-escaped form, without the enclosing
	 * quotes ({@code "} and {@code \\} take two bytes, {@code \n}, {@code \r}, {@code \t}, {@code \b},
	 * {@code \f} two, other control characters six).
	 * @param text the text
	 * @return the size in bytes
	 */
	public static long jsonTextBytes(CharSequence text) {
		long total = 0;
		int length = text.length();
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
				total += 4;
				i++;
			}
			else {
				total += jsonCharBytes(c);
			}
		}
		return total;
	}

	/** Bytes of one char (not part of a surrogate pair) in UTF-8 JSON string content. */
	private static int jsonCharBytes(char c) {
		if (c < 0x20) {
			return (c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') ? 2 : 6;
		}
		if (c == '"' || c == '\\') {
			return 2;
		}
		return (c < 0x80) ? 1 : (c < 0x800) ? 2 : 3;
	}

	private static String marker(long bytes, boolean exact) {
		return exact ? MARKER_START + bytes + MARKER_END : MARKER_START + MARKER_LOWER_BOUND + bytes + MARKER_END;
	}

	private static int digits(long n) {
		return Long.toString(n).length();
	}

	/** Moves {@code end} back so that it does not split a UTF-8 sequence of the first {@code limit} bytes. */
	private static int utf8Boundary(byte[] bytes, int end, int limit) {
		int i = end;
		while (i > 0 && i < limit && (bytes[i] & 0xC0) == 0x80) {
			i--;
		}
		return i;
	}

	/** The first line of an exception message, at most 200 characters, for error messages. */
	static String firstLine(String message) {
		if (message == null) {
			return "";
		}
		int nl = message.indexOf('\n');
		String line = (nl >= 0) ? message.substring(0, nl) : message;
		return (line.length() > 200) ? line.substring(0, 200) + "…" : line;
	}

	/**
	 * Keeps the first {@code cap} bytes written, counts the rest, and stops the serialization, by throwing
	 * {@link CapReached}, as soon as more than {@code limit} bytes were written; any later write throws again (a
	 * serializer that swallows the exception still cannot run to the end) until the truncator switches it to
	 * discarding, to close the generator (which writes its buffered rest and end markers).
	 */
	private static final class CappedSink extends OutputStream {

		private static final byte[] EMPTY = new byte[0];

		private final long cap;

		private final long limit;

		private final CapReached stop = new CapReached();

		private byte[] buffer = EMPTY;

		private int kept;

		private long total;

		private boolean stopped;

		private boolean discarding;

		CappedSink(long cap, long limit) {
			this.cap = cap;
			this.limit = Math.max(cap, limit);
		}

		@Override
		public void write(int b) throws IOException {
			if (!accept()) {
				return;
			}
			if (this.kept < this.cap) {
				ensure(this.kept + 1);
				this.buffer[this.kept++] = (byte) b;
			}
			count(1);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			if (!accept()) {
				return;
			}
			int n = (int) Math.min(this.cap - this.kept, len);
			if (n > 0) {
				ensure(this.kept + n);
				System.arraycopy(b, off, this.buffer, this.kept, n);
				this.kept += n;
			}
			count(len);
		}

		/** Whether to keep the write; throws again when a serializer carries on after the stop. */
		private boolean accept() throws IOException {
			if (this.discarding) {
				return false;
			}
			if (this.stopped) {
				throw this.stop;
			}
			return true;
		}

		private void count(int len) throws IOException {
			this.total += len;
			if (this.total > this.limit) {
				this.stopped = true;
				throw this.stop;
			}
		}

		/**
		 * Grows the buffer: the first write sizes it (Jackson writes a value smaller than its 8000-byte buffer in one
		 * chunk), then it grows fourfold, straight to the cap once that is within a factor of four: with the default
		 * 64 KiB cap a value over the cap allocates 8000 + 65536 bytes of buffer instead of twice the cap.
		 */
		private void ensure(int size) {
			if (size > this.buffer.length) {
				long grown = (this.buffer.length == 0) ? size : Math.max(size, this.buffer.length * 4L);
				if (this.buffer.length > 0 && grown * 4 >= this.cap) {
					grown = this.cap;
				}
				this.buffer = Arrays.copyOf(this.buffer, (int) Math.min(grown, Math.min(this.cap, Integer.MAX_VALUE - 8)));
			}
		}

	}

	/** Thrown by the sink to stop the serialization at the cap; no stack trace. */
	private static final class CapReached extends IOException {

		private static final long serialVersionUID = 1L;

		CapReached() {
			super("output cap reached", null);
		}

		@Override
		public synchronized Throwable fillInStackTrace() {
			return this;
		}

	}

}
