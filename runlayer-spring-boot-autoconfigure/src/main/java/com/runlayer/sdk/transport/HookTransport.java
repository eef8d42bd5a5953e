package com.runlayer.sdk.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.runlayer.sdk.auth.HookAuthentication;
import com.runlayer.sdk.auth.RunlayerSubject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs bodies to Runlayer endpoints with timeouts, retries, a response size bound, authentication and the protocol
 * headers, straight on one pooled JDK {@link HttpClient} per transport.
 *
 * <p>Each attempt is sent with the blocking {@code send} on the calling thread and read into a bounded byte array
 * ({@link BoundedBodyHandler}). The JDK request timeout bounds the wait for the headers with the call's remaining
 * budget, and the body handler bounds a body that stalls after them, so the deadline covers the whole exchange. No
 * other thread of ours takes part in a plain-HTTP call: the JDK client's own work is done by its selector thread
 * (its executor runs tasks where they are submitted), which saves a thread hand-off per response compared with the
 * JDK's default pool. ({@code sendAsync} is not used: it completes every response through the common pool, which on
 * 2 CPUs or fewer starts a thread per task.) Over TLS the record and handshake work goes to a small fixed pool so
 * that it does not queue up on the selector thread.
 *
 * <p>{@link #close()} ends the transport for good: calls in flight end at once as transport failures, new calls fail
 * without a request, and the TLS pool threads stop.
 *
 * <p>Internal API of the SDK. Thread-safe.
 */
public final class HookTransport implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(HookTransport.class);

	/** Header carrying the idempotency key (docs/protocol.md, "Common to every call"). */
	public static final String IDEMPOTENCY_HEADER = "x-runlayer-idempotency-key";

	private static final String APPLICATION_JSON = "application/json";

	private static final String FORM_URLENCODED = "application/x-www-form-urlencoded";

	private final TransportSettings settings;

	private final HookAuthentication authentication;

	private final HttpClientResources http;

	private final RequestCompression compression;

	private final Map<String, URI> uris = new ConcurrentHashMap<>();

	private final Set<InFlightCall> inFlight = ConcurrentHashMap.newKeySet();

	private volatile boolean isClosed;

	private volatile boolean enforcementClosed;

	/**
	 * Creates a transport.
	 * @param settings the settings
	 * @param authentication how calls authenticate; may be null for unauthenticated calls (token endpoint only)
	 */
	public HookTransport(TransportSettings settings, HookAuthentication authentication) {
		this.settings = settings;
		this.authentication = authentication;
		this.http = new HttpClientResources(settings);
		this.compression = new RequestCompression(settings.compression());
	}

	/**
	 * The settings.
	 * @return the settings
	 */
	public TransportSettings settings() {
		return this.settings;
	}

	/**
	 * Whether {@link #close()} was called.
	 * @return the flag
	 */
	public boolean isClosed() {
		return this.isClosed;
	}

	/**
	 * POSTs a JSON body to an endpoint at its default path.
	 * @param endpoint the endpoint
	 * @param body the JSON body (UTF-8)
	 * @return the 2xx response
	 * @throws HookCallException when no 2xx answer could be had within the budget, or the transport is closed
	 */
	public HookResponse postJson(HookEndpoint endpoint, byte[] body) {
		return post(endpoint, endpoint.defaultPath(), APPLICATION_JSON, body, true, endpoint.enforcing(), null, 0L);
	}

	/**
	 * POSTs a JSON body to an endpoint at its default path, authenticated for a subject.
	 * @param endpoint the endpoint
	 * @param body the JSON body (UTF-8)
	 * @param subject the user the call acts for, or null for the configured one (or none)
	 * @return the 2xx response
	 * @throws HookCallException when no 2xx answer could be had within the budget, or the transport is closed
	 */
	public HookResponse postJson(HookEndpoint endpoint, byte[] body, RunlayerSubject subject) {
		return post(endpoint, endpoint.defaultPath(), APPLICATION_JSON, body, true, endpoint.enforcing(), subject,
				0L);
	}

	/**
	 * POSTs a best-effort telemetry body (e.g. {@code PostToolUseFailure} on tool/post) to an endpoint at its default
	 * path: like {@link #postJson(HookEndpoint, byte[])}, but not ended by {@link #abortEnforcementInFlight()}, so a
	 * closing client still flushes it.
	 * @param endpoint the endpoint
	 * @param body the JSON body (UTF-8)
	 * @return the 2xx response
	 * @throws HookCallException when no 2xx answer could be had within the budget, or the transport is closed
	 */
	public HookResponse postTelemetry(HookEndpoint endpoint, byte[] body) {
		return post(endpoint, endpoint.defaultPath(), APPLICATION_JSON, body, true, false, null, 0L);
	}

	/**
	 * Like {@link #postTelemetry(HookEndpoint, byte[])}, authenticated for a subject.
	 * @param endpoint the endpoint
	 * @param body the JSON body (UTF-8)
	 * @param subject the user the call acts for, or null for the configured one (or none)
	 * @return the 2xx response
	 * @throws HookCallException when no 2xx answer could be had within the budget, or the transport is closed
	 */
	public HookResponse postTelemetry(HookEndpoint endpoint, byte[] body, RunlayerSubject subject) {
		return post(endpoint, endpoint.defaultPath(), APPLICATION_JSON, body, true, false, subject, 0L);
	}

	/**
	 * POSTs a JSON body to an endpoint at a given path.
	 * @param endpoint the endpoint (for timeout, retry class and headers)
	 * @param path the path, starting with {@code /}
	 * @param body the JSON body (UTF-8)
	 * @return the 2xx response
	 * @throws HookCallException when no 2xx answer could be had within the budget, or the transport is closed
	 */
	public HookResponse postJson(HookEndpoint endpoint, String path, byte[] body) {
		return post(endpoint, path, APPLICATION_JSON, body, true, endpoint.enforcing(), null, 0L);
	}

	/**
	 * POSTs a form-encoded body without hook authentication (the token endpoint).
	 * @param endpoint the endpoint
	 * @param body the form body
	 * @return the 2xx response
	 * @throws HookCallException when no 2xx answer could be had within the budget, or the transport is closed
	 */
	public HookResponse postForm(HookEndpoint endpoint, byte[] body) {
		return post(endpoint, endpoint.defaultPath(), FORM_URLENCODED, body, false, false, null, 0L);
	}

	/**
	 * POSTs a form-encoded body without hook authentication, within the endpoint's timeout and a caller's deadline,
	 * whichever ends first (a token request made for a hook call gets that call's remaining budget).
	 * @param endpoint the endpoint
	 * @param body the form body
	 * @param deadlineNanos the caller's deadline on the {@link System#nanoTime()} scale
	 * @return the 2xx response
	 * @throws HookCallException when no 2xx answer could be had within the budget, or the transport is closed
	 */
	public HookResponse postForm(HookEndpoint endpoint, byte[] body, long deadlineNanos) {
		return post(endpoint, endpoint.defaultPath(), FORM_URLENCODED, body, false, false, null, deadlineNanos);
	}

	private HookResponse post(HookEndpoint endpoint, String path, String contentType, byte[] body,
			boolean authenticate, boolean enforcement, RunlayerSubject subject, long callerDeadline) {
		if (refuses(enforcement)) {
			throw TransportFailures.closed(path);
		}
		InFlightCall call = new InFlightCall(enforcement);
		this.inFlight.add(call);
		try {
			// checked again once registered: either this call sees the flag or the abort/close loop sees the call
			if (refuses(enforcement)) {
				throw TransportFailures.closed(path);
			}
			CallBudget budget = CallBudget.start(this.settings.timeout(endpoint), callerDeadline);
			CallCredentials credentials = new CallCredentials(this.authentication, authenticate, subject);
			return post(call, endpoint, path, contentType, body, budget, credentials);
		}
		finally {
			this.inFlight.remove(call);
			call.finish();
		}
	}

	/**
	 * The attempts of one call within its budget: retries by the {@link RetryPolicy}, one resend with fresh
	 * credentials after a 401, one uncompressed resend when a compressed body is refused.
	 */
	private HookResponse post(InFlightCall call, HookEndpoint endpoint, String path, String contentType, byte[] body,
			CallBudget budget, CallCredentials credentials) {
		String idempotencyKey = endpoint.idempotencyKey() ? RandomIds.uuid() : null;
		URI uri = uri(this.settings.baseUrl() + path);
		boolean json = APPLICATION_JSON.equals(contentType);
		boolean resentUncompressed = false;
		int attempt = 0;
		while (true) {
			if (!budget.allowsAttempt(attempt > 0 || credentials.refreshed() || resentUncompressed)) {
				throw budget.timeout(path, null);
			}
			boolean compress = this.compression.applies(json, body);
			// may mint an agent token first, inside this call's deadline; a token failure is a HookCallException
			// (kind AUTH)
			credentials.prepare(budget.deadlineNanos());
			// what is left of the budget after the token, for the hook request itself
			long remaining = budget.remainingNanos();
			if (remaining <= 0) {
				throw budget.timeout(path, null);
			}
			HttpRequest request = request(uri, contentType, compress ? RequestCompression.gzip(body) : body, compress,
					idempotencyKey, credentials, remaining);
			HttpResponse<byte[]> response;
			try {
				response = send(call, request, budget.deadlineNanos());
			}
			catch (HookCallException ex) {
				throw ex;
			}
			catch (IOException | RuntimeException ex) {
				if (BoundedBodyHandler.tooLarge(ex)) {
					throw TransportFailures.tooLarge(path, this.settings.maxResponseBytes());
				}
				boolean timeout = TransportFailures.isTimeout(ex) || budget.expired();
				Duration wait = timeout ? null
						: this.settings.retryPolicy().retryAfterError(endpoint, attempt, ex, budget.remaining());
				if (wait != null) {
					logger.debug("Runlayer {} attempt {} failed ({}), retrying in {} ms", path, attempt + 1,
							ex.getClass().getSimpleName(), wait.toMillis());
					call.sleep(wait, path);
					attempt++;
					continue;
				}
				if (timeout) {
					throw budget.timeout(path, ex);
				}
				throw TransportFailures.unreachable(path, ex, credentials);
			}
			int status = response.statusCode();
			if (logger.isDebugEnabled()) {
				logger.debug("Runlayer {} attempt {} answered HTTP {}", path, attempt + 1, status);
			}
			boolean success = status >= 200 && status <= 299;
			if (success && !(compress && endpoint == HookEndpoint.MCP_SOURCE
					&& RequestCompression.codecRejected(response.body()))) {
				return new HookResponse(status, response.body(), attempt + 1);
			}
			if (compress && !resentUncompressed && (success || status == 400 || status == 415 || status == 422)) {
				// the server may not read compressed bodies; resend once uncompressed and stop compressing.
				this.compression.disable();
				resentUncompressed = true;
				logger.info("Runlayer rejected a compressed request (HTTP {}); compression disabled for this client",
						status);
				continue;
			}
			if (success) {
				return new HookResponse(status, response.body(), attempt + 1);
			}
			if (status == 401 && credentials.refreshAfterUnauthorized()) {
				logger.debug("Runlayer {} answered 401; refreshing credentials and resending once", path);
				continue;
			}
			String retryAfter = response.headers().firstValue("retry-after").orElse(null);
			Duration wait = this.settings.retryPolicy()
				.retryAfterStatus(endpoint, attempt, status, retryAfter, budget.remaining());
			if (wait != null) {
				logger.debug("Runlayer {} attempt {} answered HTTP {}, retrying in {} ms", path, attempt + 1, status,
						wait.toMillis());
				call.sleep(wait, path);
				attempt++;
				continue;
			}
			throw TransportFailures.status(path, status, response.body(), credentials);
		}
	}

	private HttpRequest request(URI uri, String contentType, byte[] body, boolean compressed, String idempotencyKey,
			CallCredentials credentials, long timeoutNanos) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(Duration.ofNanos(timeoutNanos))
			.header("Content-Type", contentType)
			.header("Accept", APPLICATION_JSON)
			.header("User-Agent", this.settings.userAgent());
		if (idempotencyKey != null) {
			request.header(IDEMPOTENCY_HEADER, idempotencyKey);
		}
		if (compressed) {
			request.header("Content-Encoding", "gzip");
		}
		credentials.addTo(request);
		return request.POST(new ByteArrayBody(body)).build();
	}

	/** One attempt on the caller's thread; see {@link InFlightCall#send}. */
	private HttpResponse<byte[]> send(InFlightCall call, HttpRequest request, long deadline) throws IOException {
		HttpClient client = this.http.client();
		if (client == null) {
			throw TransportFailures.closed(request.uri().getPath());
		}
		return call.send(client, request, new BoundedBodyHandler(this.settings.maxResponseBytes(), deadline));
	}

	private URI uri(String url) {
		URI uri = this.uris.get(url);
		if (uri == null) {
			uri = URI.create(url);
			if (this.uris.size() < 64) {
				this.uris.put(url, uri);
			}
		}
		return uri;
	}

	/**
	 * Replaces every known secret in a text with {@code [redacted]}.
	 * @param text the text
	 * @return the scrubbed text
	 */
	public String scrub(String text) {
		return (this.authentication != null) ? this.authentication.scrub(text) : text;
	}

	/**
	 * Ends the enforcement calls in flight (tool/pre, tool/post, the cursor route) at once as transport failures and
	 * refuses new ones, while the transport stays open for the events a closing client still flushes;
	 * {@link #close()} does the rest.
	 */
	public void abortEnforcementInFlight() {
		this.enforcementClosed = true;
		for (InFlightCall call : this.inFlight) {
			if (call.enforcement()) {
				call.abort();
			}
		}
	}

	/**
	 * Closes the transport for good: new calls fail at once, calls in flight (and retry waits) end now as transport
	 * failures, the TLS pool stops, and on Java 21 and later the JDK {@link HttpClient} is shut down so that its
	 * connections and selector thread go at once. (Java 17's {@code HttpClient} has no shutdown: with no exchange
	 * left and no reference from here, its selector thread ends once the client is garbage collected.)
	 */
	private boolean refuses(boolean enforcement) {
		return this.isClosed || (enforcement && this.enforcementClosed);
	}

	@Override
	public void close() {
		if (this.isClosed) {
			return;
		}
		this.isClosed = true;
		for (InFlightCall call : this.inFlight) {
			call.abort();
		}
		this.http.close();
	}

}
