package com.runlayer.sdk.transport;

import java.time.Duration;

import javax.net.ssl.SSLContext;

/**
 * Settings of the {@link HookTransport}; built by the client from its validated options.
 *
 * @param baseUrl the Runlayer base URL without a trailing slash
 * @param timeoutOverride a timeout for every call, or null for the per-endpoint defaults
 * @param maxResponseBytes the largest response body read
 * @param retryPolicy the retry rule
 * @param userAgent the User-Agent header value (already stripped of control characters)
 * @param compression whether request bodies over 16 KiB are gzip-compressed (docs/protocol.md, "Common to every call")
 * @param sslContext the TLS context, or null for the JDK default (certificates are always verified)
 */
public record TransportSettings(String baseUrl, Duration timeoutOverride, long maxResponseBytes,
		RetryPolicy retryPolicy, String userAgent, boolean compression, SSLContext sslContext) {

	/**
	 * The timeout budget of one call to an endpoint.
	 * @param endpoint the endpoint
	 * @return the override if set, else the endpoint's default
	 */
	public Duration timeout(HookEndpoint endpoint) {
		return (this.timeoutOverride != null) ? this.timeoutOverride : endpoint.defaultTimeout();
	}

	/**
	 * The same settings with one budget for every call (e.g. a tool's own tool/pre or tool/post timeout).
	 * @param timeout the budget
	 * @return the settings
	 */
	public TransportSettings withTimeoutOverride(Duration timeout) {
		return new TransportSettings(this.baseUrl, timeout, this.maxResponseBytes, this.retryPolicy, this.userAgent,
				this.compression, this.sslContext);
	}

}
