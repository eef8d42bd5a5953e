package com.runlayer.sdk.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
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
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.http.converter.ByteArrayHttpMessageConverter;
import org.springframework.web.client.RestClient;

/**
 * POSTs bodies to Runlayer endpoints with timeouts, retries, a response size bound, authentication and the protocol
 * headers: Spring's {@link RestClient} over one pooled JDK {@link HttpClient} per transport (see
 * {@link JdkSendRequestFactory} for the per-attempt deadline that also bounds the read of the response body).
 *
 * <p>Internal API of the SDK. Thread-safe.
 */
public final class HookTransport implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(HookTransport.class);

	/** Header carrying the idempotency key (D8). */
	public static final String IDEMPOTENCY_HEADER = "x-runlayer-idempotency-key";

	private static final int COMPRESSION_THRESHOLD = 16 * 1024;

	private static final int EXCERPT_BYTES = 1024;

	private static final List<MediaType> ACCEPT_JSON = List.of(MediaType.APPLICATION_JSON);

	private final TransportSettings settings;

	private final HookAuthentication authentication;

	private final HttpClient httpClient;

	private final RestClient restClient;

	private final Map<String, URI> uris = new ConcurrentHashMap<>();

	private final ExecutorService executor;

	private final AtomicBoolean compressionEnabled;

	private final Sleeper sleeper;

	/**
	 * Creates a transport.
	 * @param settings the settings
	 * @param authentication how calls authenticate; may be null for unauthenticated calls (token endpoint only)
	 */
	public HookTransport(TransportSettings settings, HookAuthentication authentication) {
		this.settings = settings;
		this.authentication = authentication;
		this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				new DaemonThreadFactory());
		HttpClient.Builder http = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(3))
			.followRedirects(HttpClient.Redirect.NEVER)
			.executor(this.executor)
			.version(settings.baseUrl().startsWith("https:") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
		if (settings.sslContext() != null) {
			http.sslContext(settings.sslContext());
		}
		this.httpClient = http.build();
		// Bodies are bytes both ways (JSON is written and read by the SDK itself), so one converter is all it needs;
		// the default set would be probed on every request.
		this.restClient = RestClient.builder()
			.requestFactory(new JdkSendRequestFactory(this.httpClient))
			.configureMessageConverters((converters) -> converters.disableDefaults()
				.addCustomConverter(new ByteArrayHttpMessageConverter()))
			.build();
		this.compressionEnabled = new AtomicBoolean(settings.compression());
		this.sleeper = Thread::sleep;
	}

	/**
	 * The settings.
	 * @return the settings
	 */
	public TransportSettings settings() {
		return this.settings;
	}

	/**
	 * POSTs a JSON body to an endpoint at its default path.
	 * @param endpoint the endpoint
	 * @param body the JSON body (UTF-8)
	 * @return the 2xx response
	 * @throws HookCallException when no 2xx answer could be had within the budget
	 */
	public HookResponse postJson(HookEndpoint endpoint, byte[] body) {
		return post(endpoint, endpoint.defaultPath(), MediaType.APPLICATION_JSON, body, true, null, 0L);
	}

	/**
	 * POSTs a JSON body to an endpoint at its default path, authenticated for a subject.
	 * @param endpoint the endpoint
	 * @param body the JSON body (UTF-8)
	 * @param subject the user the call acts for, or null for the configured one (or none)
	 * @return the 2xx response
	 * @throws HookCallException when no 2xx answer could be had within the budget
	 */
	public HookResponse postJson(HookEndpoint endpoint, byte[] body, RunlayerSubject subject) {
		return post(endpoint, endpoint.defaultPath(), MediaType.APPLICATION_JSON, body, true, subject, 0L);
	}

	/**
	 * POSTs a JSON body to an endpoint at a given path.
	 * @param endpoint the endpoint (for timeout, retry class and headers)
	 * @param path the path, starting with {@code /}
	 * @param body the JSON body (UTF-8)
	 * @return the 2xx response
	 * @throws HookCallException when no 2xx answer could be had within the budget
	 */
	public HookResponse postJson(HookEndpoint endpoint, String path, byte[] body) {
		return post(endpoint, path, MediaType.APPLICATION_JSON, body, true, null, 0L);
	}

	/**
	 * POSTs a form-encoded body without hook authentication (the token endpoint).
	 * @param endpoint the endpoint
	 * @param body the form body
	 * @return the 2xx response
	 * @throws HookCallException when no 2xx answer could be had within the budget
	 */
	public HookResponse postForm(HookEndpoint endpoint, byte[] body) {
		return post(endpoint, endpoint.defaultPath(), MediaType.APPLICATION_FORM_URLENCODED, body, false, null, 0L);
	}

	/**
	 * POSTs a form-encoded body without hook authentication, within the endpoint's timeout and a caller's deadline,
	 * whichever ends first (a token request made for a hook call gets that call's remaining budget).
	 * @param endpoint the endpoint
	 * @param body the form body
	 * @param deadlineNanos the caller's deadline on the {@link System#nanoTime()} scale
	 * @return the 2xx response
	 * @throws HookCallException when no 2xx answer could be had within the budget
	 */
	public HookResponse postForm(HookEndpoint endpoint, byte[] body, long deadlineNanos) {
		return post(endpoint, endpoint.defaultPath(), MediaType.APPLICATION_FORM_URLENCODED, body, false, null,
				deadlineNanos);
	}

	private HookResponse post(HookEndpoint endpoint, String path, MediaType contentType, byte[] body,
			boolean authenticate, RunlayerSubject subject, long callerDeadline) {
		long start = System.nanoTime();
		long deadline = start + this.settings.timeout(endpoint).toNanos();
		if (callerDeadline != 0L && callerDeadline - deadline < 0) {
			deadline = callerDeadline;
		}
		Duration budget = Duration.ofNanos(Math.max(0, deadline - start));
		String idempotencyKey = endpoint.idempotencyKey() ? UUID.randomUUID().toString() : null;
		String url = this.settings.baseUrl() + path;
		boolean resentAfter401 = false;
		boolean resentUncompressed = false;
		int attempt = 0;
		while (true) {
			if (deadline - System.nanoTime() <= 0) {
				throw new HookCallException(Kind.TIMEOUT, 0,
						"Runlayer " + path + " did not answer within " + budget.toMillis() + " ms", null);
			}
			boolean compress = this.compressionEnabled.get() && body.length > COMPRESSION_THRESHOLD
					&& contentType.equals(MediaType.APPLICATION_JSON);
			HttpHeaders credentials = new HttpHeaders();
			if (authenticate && this.authentication != null) {
				// may mint an agent token first, inside this call's deadline; a token failure is a
				// HookCallException (kind AUTH)
				this.authentication.authenticate(credentials, subject, deadline);
			}
			Duration remaining = Duration.ofNanos(deadline - System.nanoTime());
			if (remaining.isNegative() || remaining.isZero()) {
				throw new HookCallException(Kind.TIMEOUT, 0,
						"Runlayer " + path + " did not answer within " + budget.toMillis() + " ms", null);
			}
			Exchange exchange;
			try {
				exchange = exchange(url, contentType, compress ? gzip(body) : body, compress, idempotencyKey,
						credentials, remaining);
			}
			catch (HookCallException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				Throwable cause = (ex instanceof ResourceAccessException && ex.getCause() != null) ? ex.getCause() : ex;
				boolean timeout = isTimeout(cause) || (deadline - System.nanoTime()) <= 0;
				Duration wait = timeout ? null
						: this.settings.retryPolicy()
							.retryAfterError(endpoint, attempt, cause, Duration.ofNanos(deadline - System.nanoTime()));
				if (wait != null) {
					logger.debug("Runlayer {} attempt {} failed ({}), retrying in {} ms", path, attempt + 1,
							cause.getClass().getSimpleName(), wait.toMillis());
					sleep(wait, path);
					attempt++;
					continue;
				}
				if (timeout) {
					throw new HookCallException(Kind.TIMEOUT, 0,
							"Runlayer " + path + " did not answer within " + budget.toMillis() + " ms", cause);
				}
				throw new HookCallException(Kind.TRANSPORT, 0,
						"Runlayer " + path + " could not be reached: " + describe(cause), cause);
			}
			int status = exchange.status();
			if (logger.isDebugEnabled()) {
				logger.debug("Runlayer {} attempt {} answered HTTP {}", path, attempt + 1, status);
			}
			if (status >= 200 && status <= 299) {
				return new HookResponse(status, exchange.body(), attempt + 1);
			}
			if (compress && !resentUncompressed && (status == 400 || status == 415 || status == 422)) {
				// D7: the server may not read compressed bodies; resend once uncompressed and stop compressing.
				this.compressionEnabled.set(false);
				resentUncompressed = true;
				logger.info("Runlayer rejected a compressed request (HTTP {}); compression disabled for this client",
						status);
				continue;
			}
			if (status == 401 && authenticate && !resentAfter401 && this.authentication != null
					&& this.authentication.invalidate(credentials, subject)) {
				resentAfter401 = true;
				logger.debug("Runlayer {} answered 401; refreshing credentials and resending once", path);
				continue;
			}
			Duration wait = this.settings.retryPolicy()
				.retryAfterStatus(endpoint, attempt, status, exchange.retryAfter(),
						Duration.ofNanos(deadline - System.nanoTime()));
			if (wait != null) {
				logger.debug("Runlayer {} attempt {} answered HTTP {}, retrying in {} ms", path, attempt + 1, status,
						wait.toMillis());
				sleep(wait, path);
				attempt++;
				continue;
			}
			throw new HookCallException(Kind.STATUS, status,
					"Runlayer " + path + " answered HTTP " + status + hint(status) + excerpt(exchange.body(), credentials),
					null);
		}
	}

	private Exchange exchange(String url, MediaType contentType, byte[] body, boolean compressed,
			String idempotencyKey, HttpHeaders headers, Duration timeout) {
		return this.restClient.post()
			.uri(uri(url))
			.attribute(JdkSendRequestFactory.TIMEOUT_ATTRIBUTE, timeout)
			.headers((h) -> {
				h.addAll(headers);
				h.setContentType(contentType);
				h.setAccept(ACCEPT_JSON);
				h.set(HttpHeaders.USER_AGENT, this.settings.userAgent());
				if (idempotencyKey != null) {
					h.set(IDEMPOTENCY_HEADER, idempotencyKey);
				}
				if (compressed) {
					h.set(HttpHeaders.CONTENT_ENCODING, "gzip");
				}
			})
			.body(body)
			.exchange((request, response) -> {
				int status = response.getStatusCode().value();
				String retryAfter = response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER);
				if (response.getHeaders().getContentLength() > this.settings.maxResponseBytes()) {
					throw tooLarge(url);
				}
				return new Exchange(status, readBounded(response.getBody(), this.settings.maxResponseBytes(), url),
						retryAfter);
			});
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

	private HookCallException tooLarge(String url) {
		return new HookCallException(Kind.TOO_LARGE, 0, "Runlayer " + pathOf(url) + " answered with a body over "
				+ this.settings.maxResponseBytes() + " bytes; not read", null);
	}

	private byte[] readBounded(InputStream in, long max, String url) throws IOException {
		if (in == null) {
			return new byte[0];
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		long total = 0;
		int n;
		while ((n = in.read(buffer)) != -1) {
			total += n;
			if (total > max) {
				throw tooLarge(url);
			}
			out.write(buffer, 0, n);
		}
		return out.toByteArray();
	}

	private String pathOf(String url) {
		return url.substring(this.settings.baseUrl().length());
	}

	private void sleep(Duration wait, String path) {
		try {
			this.sleeper.sleep(wait.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new HookCallException(Kind.TRANSPORT, 0, "Interrupted while retrying Runlayer " + path, ex);
		}
	}

	private static boolean isTimeout(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof HttpTimeoutException || t instanceof java.net.SocketTimeoutException
					|| (t instanceof InterruptedIOException && !(t instanceof java.net.ConnectException))) {
				return true;
			}
		}
		return false;
	}

	private String describe(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? scrub(root.getMessage()) : "";
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
		String scrubbed = (this.authentication != null) ? this.authentication.scrub(text, credentials) : text;
		return ": " + scrubbed.replaceAll("[\\p{Cntrl}&&[^\\t]]", " ")
				+ ((body.length > EXCERPT_BYTES) ? "…" : "");
	}

	/**
	 * Replaces every known secret in a text with {@code [redacted]}.
	 * @param text the text
	 * @return the scrubbed text
	 */
	public String scrub(String text) {
		return (this.authentication != null) ? this.authentication.scrub(text) : text;
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
	 * Releases the HTTP resources: stops the executor and, on Java 21 and later, shuts the JDK {@link HttpClient}
	 * down so that its pooled connections and selector thread go at once. (Java 17's {@code HttpClient} has no
	 * shutdown; it releases them when it becomes unreachable.)
	 */
	@Override
	public void close() {
		this.executor.shutdown();
		try {
			HttpClient.class.getMethod("shutdownNow").invoke(this.httpClient);
		}
		catch (NoSuchMethodException ex) {
			// Java 17: released when the client is garbage collected
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Could not shut the Runlayer HTTP client down", ex);
		}
	}

	private record Exchange(int status, byte[] body, String retryAfter) {
	}

	@FunctionalInterface
	interface Sleeper {

		void sleep(long millis) throws InterruptedException;

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
