package com.runlayer.sdk.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The on-behalf-of token slots, keyed by a one-way hash of the subject, bounded in size and idle time. Lookups are
 * lock-free; a sweep (under a try-lock, so never waited for) drops idle subjects at most every quarter of the idle
 * expiry, and when the bound is passed drops the least recently used ones down to 90 % of it.
 */
final class SubjectTokenCache {

	/** Default bound of the cache. */
	static final int DEFAULT_MAX_SIZE = 10_000;

	/** Default idle expiry. */
	static final Duration DEFAULT_IDLE_EXPIRY = Duration.ofMinutes(30);

	private final Map<String, TokenSlot> slots = new ConcurrentHashMap<>();

	private final int maxSize;

	private final Duration idleExpiry;

	private final long idleNanos;

	private final ReentrantLock sweepLock = new ReentrantLock();

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	private final LongAdder evictions = new LongAdder();

	private volatile long nextIdleSweep;

	SubjectTokenCache(int maxSize, Duration idleExpiry) {
		this.maxSize = maxSize;
		this.idleExpiry = idleExpiry;
		this.idleNanos = idleExpiry.toNanos();
		this.nextIdleSweep = System.nanoTime() + this.idleNanos / 4;
	}

	TokenSlot slot(String key) {
		long now = System.nanoTime();
		TokenSlot slot = this.slots.get(key);
		if (slot != null && now - slot.lastUsedNanos > this.idleNanos) {
			if (this.slots.remove(key, slot)) {
				this.evictions.increment();
			}
			slot = null;
		}
		if (slot == null) {
			slot = this.slots.computeIfAbsent(key, (k) -> new TokenSlot());
			if (this.slots.size() > this.maxSize || now - this.nextIdleSweep >= 0) {
				sweep(now);
			}
		}
		slot.lastUsedNanos = now;
		return slot;
	}

	/** An existing slot, or null; not counted and does not refresh the idle time. */
	TokenSlot peek(String key) {
		return this.slots.get(key);
	}

	void hit() {
		this.hits.increment();
	}

	void miss() {
		this.misses.increment();
	}

	private void sweep(long now) {
		if (!this.sweepLock.tryLock()) {
			return;
		}
		try {
			this.nextIdleSweep = now + this.idleNanos / 4;
			this.slots.forEach((key, slot) -> {
				if (now - slot.lastUsedNanos > this.idleNanos && this.slots.remove(key, slot)) {
					this.evictions.increment();
				}
			});
			int size = this.slots.size();
			if (size > this.maxSize) {
				int target = Math.max(1, this.maxSize - this.maxSize / 10);
				List<Map.Entry<String, TokenSlot>> entries = new ArrayList<>(this.slots.entrySet());
				entries.sort(Comparator.comparingLong((e) -> e.getValue().lastUsedNanos));
				for (Map.Entry<String, TokenSlot> entry : entries) {
					if (size <= target) {
						break;
					}
					if (this.slots.remove(entry.getKey(), entry.getValue())) {
						this.evictions.increment();
						size--;
					}
				}
			}
		}
		finally {
			this.sweepLock.unlock();
		}
	}

	TokenCacheStats stats() {
		return new TokenCacheStats(this.slots.size(), this.maxSize, this.idleExpiry, this.hits.sum(),
				this.misses.sum(), this.evictions.sum());
	}

}
