package com.runlayer.sdk.transport;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random version-4 UUIDs for idempotency keys, tool use ids and synthetic session ids. These need to be unique, not
 * secret, so they come from {@link ThreadLocalRandom} (no lock, no entropy pool) instead of the {@code SecureRandom}
 * behind {@link UUID#randomUUID()}, which every calling thread would contend for.
 *
 * <p>Internal API of the SDK. Thread-safe.
 */
public final class RandomIds {

	private RandomIds() {
	}

	/**
	 * A random version-4, IETF-variant UUID.
	 * @return the UUID in its 36-character form
	 */
	public static String uuid() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
		long lsb = (random.nextLong() & ~(0xC000_0000_0000_0000L)) | 0x8000_0000_0000_0000L;
		return new UUID(msb, lsb).toString();
	}

}
