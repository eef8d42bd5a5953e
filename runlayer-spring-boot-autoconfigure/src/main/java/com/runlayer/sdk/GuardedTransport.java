package com.runlayer.sdk;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.runlayer.sdk.auth.HookAuthentication;
import com.runlayer.sdk.auth.RunlayerSubject;
import com.runlayer.sdk.transport.HookCallException;
import com.runlayer.sdk.transport.HookEndpoint;
import com.runlayer.sdk.transport.HookResponse;
import com.runlayer.sdk.transport.HookTransport;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's calls to Runlayer, each behind its endpoint's circuit breaker and within its budget. Every failure
 * but a definitive refusal ({@link HookCallException#definitiveRefusal()}: a 4xx other than 408 and 429, from a hook
 * endpoint or the token endpoint) counts as an outage for the breaker; an answer, a deny or a refusal never does.
 * Decides which transport carries a call with a per-tool
 * timeout (one extra transport per distinct configured timeout, created on first use, closed with the client).
 */
final class GuardedTransport implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RunlayerClient.class);

	private final HookTransport transport;

	private final HookAuthentication authentication;

	private final Map<Duration, HookTransport> timed = new ConcurrentHashMap<>();

	private final Map<HookEndpoint, CircuitBreaker> breakers = new EnumMap<>(HookEndpoint.class);

	private volatile boolean closed;

	private volatile boolean enforcementAborted;

	GuardedTransport(HookTransport transport, HookAuthentication authentication, CircuitBreakerSettings settings) {
		this.transport = transport;
		this.authentication = authentication;
		if (settings.enabled()) {
			CircuitBreakerConfig config = CircuitBreakerConfig.custom()
				.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
				.slidingWindowSize(settings.slidingWindowSize())
				.minimumNumberOfCalls(settings.slidingWindowSize())
				.failureRateThreshold(settings.failureRateThreshold())
				.waitDurationInOpenState(settings.waitInOpenState())
				.permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
				.automaticTransitionFromOpenToHalfOpenEnabled(false)
				.writableStackTraceEnabled(false)
				.build();
			for (HookEndpoint endpoint : HookEndpoint.values()) {
				if (endpoint != HookEndpoint.OAUTH_TOKEN) {
					CircuitBreaker breaker = CircuitBreaker.of("runlayer-" + endpoint.name().toLowerCase(), config);
					breaker.getEventPublisher()
						.onStateTransition((event) -> logger.info("Runlayer circuit breaker of {} is now {}", endpoint,
								event.getStateTransition().getToState()));
					this.breakers.put(endpoint, breaker);
				}
			}
		}
	}

	/** The transport with the default budgets (for its settings). */
	HookTransport transport() {
		return this.transport;
	}

	/**
	 * POSTs a JSON body through the endpoint's breaker.
	 * @param endpoint the endpoint
	 * @param path the path, or null for the endpoint's default
	 * @param body the body
	 * @param timeout the budget of this call, or null for the endpoint's
	 * @param subject the user the call acts for, or null for the configured one (or none); only with the
	 * endpoint's default path
	 * @return the 2xx answer
	 * @throws HookCallException when no 2xx answer could be had, or ({@link RunlayerCircuitOpenException}) the
	 * breaker is open
	 */
	HookResponse postJson(HookEndpoint endpoint, String path, byte[] body, Duration timeout, RunlayerSubject subject) {
		if (path == null) {
			return guarded(endpoint, endpoint.defaultPath(), (target) -> target.postJson(endpoint, body, subject),
					timeout);
		}
		return guarded(endpoint, path, (target) -> target.postJson(endpoint, path, body), timeout);
	}

	/**
	 * POSTs a best-effort telemetry body (e.g. {@code PostToolUseFailure}) at the endpoint's default path through
	 * its breaker: like {@link #postJson}, but not ended by {@link #abortEnforcementInFlight()}, so a closing client
	 * still flushes it.
	 * @param endpoint the endpoint
	 * @param body the body
	 * @param timeout the budget of this call, or null for the endpoint's
	 * @param subject the user the call acts for, or null for the configured one (or none)
	 * @return the 2xx answer
	 * @throws HookCallException when no 2xx answer could be had, or the breaker is open
	 */
	HookResponse postTelemetry(HookEndpoint endpoint, byte[] body, Duration timeout, RunlayerSubject subject) {
		return guarded(endpoint, endpoint.defaultPath(), (target) -> target.postTelemetry(endpoint, body, subject),
				timeout);
	}

	/**
	 * Ends the enforcement calls in flight on every transport (as outages) and refuses new ones, for a closing
	 * client; events still go out until {@link #close()}.
	 */
	void abortEnforcementInFlight() {
		this.enforcementAborted = true;
		this.transport.abortEnforcementInFlight();
		this.timed.values().forEach(HookTransport::abortEnforcementInFlight);
	}

	private HookResponse guarded(HookEndpoint endpoint, String actualPath, Function<HookTransport, HookResponse> call,
			Duration timeout) {
		HookTransport target = transportFor(timeout);
		CircuitBreaker breaker = this.breakers.get(endpoint);
		if (breaker == null) {
			return call.apply(target);
		}
		if (!breaker.tryAcquirePermission()) {
			throw new RunlayerCircuitOpenException(endpoint, actualPath);
		}
		long started = System.nanoTime();
		try {
			HookResponse response = call.apply(target);
			breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
			return response;
		}
		catch (HookCallException ex) {
			if (isOutage(ex)) {
				breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, ex);
			}
			else {
				breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
			}
			throw ex;
		}
		catch (RuntimeException | Error ex) {
			breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, ex);
			throw ex;
		}
	}

	/**
	 * The state of an endpoint's breaker.
	 * @param endpoint the endpoint
	 * @return the state
	 */
	CircuitState state(HookEndpoint endpoint) {
		CircuitBreaker breaker = this.breakers.get(endpoint);
		if (breaker == null) {
			return CircuitState.DISABLED;
		}
		return switch (breaker.getState()) {
			case OPEN, FORCED_OPEN -> CircuitState.OPEN;
			case HALF_OPEN -> CircuitState.HALF_OPEN;
			case DISABLED, METRICS_ONLY -> CircuitState.DISABLED;
			default -> CircuitState.CLOSED;
		};
	}

	/** Closes every breaker and forgets its recorded calls. */
	void reset() {
		this.breakers.values().forEach(CircuitBreaker::reset);
	}

	/**
	 * Whether a failed call means Runlayer is unavailable (rather than that it answered).
	 * @param ex the failure
	 * @return the flag
	 */
	static boolean isOutage(HookCallException ex) {
		return !ex.definitiveRefusal();
	}

	private HookTransport transportFor(Duration timeout) {
		if (timeout == null || timeout.equals(this.transport.settings().timeoutOverride()) || this.closed
				|| this.transport.isClosed()) {
			// a closed client's base transport refuses the call at once
			return this.transport;
		}
		HookTransport target = this.timed.computeIfAbsent(timeout,
				(t) -> new HookTransport(this.transport.settings().withTimeoutOverride(t), this.authentication));
		if (this.enforcementAborted) {
			// the same for a closing client's abort of enforcement calls (it sets its flag before it walks the map)
			target.abortEnforcementInFlight();
		}
		if (this.closed) {
			// close() ran while this one was being created and may not have seen it: close it here, so that it
			// refuses the call at once like every other transport of a closed client and leaves nothing running
			// (close() marks itself closed before it closes the transports in the map, so one of the two closes it)
			target.close();
		}
		return target;
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.transport.close();
		}
		finally {
			this.timed.values().forEach(HookTransport::close);
		}
	}

}
