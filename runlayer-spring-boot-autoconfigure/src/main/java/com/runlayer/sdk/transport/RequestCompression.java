package com.runlayer.sdk.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;

/**
 * Request body compression of one transport: JSON bodies over 16 KiB are gzip-compressed while it is enabled, and
 * the first refusal of a compressed body turns it off for the transport's lifetime (the body is resent uncompressed).
 */
final class RequestCompression {

	private static final int THRESHOLD = 16 * 1024;

	private final AtomicBoolean enabled;

	RequestCompression(boolean enabled) {
		this.enabled = new AtomicBoolean(enabled);
	}

	/**
	 * Whether a body is sent compressed.
	 * @param json whether it is a JSON body
	 * @param body the body
	 * @return the flag
	 */
	boolean applies(boolean json, byte[] body) {
		return json && body.length > THRESHOLD && this.enabled.get();
	}

	/** Stops compressing, for good. */
	void disable() {
		this.enabled.set(false);
	}

	static byte[] gzip(byte[] body) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			gzip.write(body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	/**
	 * Whether a 2xx answer of the legacy cursor route says it could not read the body (it answers an unreadable body
	 * with {@code 200}, {@code "permission":"deny"} and a {@code user_message} containing {@code Hook validation
	 * failed}): for a compressed request that means the codec was refused, and the body is resent uncompressed.
	 * @param body the answer's body
	 * @return the flag
	 */
	static boolean codecRejected(byte[] body) {
		return body != null && body.length <= 64 * 1024 && contains(body, "Hook validation failed")
				&& contains(body, "\"deny\"");
	}

	private static boolean contains(byte[] haystack, String needle) {
		byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
		outer: for (int i = 0; i + n.length <= haystack.length; i++) {
			for (int j = 0; j < n.length; j++) {
				if (haystack[i + j] != n[j]) {
					continue outer;
				}
			}
			return true;
		}
		return false;
	}

}
