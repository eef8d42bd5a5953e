package com.runlayer.sdk.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real local Runlayer stand-in (JDK {@code HttpServer} on a random port) that allows every tool, answering each
 * request after a fixed delay from a scheduler, so that hundreds of calls can be held in flight without a server
 * thread each.
 */
public final class DelayedHookServer implements AutoCloseable {

	private static final byte[] ALLOW = "{\"permission\":\"allow\"}".getBytes(StandardCharsets.UTF_8);

	private static final byte[] PASS = "{\"blocked\":false}".getBytes(StandardCharsets.UTF_8);

	private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

	private final HttpServer server;

	private final ExecutorService handlers;

	private final ScheduledExecutorService scheduler;

	private final AtomicInteger received = new AtomicInteger();

	private final AtomicInteger receivedPre = new AtomicInteger();

	/**
	 * Starts the server.
	 * @param delay how long each answer is held back
	 * @throws IOException when the server cannot bind
	 */
	public DelayedHookServer(Duration delay) throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2048);
		this.handlers = Executors.newFixedThreadPool(4, (r) -> {
			Thread thread = new Thread(r, "test-delayed-server");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler = Executors.newScheduledThreadPool(2, (r) -> {
			Thread thread = new Thread(r, "test-delayed-server-answers");
			thread.setDaemon(true);
			return thread;
		});
		this.server.setExecutor(this.handlers);
		this.server.createContext("/", (exchange) -> {
			try (InputStream in = exchange.getRequestBody()) {
				in.transferTo(OutputStream.nullOutputStream());
			}
			this.received.incrementAndGet();
			String path = exchange.getRequestURI().getPath();
			if (path.endsWith("/tool/pre")) {
				this.receivedPre.incrementAndGet();
			}
			byte[] body = path.endsWith("/tool/pre") ? ALLOW : path.endsWith("/tool/post") ? PASS : EMPTY;
			this.scheduler.schedule(() -> answer(exchange, body), delay.toMillis(), TimeUnit.MILLISECONDS);
		});
		this.server.start();
	}

	/**
	 * The base URL.
	 * @return e.g. {@code http://127.0.0.1:41234}
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * Requests received so far.
	 * @return the count
	 */
	public int received() {
		return this.received.get();
	}

	/**
	 * Pre-tool requests received so far.
	 * @return the count
	 */
	public int receivedPreTool() {
		return this.receivedPre.get();
	}

	private static void answer(HttpExchange exchange, byte[] body) {
		try {
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
		catch (IOException ex) {
			exchange.close();
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.scheduler.shutdownNow();
		this.handlers.shutdownNow();
	}

}
