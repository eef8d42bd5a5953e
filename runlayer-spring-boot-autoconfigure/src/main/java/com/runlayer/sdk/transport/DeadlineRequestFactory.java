package com.runlayer.sdk.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;

/**
 * A request factory over one shared JDK {@link HttpClient} whose read timeout is the remaining budget of the call
 * in progress on this thread.
 *
 * <p>Spring's {@link JdkClientHttpRequestFactory} has one fixed read timeout, but each Runlayer call has its own
 * budget that shrinks across retries. The JDK request it creates enforces the timeout over the whole exchange,
 * response body included (it closes a stalled body), which is what a fail-closed SDK needs.
 */
final class DeadlineRequestFactory implements ClientHttpRequestFactory {

	private static final ThreadLocal<Duration> ATTEMPT_TIMEOUT = new ThreadLocal<>();

	private final HttpClient httpClient;

	private final Executor executor;

	DeadlineRequestFactory(HttpClient httpClient, Executor executor) {
		this.httpClient = httpClient;
		this.executor = executor;
	}

	static void setAttemptTimeout(Duration timeout) {
		ATTEMPT_TIMEOUT.set(timeout);
	}

	static void clearAttemptTimeout() {
		ATTEMPT_TIMEOUT.remove();
	}

	@Override
	public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) throws IOException {
		JdkClientHttpRequestFactory delegate = new JdkClientHttpRequestFactory(this.httpClient, this.executor);
		Duration timeout = ATTEMPT_TIMEOUT.get();
		if (timeout != null) {
			delegate.setReadTimeout(timeout);
		}
		return delegate.createRequest(uri, httpMethod);
	}

}
