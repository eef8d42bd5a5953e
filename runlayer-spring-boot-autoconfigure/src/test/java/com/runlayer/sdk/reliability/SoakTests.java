package com.runlayer.sdk.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.observe.RunlayerObserver;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Soak: enforced {@code runTool} calls at a steady rate against a local server that answers 15 % of requests badly
 * (5 % HTTP 503, 5 % after the client's timeout, 5 % malformed JSON), with the client closed and a new one built at
 * regular intervals (the old one is closed once its in-flight calls had their budget). Reports SDK threads, all live
 * threads, heap used and the server's open connections at the start, the peak and the end.
 *
 * <p>{@code mvn verify} runs a 5 s smoke; the {@code bench} profile runs 20 minutes. Override with
 * {@code -Drunlayer.soak.duration=PT2M} (ISO-8601), {@code -Drunlayer.soak.rate=50} (calls per second) and
 * {@code -Drunlayer.soak.reopen-every=PT30S}.
 */
class SoakTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	@Test
	void steadyLoadWithFaultsAndCloseReopenCyclesLeavesNothingBehind() throws Exception {
		Duration duration = Duration.parse(System.getProperty("runlayer.soak.duration", "PT5S"));
		int rate = Integer.getInteger("runlayer.soak.rate", 50);
		Duration reopenEvery = Duration.parse(System.getProperty("runlayer.soak.reopen-every",
				duration.dividedBy(4).compareTo(Duration.ofSeconds(1)) < 0 ? "PT1S" : duration.dividedBy(4).toString()));
		AtomicInteger faults = new AtomicInteger();
		AtomicInteger requests = new AtomicInteger();
		ExecutorService serverThreads = Executors.newFixedThreadPool(64);
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
		server.createContext("/api/v1/hooks/tool/pre", (exchange) -> answer(exchange, true, requests, faults));
		server.createContext("/api/v1/hooks/tool/post", (exchange) -> answer(exchange, false, requests, faults));
		server.setExecutor(serverThreads);
		server.start();
		int port = server.getAddress().getPort();
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2);
		ExecutorService callers = Executors.newFixedThreadPool(32);
		try {
			System.gc();
			long[] start = { LoadWithFaultsTests.sdkThreads(), threads.getThreadCount(),
					memory.getHeapMemoryUsage().getUsed(), LoadWithFaultsTests.establishedConnections(port) };
			long[] peak = start.clone();
			AtomicInteger calls = new AtomicInteger();
			AtomicInteger allowed = new AtomicInteger();
			AtomicInteger blocked = new AtomicInteger();
			AtomicInteger other = new AtomicInteger();
			AtomicInteger startsWithoutAllow = new AtomicInteger();
			AtomicInteger reopens = new AtomicInteger();
			ThreadLocal<Boolean> allowReceived = ThreadLocal.withInitial(() -> false);
			RunlayerObserver decisions = new RunlayerObserver() {

				@Override
				public EnforcementScope enforcementStarted(EnforcementStage stage,
						com.runlayer.sdk.enforcement.ToolDescriptor tool) {
					return (stage != EnforcementStage.PRE_TOOL) ? EnforcementScope.NOOP : (decision, error) -> {
						if (decision == EnforcementDecision.ALLOW) {
							allowReceived.set(true);
						}
					};
				}

			};
			AtomicReference<RunlayerClient> holder = new AtomicReference<>(client(port, decisions));
			ticker.scheduleAtFixedRate(() -> {
				long[] now = { LoadWithFaultsTests.sdkThreads(), threads.getThreadCount(),
						memory.getHeapMemoryUsage().getUsed(), LoadWithFaultsTests.establishedConnections(port) };
				synchronized (peak) {
					for (int i = 0; i < now.length; i++) {
						peak[i] = Math.max(peak[i], now[i]);
					}
				}
			}, 0, 200, TimeUnit.MILLISECONDS);
			long end = System.nanoTime() + duration.toNanos();
			long nextReopen = System.nanoTime() + reopenEvery.toNanos();
			long period = TimeUnit.SECONDS.toNanos(1) / rate;
			long next = System.nanoTime();
			while (System.nanoTime() < end) {
				if (System.nanoTime() >= nextReopen) {
					RunlayerClient old = holder.getAndSet(client(port, decisions));
					// closed once the calls in flight had their budget (pre + post)
					ticker.schedule(old::close, TIMEOUT.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
					reopens.incrementAndGet();
					nextReopen += reopenEvery.toNanos();
				}
				int id = calls.incrementAndGet();
				callers.execute(() -> {
					allowReceived.set(false);
					try {
						holder.get().runTool(ToolCall.builder()
							.sessionId("soak-" + (id % 50))
							.toolName("Bash")
							.toolInput(Map.of("call", id))
							.build(), (input) -> {
								if (!allowReceived.get()) {
									startsWithoutAllow.incrementAndGet();
								}
								return "ok";
							});
						allowed.incrementAndGet();
					}
					catch (RunlayerBlockedException ex) {
						(ex.outage() ? blocked : other).incrementAndGet();
					}
					catch (RuntimeException ex) {
						other.incrementAndGet();
					}
				});
				next += period;
				long sleep = next - System.nanoTime();
				if (sleep > 0) {
					TimeUnit.NANOSECONDS.sleep(sleep);
				}
			}
			callers.shutdown();
			assertThat(callers.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
			holder.get().close();
			// the closed client becomes unreachable, as in an application that closed it
			holder.set(null);
			ticker.shutdown();
			assertThat(ticker.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
			long[] after = new long[4];
			for (int i = 0; i < 50; i++) {
				System.gc();
				after = new long[] { LoadWithFaultsTests.sdkThreads(), threads.getThreadCount(),
						memory.getHeapMemoryUsage().getUsed(), LoadWithFaultsTests.establishedConnections(port) };
				if (after[0] <= start[0] && after[3] <= start[3]) {
					break;
				}
				Thread.sleep(200);
			}
			System.out.printf("soak: %d s at %d calls/s, %d calls (%d allowed, %d blocked as outages, %d other),"
					+ " %d requests (%d answered badly), %d close-and-reopen cycles, tool starts without a received"
					+ " allow %d; SDK threads %d -> peak %d -> %d; live threads %d -> peak %d -> %d; heap used %d MB"
					+ " -> peak %d MB -> %d MB; server connections %d -> peak %d -> %d%n", duration.toSeconds(), rate,
					calls.get(), allowed.get(), blocked.get(), other.get(), requests.get(), faults.get(), reopens.get(),
					startsWithoutAllow.get(), start[0], peak[0], after[0], start[1], peak[1], after[1], start[2] >> 20,
					peak[2] >> 20, after[2] >> 20, start[3], peak[3], after[3]);
			assertThat(allowed.get() + blocked.get() + other.get()).as("finished calls").isEqualTo(calls.get());
			assertThat(other.get()).as("outcomes other than an allow or an outage block").isZero();
			assertThat(startsWithoutAllow.get()).as("tool starts without a received allow").isZero();
			assertThat(faults.get()).as("faults injected").isPositive();
			assertThat(reopens.get()).as("close-and-reopen cycles").isPositive();
			assertThat(after[0]).as("SDK threads after the last close").isLessThanOrEqualTo(start[0]);
			if (start[3] >= 0) {
				assertThat(after[3]).as("server connections after the last close").isLessThanOrEqualTo(start[3]);
			}
		}
		finally {
			ticker.shutdownNow();
			callers.shutdownNow();
			server.stop(0);
			serverThreads.shutdownNow();
		}
	}

	private static RunlayerClient client(int port, RunlayerObserver observer) {
		return RunlayerClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.allowInsecureTransport(true)
			.apiKey(Secrets.API_KEY)
			.timeout(TIMEOUT)
			.maxRetries(0)
			.observer(observer)
			.build();
	}

	private static void answer(HttpExchange exchange, boolean pre, AtomicInteger requests, AtomicInteger faults) {
		try (exchange) {
			try (InputStream in = exchange.getRequestBody()) {
				in.readAllBytes();
			}
			requests.incrementAndGet();
			double roll = ThreadLocalRandom.current().nextDouble();
			String ok = pre ? "{\"permission\":\"allow\"}" : "{\"blocked\":false}";
			if (roll < 0.05) {
				faults.incrementAndGet();
				send(exchange, 503, "{\"detail\":\"unavailable\"}");
			}
			else if (roll < 0.10) {
				faults.incrementAndGet();
				Thread.sleep(TIMEOUT.toMillis() + 500);
				send(exchange, 200, ok);
			}
			else if (roll < 0.15) {
				faults.incrementAndGet();
				send(exchange, 200, "{\"permission\":");
			}
			else {
				send(exchange, 200, ok);
			}
		}
		catch (IOException ex) {
			// the client gave up (timeout): expected for the slow answers
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void send(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

}
