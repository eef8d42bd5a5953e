package com.runlayer.sdk.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Load with faults: {@value #DEFAULT_CALLS} enforced {@code runTool} calls in {@code mvn verify}, 10 000 with
 * {@code -Pbench} (system property {@code runlayer.load.calls}), from 100 threads against a local server that answers 10 % of the requests with 503
 * and 5 % later than the client's timeout (with an allow, so that waiting too long would show). The headline figure is
 * counted on the client side: every tool start is checked against the pre-tool decision the client actually received
 * on that call (its observer's {@code ALLOW}, reported on the calling thread before the tool may start), so a slow
 * allow that arrives after the client gave up counts as what it is, an outage, and a tool started after it would
 * count as a start without an allow. Also checks that no tool runs without an allow on the wire, that every call
 * finishes with an allow or a block, and that the SDK's threads and connections are back to the baseline after
 * {@code close()}; prints the figures.
 */
class LoadWithFaultsTests {

	static final int DEFAULT_CALLS = 2_000;

	private static final int THREADS = 100;

	private static final Duration TIMEOUT = Duration.ofMillis(2500);

	private static final long SLOW_MILLIS = 3000;

	private static final Pattern CALL_ID = Pattern.compile("\"call_id\":\"(\\d+)\"");

	@RegisterExtension
	static final LogCapture logs = LogCapture.exceptJdkHttpClientDebugTracing();

	private final Set<String> allowedOnWire = ConcurrentHashMap.newKeySet();

	private final AtomicInteger preRequests = new AtomicInteger();

	private final AtomicInteger postRequests = new AtomicInteger();

	private final AtomicInteger answered503 = new AtomicInteger();

	private final AtomicInteger answeredSlow = new AtomicInteger();

	@Test
	void noToolRunsWithoutAnAllowAndNothingLeaksUnderLoadWithFaults() throws Exception {
		int calls = Integer.getInteger("runlayer.load.calls", DEFAULT_CALLS);
		ExecutorService serverThreads = Executors.newFixedThreadPool(256);
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
		server.createContext("/api/v1/hooks/tool/pre", (exchange) -> answer(exchange, true));
		server.createContext("/api/v1/hooks/tool/post", (exchange) -> answer(exchange, false));
		server.setExecutor(serverThreads);
		server.start();
		int port = server.getAddress().getPort();
		try {
			MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
			System.gc();
			long heapBefore = memory.getHeapMemoryUsage().getUsed();
			int sdkThreadsBefore = sdkThreads();
			int connectionsBefore = establishedConnections(port);

			Set<String> executed = ConcurrentHashMap.newKeySet();
			AtomicInteger executions = new AtomicInteger();
			AtomicInteger startsWithoutReceivedAllow = new AtomicInteger();
			AtomicInteger receivedAllows = new AtomicInteger();
			ThreadLocal<Boolean> allowReceived = ThreadLocal.withInitial(() -> false);
			com.runlayer.sdk.observe.RunlayerObserver decisions = new com.runlayer.sdk.observe.RunlayerObserver() {

				@Override
				public EnforcementScope enforcementStarted(com.runlayer.sdk.EnforcementStage stage,
						com.runlayer.sdk.enforcement.ToolDescriptor tool) {
					if (stage != com.runlayer.sdk.EnforcementStage.PRE_TOOL) {
						return EnforcementScope.NOOP;
					}
					return (decision, error) -> {
						if (decision == com.runlayer.sdk.observe.EnforcementDecision.ALLOW
								|| decision == com.runlayer.sdk.observe.EnforcementDecision.REWRITE) {
							receivedAllows.incrementAndGet();
							allowReceived.set(true);
						}
					};
				}

			};
			AtomicInteger allowed = new AtomicInteger();
			AtomicInteger blockedOutage = new AtomicInteger();
			AtomicInteger other = new AtomicInteger();
			AtomicLong peakHeap = new AtomicLong();
			AtomicLong slowestMillis = new AtomicLong();
			AtomicInteger overBudget = new AtomicInteger();
			AtomicInteger overBudgetBy1s = new AtomicInteger();
			long started = System.nanoTime();
			java.util.concurrent.atomic.AtomicReference<RunlayerClient> holder = new java.util.concurrent.atomic.AtomicReference<>(
					RunlayerClient.builder()
				.baseUrl("http://127.0.0.1:" + port)
				.allowInsecureTransport(true)
				.apiKey(Secrets.API_KEY)
				.timeout(TIMEOUT)
				.observer(decisions)
				.build());
			ExecutorService callers = Executors.newFixedThreadPool(THREADS);
			int peakConnections;
			try {
				List<Future<?>> futures = new java.util.ArrayList<>(calls);
				for (int i = 0; i < calls; i++) {
					String id = Integer.toString(i);
					futures.add(callers.submit(() -> {
						long t0 = System.nanoTime();
						long[] toolStarted = { 0 };
						allowReceived.set(false);
						try {
							holder.get().runTool(ToolCall.builder()
								.sessionId("load")
								.toolName("Bash")
								.toolInput(Map.of("call_id", id))
								.build(), (input) -> {
									toolStarted[0] = System.nanoTime();
									if (!allowReceived.get()) {
										startsWithoutReceivedAllow.incrementAndGet();
									}
									executions.incrementAndGet();
									executed.add((String) input.get("call_id"));
									return "ok";
								});
							allowed.incrementAndGet();
						}
						catch (RunlayerBlockedException ex) {
							if (ex.outage()) {
								blockedOutage.incrementAndGet();
							}
							else {
								other.incrementAndGet();
							}
						}
						catch (RuntimeException ex) {
							other.incrementAndGet();
						}
						long end = System.nanoTime();
						long preEnd = (toolStarted[0] != 0) ? toolStarted[0] : end;
						record(Duration.ofNanos(preEnd - t0).toMillis(), slowestMillis, overBudget, overBudgetBy1s);
						if (toolStarted[0] != 0) {
							record(Duration.ofNanos(end - toolStarted[0]).toMillis(), slowestMillis, overBudget,
									overBudgetBy1s);
						}
						peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
					}));
				}
				peakConnections = 0;
				for (int i = 0; i < futures.size(); i++) {
					futures.get(i).get(3, TimeUnit.MINUTES);
					if ((i & 1023) == 0) {
						peakConnections = Math.max(peakConnections, establishedConnections(port));
					}
				}
			}
			finally {
				callers.shutdown();
				holder.get().close();
			}
			long elapsed = Duration.ofNanos(System.nanoTime() - started).toMillis();
			// the client becomes unreachable, as in an application that closed it
			holder.set(null);
			int sdkThreadsAfter = Integer.MAX_VALUE;
			int connectionsAfter = Integer.MAX_VALUE;
			long settleStarted = System.nanoTime();
			for (int i = 0; i < 100; i++) {
				System.gc();
				sdkThreadsAfter = sdkThreads();
				connectionsAfter = establishedConnections(port);
				if (sdkThreadsAfter <= sdkThreadsBefore && connectionsAfter <= connectionsBefore) {
					break;
				}
				Thread.sleep(200);
			}
			long settleMillis = Duration.ofNanos(System.nanoTime() - settleStarted).toMillis();
			System.gc();
			long heapAfter = memory.getHeapMemoryUsage().getUsed();
			Set<String> withoutAllow = ConcurrentHashMap.newKeySet();
			withoutAllow.addAll(executed);
			withoutAllow.removeAll(this.allowedOnWire);

			System.out.printf("load with faults: %d calls from %d threads in %d ms; tool/pre requests %d, tool/post"
					+ " requests %d; answered 503: %d, slower than the %d ms timeout: %d; allows on the wire %d,"
					+ " allows received by the client %d (sent after it gave up: %d), tool executions %d, tool starts"
					+ " without a received allow %d, executions without an allow on the wire %d; calls allowed %d, blocked (outage) %d,"
					+ " other outcomes %d; slowest Runlayer call (tool/pre or tool/post) %d ms, calls over the budget by more than 250 ms: %d, by more than 1 s: %d; SDK threads %d -> %d, server connections %d -> peak %d"
					+ " -> %d (settled in %d ms); heap used %d MB -> peak %d MB -> %d MB after GC%n",
					calls, THREADS, elapsed, this.preRequests.get(), this.postRequests.get(), this.answered503.get(),
					TIMEOUT.toMillis(), this.answeredSlow.get(), this.allowedOnWire.size(), receivedAllows.get(),
					this.allowedOnWire.size() - receivedAllows.get(), executions.get(),
					startsWithoutReceivedAllow.get(), withoutAllow.size(), allowed.get(), blockedOutage.get(), other.get(), slowestMillis.get(),
					overBudget.get(), overBudgetBy1s.get(),
					sdkThreadsBefore, sdkThreadsAfter, connectionsBefore, peakConnections, connectionsAfter,
					settleMillis, heapBefore >> 20, peakHeap.get() >> 20, heapAfter >> 20);

			assertThat(startsWithoutReceivedAllow.get()).as("tool starts not preceded by an allow the client received")
				.isZero();
			assertThat(executions.get()).as("every received allow ran its tool once").isEqualTo(receivedAllows.get());
			assertThat(withoutAllow).as("tool executions without an allow on the wire").isEmpty();
			assertThat(executions.get()).isEqualTo(executed.size()).isLessThanOrEqualTo(this.allowedOnWire.size());
			assertThat(allowed.get() + blockedOutage.get() + other.get()).as("finished calls").isEqualTo(calls);
			assertThat(other.get()).as("outcomes other than an allow or an outage block").isZero();
			assertThat(this.answered503.get()).as("the server injected 503s").isPositive();
			assertThat(this.answeredSlow.get()).as("the server injected slow answers").isPositive();
			assertThat(blockedOutage.get()).as("faults turned into blocks").isPositive();
			// a generous bound: 100 caller threads and the server share two (often loaded) cores, so scheduling
			// delays add to the budget; the fault matrix holds every single call to budget + 2 s
			assertThat(slowestMillis.get()).as("slowest Runlayer call (budget %d ms + 2 s)", TIMEOUT.toMillis())
				.isLessThanOrEqualTo(TIMEOUT.toMillis() + 2000);
			assertThat(sdkThreadsAfter).as("runlayer-http threads after close").isLessThanOrEqualTo(sdkThreadsBefore);
			if (connectionsBefore >= 0) {
				assertThat(connectionsAfter).as("open connections after close").isLessThanOrEqualTo(connectionsBefore);
			}
			assertThat(heapAfter - heapBefore).as("heap retained after the run").isLessThan(64L << 20);
		}
		finally {
			server.stop(0);
			serverThreads.shutdownNow();
		}
	}

	private static void record(long millis, AtomicLong slowest, AtomicInteger overBudget, AtomicInteger overBudgetBy1s) {
		slowest.accumulateAndGet(millis, Math::max);
		if (millis > TIMEOUT.toMillis() + 250) {
			overBudget.incrementAndGet();
		}
		if (millis > TIMEOUT.toMillis() + 1000) {
			overBudgetBy1s.incrementAndGet();
		}
	}

	private void answer(HttpExchange exchange, boolean pre) throws IOException {
		try (exchange) {
			byte[] request;
			try (InputStream in = exchange.getRequestBody()) {
				request = in.readAllBytes();
			}
			(pre ? this.preRequests : this.postRequests).incrementAndGet();
			double roll = ThreadLocalRandom.current().nextDouble();
			if (roll < 0.10) {
				this.answered503.incrementAndGet();
				send(exchange, 503, "{\"detail\":\"unavailable\"}");
				return;
			}
			if (roll < 0.15) {
				this.answeredSlow.incrementAndGet();
				try {
					Thread.sleep(SLOW_MILLIS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			if (pre) {
				Matcher id = CALL_ID.matcher(new String(request, StandardCharsets.UTF_8));
				if (id.find()) {
					// recorded before the answer leaves: an execution can only follow an allow that was sent
					this.allowedOnWire.add(id.group(1));
				}
				send(exchange, 200, "{\"permission\":\"allow\"}");
			}
			else {
				send(exchange, 200, "{\"blocked\":false}");
			}
		}
		catch (IOException ex) {
			// the client gave up (timeout): expected for the slow answers
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

	static int sdkThreads() {
		int count = 0;
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			String name = thread.getName();
			if (thread.isAlive() && (name.startsWith("runlayer-http-") || name.startsWith("HttpClient-"))) {
				count++;
			}
		}
		return count;
	}

	/**
	 * ESTABLISHED TCP connections whose local port is the server's port: the server's view of open connections.
	 * @return the count, or -1 when {@code /proc/net/tcp} is not available
	 */
	static int establishedConnections(int port) {
		String hexPort = String.format(":%04X", port);
		int count = 0;
		boolean readable = false;
		for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			Path path = Path.of(file);
			if (!Files.isReadable(path)) {
				continue;
			}
			readable = true;
			try {
				for (String line : Files.readAllLines(path)) {
					String[] columns = line.trim().split("\\s+");
					if (columns.length > 3 && columns[1].endsWith(hexPort) && columns[3].equals("01")) {
						count++;
					}
				}
			}
			catch (IOException ex) {
				return -1;
			}
		}
		return readable ? count : -1;
	}

}
