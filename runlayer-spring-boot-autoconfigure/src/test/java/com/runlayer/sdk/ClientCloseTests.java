package com.runlayer.sdk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.runlayer.sdk.transport.DelayedHookServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client's lifecycle on {@code close()}, on the build's JDK (17 by default): calls in flight end as outages
 * within their own budget, new calls fail at once, and no thread of the client outlives it.
 */
class ClientCloseTests {

	private static final int IN_FLIGHT = 300;

	// The server holds every answer back for 8 s; the calls have a 10 s budget; close() comes once all of them are
	// in flight (on a loaded machine starting 300 calls can take seconds). A call that is not ended by close() would
	// get its allow after 8 s and run the tool.
	private static final Duration ANSWER_DELAY = Duration.ofSeconds(8);

	private static final Duration BUDGET = Duration.ofSeconds(10);

	// headroom for a loaded 2-core CI machine, on top of each call's own budget
	private static final Duration HEADROOM = Duration.ofSeconds(2);

	@ParameterizedTest
	@EnumSource(EnforcementFailureMode.class)
	void callsInFlightEndAsOutagesWithinTheirBudgetWhenTheClientCloses(EnforcementFailureMode mode) throws Exception {
		Set<Thread> before = Thread.getAllStackTraces().keySet();
		AtomicInteger toolRuns = new AtomicInteger();
		List<Outcome> outcomes;
		int otherRequests;
		try (DelayedHookServer server = new DelayedHookServer(ANSWER_DELAY)) {
			RunlayerClient client = client(server.baseUrl(), mode);
			ExecutorService callers = Executors.newFixedThreadPool(IN_FLIGHT);
			try {
				List<Future<Outcome>> calls = new ArrayList<>();
				for (int i = 0; i < IN_FLIGHT; i++) {
					calls.add(callers.submit(() -> call(client, toolRuns)));
				}
				long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
				while (server.received() < IN_FLIGHT && System.nanoTime() < waitUntil) {
					Thread.sleep(20);
				}
				assertThat(server.received()).as("pre-tool requests in flight before close()").isEqualTo(IN_FLIGHT);
				client.close();
				outcomes = new ArrayList<>();
				long deadline = System.nanoTime() + BUDGET.plus(HEADROOM).toNanos();
				for (Future<Outcome> call : calls) {
					try {
						outcomes.add(call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
					}
					catch (TimeoutException ex) {
						outcomes.add(new Outcome("still blocked after its budget", Duration.ZERO));
					}
				}
			}
			finally {
				callers.shutdownNow();
			}
			otherRequests = server.received() - server.receivedPreTool();
		}
		// no enforcement call starts once close() has begun: in open mode the tools ran, but their tool/post was not
		// sent to a Runlayer that is being closed (the output is returned unscanned, as for any open-mode outage)
		assertThat(otherRequests).as("requests other than the aborted tool/pre").isZero();
		Map<String, Long> byKind = outcomes.stream().collect(Collectors.groupingBy(Outcome::kind, Collectors.counting()));
		if (mode == EnforcementFailureMode.CLOSED) {
			assertThat(byKind).containsExactly(Map.entry("blocked as an outage", (long) IN_FLIGHT));
			assertThat(toolRuns).as("tools run without an allow").hasValue(0);
		}
		else {
			// open mode: an outage lets the tool run, and the output is returned unscanned
			assertThat(byKind).containsExactly(Map.entry("returned", (long) IN_FLIGHT));
		}
		assertThat(outcomes).allSatisfy((o) -> assertThat(o.took()).isLessThan(BUDGET.plus(HEADROOM)));
		ClientCloseTestsSupport.assertNoThreadOutlives(before);
	}

	@ParameterizedTest
	@EnumSource(EnforcementFailureMode.class)
	void aCallAfterCloseFailsAtOnceWithAClearError(EnforcementFailureMode mode) throws Exception {
		try (DelayedHookServer server = new DelayedHookServer(Duration.ZERO)) {
			RunlayerClient client = client(server.baseUrl(), mode);
			client.close();
			AtomicInteger toolRuns = new AtomicInteger();
			ExecutorService caller = Executors.newSingleThreadExecutor();
			try {
				Future<Outcome> call = caller.submit(() -> {
					long started = System.nanoTime();
					try {
						client.runTool(bash(), (input) -> toolRuns.incrementAndGet());
						return new Outcome("returned", Duration.ofNanos(System.nanoTime() - started));
					}
					catch (RunlayerException ex) {
						return new Outcome(ex.getClass().getSimpleName() + ": " + ex.getMessage(),
								Duration.ofNanos(System.nanoTime() - started));
					}
				});
				Outcome outcome = call.get(BUDGET.plus(HEADROOM).toMillis(), TimeUnit.MILLISECONDS);
				assertThat(outcome.kind()).isEqualTo("RunlayerException: Runlayer client closed");
				assertThat(outcome.took()).isLessThan(Duration.ofSeconds(1));
			}
			finally {
				caller.shutdownNow();
			}
			assertThat(toolRuns).hasValue(0);
			assertThat(server.received()).isZero();
			assertThatExceptionOfType(RunlayerException.class)
				.isThrownBy(() -> client.beginTool(bash()))
				.withMessage("Runlayer client closed");
			assertThatExceptionOfType(RunlayerException.class)
				.isThrownBy(() -> client.enforceMcpSource(
						McpSourceCheck.ofUrl("g1", "s1", "search", "https://mcp.example.com/mcp")))
				.withMessage("Runlayer client closed");
		}
	}

	@Test
	void noThreadOfTheClientOutlivesClose() throws Exception {
		Set<Thread> before = Thread.getAllStackTraces().keySet();
		try (DelayedHookServer server = new DelayedHookServer(Duration.ZERO)) {
			RunlayerClient client = client(server.baseUrl(), EnforcementFailureMode.CLOSED);
			client.runTool(bash(), (input) -> "ok");
			client.emitStop("s1");
			client.close();
		}
		ClientCloseTestsSupport.assertNoThreadOutlives(before);
	}

	private static Outcome call(RunlayerClient client, AtomicInteger toolRuns) {
		long started = System.nanoTime();
		try {
			client.runTool(bash(), (input) -> {
				toolRuns.incrementAndGet();
				return "ran";
			});
			return new Outcome("returned", Duration.ofNanos(System.nanoTime() - started));
		}
		catch (RunlayerBlockedException ex) {
			return new Outcome(ex.outage() ? "blocked as an outage" : "denied", Duration.ofNanos(System.nanoTime() - started));
		}
		catch (RuntimeException ex) {
			return new Outcome(ex.getClass().getSimpleName(), Duration.ofNanos(System.nanoTime() - started));
		}
	}

	private static RunlayerClient client(String baseUrl, EnforcementFailureMode mode) {
		return RunlayerClient.builder()
			.baseUrl(baseUrl)
			.allowInsecureTransport(true)
			.apiKey("rl_close_test_key")
			.timeout(BUDGET)
			.maxRetries(0)
			.enforcementFailureMode(mode)
			.build();
	}

	private static ToolCall bash() {
		return ToolCall.builder().sessionId("s1").toolName("Bash").toolType("shell").toolInput(Map.of("command", "ls"))
			.build();
	}

	record Outcome(String kind, Duration took) {
	}

}
