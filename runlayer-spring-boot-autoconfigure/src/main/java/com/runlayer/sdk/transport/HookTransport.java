package com.runlayer.sdk.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import com.runlayer.sdk.auth.HookAuthentication;
import com.runlayer.sdk.auth.RunlayerSubject;
import com.runlayer.sdk.transport.HookCallException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;

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

	/** Header carrying the idempotency key (D8). */
	public static final String IDEMPOTENCY_HEADER = "x-runlayer-idempotency-key";

	private static final String APPLICATION_JSON = "application/json";

	private static final String FORM_URLENCODED = "application/x-www-form-urlencoded";

	private static final int COMPRESSION_THRESHOLD = 16 * 1024;

	private static final int EXCERPT_BYTES = 1024;

	/** Headers the JDK client sets itself and refuses from callers. */
	private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

	private final TransportSettings settings;

	private final HookAuthentication authentication;

	private final ThreadPoolExecutor tlsPool;

	private final Map<String, URI> uris = new ConcurrentHashMap<>();

	private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean compressionEnabled;

	private volatile HttpClient httpClient;

	private volatile boolean isClosed;

	/**
	 * Creates a transport.
	 * @param settings the settings
	 * @param authentication how calls authenticate; may be null for unauthenticated calls (token endpoint only)
	 */
	public HookTransport(TransportSettings settings, HookAuthentication authentication) {
		this.settings = settings;
		this.authentication = authentication;
		boolean tls = settings.baseUrl().regionMatches(true, 0, "https:", 0, 6);
		Executor executor;
		if (tls) {
			int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
			this.tlsPool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
					new DaemonThreadFactory());
			this.tlsPool.allowCoreThreadTimeOut(true);
			executor = this.tlsPool;
		}
		else {
			this.tlsPool = null;
			executor = Runnable::run;
		}
		HttpClient.Builder http = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(3))
			.followRedirects(HttpClient.Redirect.NEVER)
			.executor(executor)
			.version(tls ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
		if (settings.sslContext() != null) {
			http.sslContext(settings.sslContext());
		}
		this.httpClient = http.build();
		this.compressionEnabled = new AtomicBoolean(settings.compression());
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
		if (this.isClosed) {
			throw closedError(path);
		}
		InFlight call = new InFlight(Thread.currentThread(), enforcement);
		this.inFlight.add(call);
		try {
			if (this.isClosed) {
				throw closedError(path);
			}
			return post(call, endpoint, path, contentType, body, authenticate, subject, callerDeadline);
		}
		finally {
			this.inFlight.remove(call);
			call.finish();
		}
	}

	private HookResponse post(InFlight call, HookEndpoint endpoint, String path, String contentType, byte[] body,
			boolean authenticate, RunlayerSubject subject, long callerDeadline) {
		long start = System.nanoTime();
		long deadline = start + RetryPolicy.callBudget(this.settings.timeout(endpoint)).toNanos();
		if (callerDeadline != 0L && callerDeadline - deadline < 0) {
			deadline = callerDeadline;
		}
		Duration budget = Duration.ofNanos(Math.max(0, deadline - start));
		String idempotencyKey = endpoint.idempotencyKey() ? RandomIds.uuid() : null;
		URI uri = uri(this.settings.baseUrl() + path);
		boolean json = APPLICATION_JSON.equals(contentType);
		boolean resentAfter401 = false;
		boolean resentUncompressed = false;
		int attempt = 0;
		while (true) {
			long remaining = deadline - System.nanoTime();
			boolean followUp = attempt > 0 || resentAfter401 || resentUncompressed;
			if (remaining <= 0 || (followUp && !RetryPolicy.mayStartAnotherAttempt(Duration.ofNanos(remaining)))) {
				throw timeout(path, budget, null);
			}
			boolean compress = json && body.length > COMPRESSION_THRESHOLD && this.compressionEnabled.get();
			HttpHeaders credentials = null;
			if (authenticate && this.authentication != null) {
				credentials = new HttpHeaders();
				// may mint an agent token first, inside this call's deadline; a token failure is a
				// HookCallException (kind AUTH)
				this.authentication.authenticate(credentials, subject, deadline);
			}
			// what is left of the budget after the token, for the hook request itself
			remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				throw timeout(path, budget, null);
			}
			HttpRequest request = request(uri, contentType, compress ? gzip(body) : body, compress, idempotencyKey,
					credentials, remaining);
			HttpResponse<byte[]> response;
			try {
				response = send(call, request, deadline);
			}
			catch (HookCallException ex) {
				throw ex;
			}
			catch (IOException | RuntimeException ex) {
				Throwable cause = ex;
				if (BoundedBodyHandler.tooLarge(ex)) {
					throw new HookCallException(Kind.TOO_LARGE, 0, "Runlayer " + path + " answered with a body over "
							+ this.settings.maxResponseBytes() + " bytes; not read", null);
				}
				boolean timeout = isTimeout(cause) || (deadline - System.nanoTime()) <= 0;
				Duration wait = timeout ? null
						: this.settings.retryPolicy()
							.retryAfterError(endpoint, attempt, cause, Duration.ofNanos(deadline - System.nanoTime()));
				if (wait != null) {
					logger.debug("Runlayer {} attempt {} failed ({}), retrying in {} ms", path, attempt + 1,
							cause.getClass().getSimpleName(), wait.toMillis());
					sleep(call, wait, path);
					attempt++;
					continue;
				}
				if (timeout) {
					throw timeout(path, budget, cause);
				}
				throw new HookCallException(Kind.TRANSPORT, 0,
						"Runlayer " + path + " could not be reached: " + describe(cause, credentials), cause);
			}
			int status = response.statusCode();
			if (logger.isDebugEnabled()) {
				logger.debug("Runlayer {} attempt {} answered HTTP {}", path, attempt + 1, status);
			}
			boolean success = status >= 200 && status <= 299;
			if (success && !(compress && endpoint == HookEndpoint.MCP_SOURCE && codecRejected(response.body()))) {
				return new HookResponse(status, response.body(), attempt + 1);
			}
			if (compress && !resentUncompressed && (success || status == 400 || status == 415 || status == 422)) {
				// the server may not read compressed bodies; resend once uncompressed and stop compressing.
				this.compressionEnabled.set(false);
				resentUncompressed = true;
				logger.info("Runlayer rejected a compressed request (HTTP {}); compression disabled for this client",
						status);
				continue;
			}
			if (success) {
				return new HookResponse(status, response.body(), attempt + 1);
			}
			if (status == 401 && authenticate && !resentAfter401 && this.authentication != null
					&& this.authentication.invalidate(credentials, subject)) {
				resentAfter401 = true;
				logger.debug("Runlayer {} answered 401; refreshing credentials and resending once", path);
				continue;
			}
			String retryAfter = response.headers().firstValue("retry-after").orElse(null);
			Duration wait = this.settings.retryPolicy()
				.retryAfterStatus(endpoint, attempt, status, retryAfter, Duration.ofNanos(deadline - System.nanoTime()));
			if (wait != null) {
				logger.debug("Runlayer {} attempt {} answered HTTP {}, retrying in {} ms", path, attempt + 1, status,
						wait.toMillis());
				sleep(call, wait, path);
				attempt++;
				continue;
			}
			throw new HookCallException(Kind.STATUS, status, "Runlayer " + path + " answered HTTP " + status
					+ hint(status), null, excerpt(response.body(), credentials));
		}
	}

	private HttpRequest request(URI uri, String contentType, byte[] body, boolean compressed, String idempotencyKey,
			HttpHeaders credentials, long timeoutNanos) {
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
		if (credentials != null) {
			credentials.forEach((name, values) -> {
				if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
					values.forEach((value) -> request.header(name, value));
				}
			});
		}
		return request.POST(new ByteArrayBody(body)).build();
	}

	/**
	 * One attempt, with the blocking {@code send} on the caller's thread ({@code sendAsync} would complete every
	 * response through the common pool, which on 2 CPUs or fewer starts a thread per task). The JDK request timeout
	 * bounds the wait for the headers and the body handler's own deadline a body that stalls; close() interrupts the
	 * send, which cancels the exchange (the interrupt is cleared again before the call returns).
	 */
	private HttpResponse<byte[]> send(InFlight call, HttpRequest request, long deadline) throws IOException {
		HttpClient client = this.httpClient;
		if (client == null) {
			throw closedError(request.uri().getPath());
		}
		if (call.abortedByClose()) {
			// aborted before the exchange started (the interrupt may have been consumed on the way): none is started
			throw closedInFlight(request.uri().getPath());
		}
		try {
			return client.send(request, new BoundedBodyHandler(this.settings.maxResponseBytes(), deadline));
		}
		catch (InterruptedException ex) {
			if (call.abortedByClose()) {
				throw closedInFlight(request.uri().getPath());
			}
			Thread.currentThread().interrupt();
			throw new HookCallException(Kind.TRANSPORT, 0,
					"Interrupted while calling Runlayer " + request.uri().getPath(), ex);
		}
		catch (IOException ex) {
			if (call.abortedByClose()) {
				throw closedInFlight(request.uri().getPath());
			}
			throw ex;
		}
	}

	private HookCallException timeout(String path, Duration budget, Throwable cause) {
		return new HookCallException(Kind.TIMEOUT, 0,
				"Runlayer " + path + " did not answer within " + budget.toMillis() + " ms", cause);
	}

	private static HookCallException closedError(String path) {
		return new HookCallException(Kind.TRANSPORT, 0, "Runlayer client closed; " + path + " was not called", null);
	}

	private static HookCallException closedInFlight(String path) {
		return new HookCallException(Kind.TRANSPORT, 0,
				"Runlayer client closed while " + path + " was in flight", null);
	}

	/**
	 * Whether a 2xx answer of the legacy cursor route says it could not read the body (it answers an unreadable body
	 * with {@code 200}, {@code "permission":"deny"} and a {@code user_message} containing {@code Hook validation
	 * failed}): for a compressed request that means the codec was refused, and the body is resent uncompressed.
	 */
	private static boolean codecRejected(byte[] body) {
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

	/** Waits before a retry; close() ends the wait at once. */
	private void sleep(InFlight call, Duration wait, String path) {
		try {
			Thread.sleep(wait.toMillis());
		}
		catch (InterruptedException ex) {
			if (call.abortedByClose()) {
				throw closedInFlight(path);
			}
			Thread.currentThread().interrupt();
			throw new HookCallException(Kind.TRANSPORT, 0, "Interrupted while retrying Runlayer " + path, ex);
		}
	}

	private static boolean isTimeout(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof HttpTimeoutException || t instanceof java.net.SocketTimeoutException
					|| t instanceof java.util.concurrent.TimeoutException
					|| (t instanceof InterruptedIOException && !(t instanceof java.net.ConnectException))) {
				return true;
			}
		}
		return false;
	}

	private String describe(Throwable error, HttpHeaders credentials) {
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? scrub(root.getMessage(), credentials) : "";
		return root.getClass().getSimpleName() + (message.isEmpty() ? "" : " (" + message + ")");
	}

	private static String hint(int status) {
		return switch (status) {
			case 401 -> " (check the API key or agent credentials)";
			case 403 -> " (check that the workspace hook-client allowlist includes this client name, runlayer.client"
					+ " / RUNLAYER_HOOK_CLIENT, and that the credential may use this route)";
			default -> "";
		};
	}

	private String excerpt(byte[] body, HttpHeaders credentials) {
		if (body == null || body.length == 0) {
			return "";
		}
		int length = Math.min(body.length, EXCERPT_BYTES);
		String text = new String(body, 0, length, StandardCharsets.UTF_8);
		return scrub(text, credentials).replaceAll("[\\p{Cntrl}&&[^\\t]]", " ") + ((body.length > EXCERPT_BYTES) ? "…" : "");
	}

	/**
	 * Replaces every known secret in a text with {@code [redacted]}.
	 * @param text the text
	 * @return the scrubbed text
	 */
	public String scrub(String text) {
		return (this.authentication != null) ? this.authentication.scrub(text) : text;
	}

	/** Like {@link #scrub(String)}, and also the credentials one request carried (e.g. a per-user bearer token). */
	private String scrub(String text, HttpHeaders credentials) {
		return (this.authentication != null) ? this.authentication.scrub(text, credentials) : text;
	}

	private static byte[] gzip(byte[] body) {
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
	 * Ends the enforcement calls in flight (tool/pre, tool/post, the cursor route) at once as transport failures,
	 * while the transport stays open for the events a closing client still flushes; {@link #close()} does the rest.
	 */
	public void abortEnforcementInFlight() {
		for (InFlight call : this.inFlight) {
			if (call.enforcement) {
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
	@Override
	public void close() {
		if (this.isClosed) {
			return;
		}
		this.isClosed = true;
		for (InFlight call : this.inFlight) {
			call.abort();
		}
		HttpClient client = this.httpClient;
		this.httpClient = null;
		if (client != null) {
			try {
				HttpClient.class.getMethod("shutdownNow").invoke(client);
			}
			catch (NoSuchMethodException ex) {
				// Java 17: released when the client is garbage collected
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Could not shut the Runlayer HTTP client down", ex);
			}
		}
		if (this.tlsPool != null) {
			this.tlsPool.shutdownNow();
			try {
				this.tlsPool.awaitTermination(1, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * A call in progress (sending, waiting for the answer or before a retry): close() interrupts its thread once,
	 * which ends the blocking {@code send} (the JDK then cancels the exchange) or the retry wait, and the call clears
	 * that interrupt again when it returns, so no interrupt of ours outlives the call.
	 */
	private static final class InFlight {

		private final Thread thread;

		private final boolean enforcement;

		private boolean done;

		private boolean aborted;

		InFlight(Thread thread, boolean enforcement) {
			this.thread = thread;
			this.enforcement = enforcement;
		}

		synchronized void abort() {
			if (!this.done && !this.aborted) {
				this.aborted = true;
				this.thread.interrupt();
			}
		}

		synchronized boolean abortedByClose() {
			return this.aborted;
		}

		synchronized void finish() {
			this.done = true;
			if (this.aborted) {
				Thread.interrupted();
			}
		}

	}

	private static final class DaemonThreadFactory implements ThreadFactory {

		private static final AtomicInteger POOL = new AtomicInteger();

		private final int pool = POOL.incrementAndGet();

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable runnable) {
			Thread thread = new Thread(runnable, "runlayer-http-" + this.pool + "-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
