package com.runlayer.sdk.auth;

import java.time.Duration;

/**
 * A snapshot of the per-subject agent token cache (on-behalf-of tokens). Figures only, never a subject or a token.
 *
 * @param size the subjects cached now
 * @param maxSize the bound of the cache
 * @param idleExpiry how long an unused subject stays cached
 * @param hits lookups answered by a cached, valid token
 * @param misses lookups that had to wait for a token request (first use, expiry, after a 401)
 * @param evictions subjects dropped for idleness or to keep the bound
 */
public record TokenCacheStats(int size, int maxSize, Duration idleExpiry, long hits, long misses, long evictions) {
}
