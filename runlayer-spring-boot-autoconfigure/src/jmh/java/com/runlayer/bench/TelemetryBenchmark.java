package com.runlayer.bench;

import java.time.Duration;
import java.util.Map;

import com.runlayer.sdk.RunlayerClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Benchmark 4: a best-effort {@code emitEvent} while Runlayer takes 2 s per answer. Each iteration gets a fresh
 * client (closed afterwards without waiting), so with {@code capacity=1000000} every sampled call is accepted into
 * the queue, and with {@code capacity=1} every call but the first is dropped (the steady state of a long outage).
 */
@State(Scope.Thread)
public class TelemetryBenchmark {

	@Param({ "1000000", "1" })
	public int capacity;

	private final Map<String, Object> payload = Map.of("prompt", "summarise the open orders");

	private final String[] sessions = new String[16];

	private RunlayerClient client;

	private int next;

	@Setup(Level.Iteration)
	public void setUp() throws Exception {
		for (int i = 0; i < this.sessions.length; i++) {
			this.sessions[i] = "bench-session-" + i;
		}
		this.client = RunlayerClient.builder()
			.baseUrl(BenchServer.sharedUrl() + "/slow")
			.allowInsecureTransport(true)
			.apiKey("rl_bench_key")
			.eventQueueCapacity(this.capacity)
			.eventShutdownTimeout(Duration.ZERO)
			.build();
	}

	@TearDown(Level.Iteration)
	public void tearDown() {
		this.client.close();
	}

	@Benchmark
	public void emitEvent() {
		this.client.emitEvent("UserPromptSubmit", this.sessions[this.next++ & 15], this.payload);
	}

}
