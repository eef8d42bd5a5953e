package com.runlayer.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server that answers the Runlayer endpoints instantly with fixed bodies, and under {@code /slow} after
 * two seconds (answered from a scheduler, so slow requests hold no server thread).
 *
 * <p>{@link RunlayerBenchmarks} starts one in the launcher JVM and hands its URL to every forked benchmark JVM in
 * the system property {@value #URL_PROPERTY}: all benchmarks of a run share it, and its allocations never count in a
 * fork's GC profile. A benchmark run without that property (e.g. from an IDE) starts its own.
 */
final class BenchServer implements AutoCloseable {

	static final String URL_PROPERTY = "runlayer.bench.url";

	static final byte[] PRE_ALLOW = "{\"permission\":\"allow\"}".getBytes(StandardCharsets.UTF_8);

	static final byte[] POST_PASS = "{\"blocked\":false}".getBytes(StandardCharsets.UTF_8);

	static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

	private static BenchServer local;

	static {
		// Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK: every
		// exchange then takes about 40 ms (Nagle), which would hide everything the benchmarks measure.
		System.setProperty("sun.net.httpserver.nodelay", "true");
		// 64 benchmark threads keep up to 128 connections open; never close them for being idle during a run
		System.setProperty("sun.net.httpserver.maxIdleConnections", "1000");
		System.setProperty("sun.net.httpserver.idleInterval", "600");
	}

	private final HttpServer server;

	private final ExecutorService executor;

	private final ScheduledExecutorService slow;

	BenchServer(int threads) throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
		this.executor = Executors.newFixedThreadPool(threads, (r) -> {
			Thread t = new Thread(r, "bench-server");
			t.setDaemon(true);
			return t;
		});
		this.slow = Executors.newSingleThreadScheduledExecutor((r) -> {
			Thread t = new Thread(r, "bench-server-slow");
			t.setDaemon(true);
			return t;
		});
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** The shared server's URL, or a server of this JVM when none was handed over. */
	static synchronized String sharedUrl() throws IOException {
		String url = System.getProperty(URL_PROPERTY);
		if (url != null && !url.isBlank()) {
			return url;
		}
		if (local == null) {
			local = new BenchServer(8);
		}
		return local.url();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (InputStream in = exchange.getRequestBody()) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		String path = exchange.getRequestURI().getPath();
		byte[] body;
		if (path.endsWith("/tool/pre")) {
			body = PRE_ALLOW;
		}
		else if (path.endsWith("/tool/post")) {
			body = POST_PASS;
		}
		else {
			body = EMPTY;
		}
		if (path.startsWith("/slow/")) {
			this.slow.schedule(() -> respond(exchange, body), 2, TimeUnit.SECONDS);
		}
		else {
			respond(exchange, body);
		}
	}

	private static void respond(HttpExchange exchange, byte[] body) {
		try {
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
		catch (IOException ex) {
			// the client went away (e.g. an interrupted telemetry request): nothing to answer
			exchange.close();
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
		this.slow.shutdownNow();
	}

}
