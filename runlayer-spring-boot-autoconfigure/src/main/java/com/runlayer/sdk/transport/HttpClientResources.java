package com.runlayer.sdk.transport;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK {@link HttpClient} of one transport and the threads it uses. Over plain HTTP the client's executor runs
 * tasks where they are submitted (its selector thread), which saves a thread hand-off per response; over TLS the
 * record and handshake work goes to a small fixed pool of daemon threads so that it does not queue up on the selector
 * thread. {@link #close()} releases both for good.
 */
final class HttpClientResources {

	private static final Logger logger = LoggerFactory.getLogger(HookTransport.class);

	private final ThreadPoolExecutor tlsPool;

	private volatile HttpClient httpClient;

	HttpClientResources(TransportSettings settings) {
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
	}

	/**
	 * The client.
	 * @return the client, or null once closed
	 */
	HttpClient client() {
		return this.httpClient;
	}

	/**
	 * Drops the client (on Java 21 and later also shuts it down, so that its connections and selector thread go at
	 * once; Java 17's client has no shutdown and is released when garbage collected) and stops the TLS pool.
	 */
	void close() {
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
