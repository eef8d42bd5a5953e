package com.runlayer.sdk.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import com.runlayer.sdk.transport.HookCallException;
import com.runlayer.sdk.transport.HookCallException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cached agent token (the M2M token, or one subject's on-behalf-of token) and the single token request that
 * may be in flight for it. The thread that finds no usable token starts the request on its own thread, inside its
 * own deadline; the threads that come while it runs wait for that attempt's outcome (token or failure), each no
 * longer than its own deadline. While a still-valid token is being refreshed, other threads keep using it; a failed
 * early refresh keeps it and is retried after a few seconds.
 */
final class TokenSlot {

	private static final Logger logger = LoggerFactory.getLogger(TokenSlot.class);

	private static final Duration REFRESH_RETRY_INTERVAL = Duration.ofSeconds(5);

	private final AtomicReference<CompletableFuture<CachedToken>> inFlight = new AtomicReference<>();

	private volatile CachedToken token;

	private volatile Instant nextRefreshAttempt = Instant.MIN;

	/** The actor token an on-behalf-of token was minted with (null for the M2M slot). */
	private volatile CachedToken actor;

	volatile long lastUsedNanos = System.nanoTime();

	/**
	 * A usable token, requesting one when needed.
	 * @param clock the clock of token lifetimes
	 * @param fetch requests a token (on the calling thread, inside the deadline)
	 * @param deadlineNanos the call's deadline ({@link System#nanoTime()} scale)
	 * @param grant the grant and settings, for messages
	 * @return the token
	 * @throws HookCallException when no token could be had within the deadline
	 */
	CachedToken get(Clock clock, Supplier<CachedToken> fetch, long deadlineNanos, String grant) {
		Instant now = clock.instant();
		CachedToken current = this.token;
		if (fresh(current, now)) {
			return current;
		}
		CompletableFuture<CachedToken> mine = new CompletableFuture<>();
		CompletableFuture<CachedToken> running = this.inFlight.compareAndExchange(null, mine);
		if (running != null) {
			if (current != null && current.validAt(now)) {
				return current; // another thread is refreshing; the cached token is still valid
			}
			return await(running, deadlineNanos, grant);
		}
		try {
			current = this.token;
			now = clock.instant();
			if (fresh(current, now)) {
				mine.complete(current);
				return current;
			}
			try {
				CachedToken minted = fetch.get();
				this.token = minted;
				this.nextRefreshAttempt = Instant.MIN;
				mine.complete(minted);
				return minted;
			}
			catch (HookCallException ex) {
				now = clock.instant();
				if (current != null && current.validAt(now)) {
					// An early refresh failed but the token is still valid: keep using it and try again a bit later,
					// rather than failing calls that would succeed.
					this.nextRefreshAttempt = now.plus(REFRESH_RETRY_INTERVAL);
					logger.warn("Runlayer agent token refresh failed, using the current token until {}: {}",
							current.expiresAt(), ex.getMessage());
					mine.complete(current);
					return current;
				}
				mine.completeExceptionally(ex);
				throw ex;
			}
			catch (RuntimeException | Error ex) {
				mine.completeExceptionally(ex);
				throw ex;
			}
		}
		finally {
			this.inFlight.compareAndSet(mine, null);
		}
	}

	private boolean fresh(CachedToken current, Instant now) {
		return current != null && current.validAt(now)
				&& (now.isBefore(current.refreshAt()) || now.isBefore(this.nextRefreshAttempt));
	}

	private static CachedToken await(CompletableFuture<CachedToken> running, long deadlineNanos, String grant) {
		long remaining = deadlineNanos - System.nanoTime();
		try {
			if (remaining <= 0) {
				throw new TimeoutException();
			}
			return running.get(remaining, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new HookCallException(Kind.AUTH, 0, "Agent-account token request (" + grant
					+ ") did not finish within the call's time budget, so the hook call was not sent", null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new HookCallException(Kind.AUTH, 0,
					"Interrupted while waiting for the agent-account token request (" + grant + ")", null);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof HookCallException failed) {
				// the attempt's failure, shared: same kind, status and (secret-free) message
				throw new HookCallException(failed.kind(), failed.status(), failed.getMessage(), failed);
			}
			throw new HookCallException(Kind.AUTH, 0, "Agent-account token request (" + grant + ") failed: "
					+ ((cause != null) ? cause.getClass().getSimpleName() : "unknown error"), cause);
		}
	}

	CachedToken token() {
		return this.token;
	}

	CachedToken actor() {
		return this.actor;
	}

	void actor(CachedToken actor) {
		this.actor = actor;
	}

	/**
	 * Drops the token when it is the rejected one (a newer token is kept: concurrent 401s cause one refresh).
	 * @param rejected the rejected token value, or null when unknown
	 * @return the dropped token, or null when nothing was dropped
	 */
	CachedToken invalidate(String rejected) {
		CachedToken current = this.token;
		if (current != null && (rejected == null || current.value().equals(rejected))) {
			this.token = null;
			this.nextRefreshAttempt = Instant.MIN;
			return current;
		}
		return null;
	}

	/**
	 * A minted token and when it expires and should be refreshed. Its string form shows no token.
	 */
	record CachedToken(String value, Instant expiresAt, Instant refreshAt) {

		boolean validAt(Instant now) {
			return now.isBefore(this.expiresAt);
		}

		@Override
		public String toString() {
			return "CachedToken[expiresAt=" + this.expiresAt + "]";
		}

	}

}
