package com.runlayer.bench;

import java.util.List;
import java.util.Map;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.ToolExecution;
import com.runlayer.sdk.enforcement.ToolEnforcementOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Benchmark 2: the pass-through cost of a tool call that the filters skip, against calling the tool directly. The
 * {@code @RunlayerTool} interceptor (com.runlayer.spring.aop) is not in this branch, so this measures the core skip
 * path it delegates to: {@code runTool} on a filtered tool, with and without building the {@link ToolCall} per call
 * (an adapter builds one per call).
 */
@State(Scope.Benchmark)
public class PassThroughBenchmark {

	private final Map<String, Object> input = Map.of("path", "/tmp/a.txt");

	private final ToolExecution tool = (in) -> in.get("path");

	private RunlayerClient client;

	private ToolCall skippedCall;

	@Setup
	public void setUp() throws Exception {
		this.client = RunlayerClient.builder()
			.baseUrl(BenchServer.sharedUrl())
			.allowInsecureTransport(true)
			.apiKey("rl_bench_key")
			.toolEnforcement(ToolEnforcementOptions.builder().ignoredToolNames(List.of("Read")).build())
			.build();
		this.skippedCall = ToolCall.builder().sessionId("s").toolName("Read").toolType("function").toolInput(this.input)
			.build();
	}

	@TearDown
	public void tearDown() {
		this.client.close();
	}

	@Benchmark
	public Object plainCall() throws Exception {
		return this.tool.execute(this.input);
	}

	@Benchmark
	public Object runToolSkipped() {
		return this.client.runTool(this.skippedCall, this.tool);
	}

	@Benchmark
	public Object buildCallAndRunToolSkipped() {
		ToolCall call = ToolCall.builder().sessionId("s").toolName("Read").toolType("function").toolInput(this.input)
			.build();
		return this.client.runTool(call, this.tool);
	}

}
