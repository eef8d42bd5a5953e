package com.runlayer.sdk.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.AbstractBufferingClientHttpRequest;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * The {@link ClientHttpRequestFactory} under the transport's {@code RestClient}: one shared JDK {@link HttpClient},
 * called with the blocking {@code send}, and a per-request deadline taken from the request attribute
 * {@link #TIMEOUT_ATTRIBUTE}.
 *
 * <p>Why not Spring's {@code JdkClientHttpRequestFactory}: it has one fixed read timeout, while each Runlayer call has
 * its own budget that shrinks across retries; and it uses {@code HttpClient.sendAsync}, which completes every
 * response on the common pool: with two CPUs or fewer that pool has parallelism 1, so the JDK starts a new thread
 * per request (measured: 3.6 × the cost of the bare exchange). The deadline covers the whole exchange: the JDK
 * request timeout bounds the wait for the headers, and a watchdog closes a body that is still stalling at the
 * deadline so that the read fails instead of hanging.
 */
final class JdkSendRequestFactory implements ClientHttpRequestFactory {

	/** Request attribute holding the attempt's timeout ({@link Duration}). */
	static final String TIMEOUT_ATTRIBUTE = JdkSendRequestFactory.class.getName() + ".timeout";

	/** Headers the JDK client sets itself and refuses from callers. */
	private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

	private final HttpClient httpClient;

	JdkSendRequestFactory(HttpClient httpClient) {
		this.httpClient = httpClient;
	}

	@Override
	public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) {
		return new Request(uri, httpMethod);
	}

	private final class Request extends AbstractBufferingClientHttpRequest {

		private final URI uri;

		private final HttpMethod method;

		Request(URI uri, HttpMethod method) {
			this.uri = uri;
			this.method = method;
		}

		@Override
		public HttpMethod getMethod() {
			return this.method;
		}

		@Override
		public URI getURI() {
			return this.uri;
		}

		@Override
		protected ClientHttpResponse executeInternal(HttpHeaders headers, byte[] body) throws IOException {
			Duration timeout = (getAttributes().get(TIMEOUT_ATTRIBUTE) instanceof Duration d) ? d : null;
			HttpRequest.Builder request = HttpRequest.newBuilder(this.uri)
				.method(this.method.name(), HttpRequest.BodyPublishers.ofByteArray(body));
			if (timeout != null) {
				request.timeout(timeout);
			}
			headers.forEach((name, values) -> {
				if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
					values.forEach((value) -> request.header(name, value));
				}
			});
			long deadline = (timeout != null) ? System.nanoTime() + timeout.toNanos() : 0;
			HttpResponse<InputStream> response;
			try {
				response = JdkSendRequestFactory.this.httpClient.send(request.build(),
						HttpResponse.BodyHandlers.ofInputStream());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("Interrupted while calling Runlayer", ex);
			}
			return new Response(response, deadline, timeout != null);
		}

	}

	private static final class Response implements ClientHttpResponse {

		private final HttpResponse<InputStream> response;

		private final CompletableFuture<Void> watchdog;

		private HttpHeaders headers;

		Response(HttpResponse<InputStream> response, long deadline, boolean bounded) {
			this.response = response;
			if (bounded) {
				this.watchdog = new CompletableFuture<Void>()
					.completeOnTimeout(null, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				this.watchdog.thenRun(this::closeBody);
			}
			else {
				this.watchdog = null;
			}
		}

		@Override
		public HttpStatusCode getStatusCode() {
			return HttpStatusCode.valueOf(this.response.statusCode());
		}

		@Override
		public String getStatusText() {
			return "";
		}

		@Override
		public HttpHeaders getHeaders() {
			if (this.headers == null) {
				HttpHeaders copy = new HttpHeaders();
				this.response.headers().map().forEach(copy::addAll);
				this.headers = copy;
			}
			return this.headers;
		}

		@Override
		public InputStream getBody() {
			return this.response.body();
		}

		@Override
		public void close() {
			if (this.watchdog != null) {
				this.watchdog.cancel(false);
			}
			closeBody();
		}

		private void closeBody() {
			try {
				this.response.body().close();
			}
			catch (IOException ex) {
				// closing a finished or already closed body
			}
		}

	}

}
