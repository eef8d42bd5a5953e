package com.runlayer.sdk;

import java.nio.charset.StandardCharsets;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import com.runlayer.sdk.transport.DelayedHookServer;
import com.runlayer.sdk.transport.HookCallException;
import com.runlayer.sdk.transport.HookEndpoint;
import com.runlayer.sdk.transport.HookResponse;
import com.runlayer.sdk.transport.HookTransport;
import com.runlayer.sdk.transport.RetryPolicy;
import com.runlayer.sdk.transport.TransportSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call with its own timeout (a per-tool tool/pre or tool/post budget) gets a transport of its own, created on first
 * use; when that happens while the client closes, the new transport must not outlive the client: the call fails as a
 * closed client's would, and nothing reaches Runlayer.
 */
class GuardedTransportCloseTests {

	private static final byte[] BODY = "{\"hook_event_name\":\"PreToolUse\"}".getBytes(StandardCharsets.UTF_8);

	@Test
	void aPerTimeoutTransportCreatedWhileTheClientClosesIsClosedAndTheCallFailsAsClosed() throws Exception {
		Set<Thread> before = Thread.getAllStackTraces().keySet();
		try (DelayedHookServer server = new DelayedHookServer(Duration.ZERO)) {
			// the JDK client asks its TLS context for the default parameters while it is built; the gate holds the
			// building of the per-timeout transport there, so that close() runs exactly in that window
			Gate gate = new Gate();
			TransportSettings settings = new TransportSettings(server.baseUrl(), null, 1024 * 1024, new RetryPolicy(0),
					"runlayer-test", false, gate.sslContext());
			GuardedTransport guarded = new GuardedTransport(new HookTransport(settings, null), null,
					CircuitBreakerSettings.disabled());
			gate.arm();
			CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
				try {
					HookResponse response = guarded.postJson(HookEndpoint.TOOL_PRE, null, BODY, Duration.ofSeconds(3),
							null);
					return "answered HTTP " + response.status();
				}
				catch (RuntimeException ex) {
					return ex;
				}
			});
			assertThat(gate.reached.await(10, TimeUnit.SECONDS)).as("per-timeout transport being built").isTrue();
			guarded.close();
			gate.release.countDown();
			Object outcome = call.get(10, TimeUnit.SECONDS);
			assertThat(outcome).isInstanceOfSatisfying(HookCallException.class, (ex) -> {
				assertThat(ex.getMessage()).startsWith("Runlayer client closed");
				assertThat(GuardedTransport.isOutage(ex)).isTrue();
			});
			assertThat(server.received()).as("requests that reached Runlayer after close()").isZero();
		}
		// nothing of either transport is left running (no JDK HttpClient selector thread, no pool thread)
		ClientCloseTestsSupport.assertNoThreadOutlives(before);
	}

	/** A TLS context that holds the first JDK client built after {@link #arm()} until released. */
	private static final class Gate {

		final CountDownLatch reached = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		private volatile boolean armed;

		void arm() {
			this.armed = true;
		}

		SSLContext sslContext() throws NoSuchAlgorithmException, KeyManagementException {
			SSLContext real = SSLContext.getInstance("TLS");
			real.init(null, null, null);
			SSLContextSpi spi = new SSLContextSpi() {

				@Override
				protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
				}

				@Override
				protected SSLSocketFactory engineGetSocketFactory() {
					return real.getSocketFactory();
				}

				@Override
				protected SSLServerSocketFactory engineGetServerSocketFactory() {
					return real.getServerSocketFactory();
				}

				@Override
				protected SSLEngine engineCreateSSLEngine() {
					return real.createSSLEngine();
				}

				@Override
				protected SSLEngine engineCreateSSLEngine(String host, int port) {
					return real.createSSLEngine(host, port);
				}

				@Override
				protected SSLSessionContext engineGetServerSessionContext() {
					return real.getServerSessionContext();
				}

				@Override
				protected SSLSessionContext engineGetClientSessionContext() {
					return real.getClientSessionContext();
				}

				@Override
				protected SSLParameters engineGetDefaultSSLParameters() {
					if (Gate.this.armed) {
						Gate.this.armed = false;
						Gate.this.reached.countDown();
						try {
							Gate.this.release.await(10, TimeUnit.SECONDS);
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
						}
					}
					return real.getDefaultSSLParameters();
				}

				@Override
				protected SSLParameters engineGetSupportedSSLParameters() {
					return real.getSupportedSSLParameters();
				}

			};
			return new SSLContext(spi, real.getProvider(), "TLS") {
			};
		}

	}

}
