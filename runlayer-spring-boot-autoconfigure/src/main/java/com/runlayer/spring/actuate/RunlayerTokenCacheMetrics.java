package com.runlayer.spring.actuate;

import java.util.function.ToDoubleFunction;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.auth.TokenCacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the figures of the per-user on-behalf-of token cache of an agent-account client: counters
 * {@value #HITS}, {@value #MISSES}, {@value #EVICTIONS} and gauges {@value #SIZE}, {@value #MAX_SIZE}. No tags: a
 * user or a token never becomes a metric tag. Binds nothing for an API-key client.
 *
 * <p>Thread-safe.
 */
public final class RunlayerTokenCacheMetrics implements MeterBinder {

	/** Counter of lookups answered by a cached token. */
	public static final String HITS = "runlayer.agent.token.cache.hits";

	/** Counter of lookups that waited for a token request. */
	public static final String MISSES = "runlayer.agent.token.cache.misses";

	/** Counter of users dropped for idleness or for the bound. */
	public static final String EVICTIONS = "runlayer.agent.token.cache.evictions";

	/** Gauge of the users cached now. */
	public static final String SIZE = "runlayer.agent.token.cache.size";

	/** Gauge of the bound of the cache. */
	public static final String MAX_SIZE = "runlayer.agent.token.cache.max.size";

	private final RunlayerClient client;

	/**
	 * Creates the binder.
	 * @param client the client whose token cache is measured
	 */
	public RunlayerTokenCacheMetrics(RunlayerClient client) {
		this.client = client;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (this.client.subjectTokenCache().isEmpty()) {
			return;
		}
		counter(registry, HITS, "Runlayer on-behalf-of token lookups answered by a cached token", TokenCacheStats::hits);
		counter(registry, MISSES, "Runlayer on-behalf-of token lookups that waited for a token request",
				TokenCacheStats::misses);
		counter(registry, EVICTIONS, "Users dropped from the Runlayer token cache (idle or over the bound)",
				TokenCacheStats::evictions);
		gauge(registry, SIZE, "Users in the Runlayer token cache", TokenCacheStats::size);
		gauge(registry, MAX_SIZE, "Bound of the Runlayer token cache", TokenCacheStats::maxSize);
	}

	private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<TokenCacheStats> f) {
		FunctionCounter.builder(name, this.client, (c) -> c.subjectTokenCache().map(f::applyAsDouble).orElse(0.0))
			.description(description)
			.register(registry);
	}

	private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<TokenCacheStats> f) {
		Gauge.builder(name, this.client, (c) -> c.subjectTokenCache().map(f::applyAsDouble).orElse(0.0))
			.description(description)
			.baseUnit("users")
			.strongReference(true)
			.register(registry);
	}

}
