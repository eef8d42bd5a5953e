package com.runlayer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.ToolExecution;
import com.runlayer.sdk.hooks.OutputTruncator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmark 3: tools returning a 50 MB {@code String} and a {@code List} of records whose JSON form is 50 MB. Run
 * with the GC profiler: {@code gc.alloc.rate.norm} of {@code sdk*} minus that of {@code tool*} is what the SDK
 * allocates per call (both POSTs included); {@code truncate*} isolates the truncator. The outputs are built once,
 * so the tool's own allocation is about zero.
 */
@State(Scope.Benchmark)
public class LargeOutputBenchmark {

	/** Output size of the tools. */
	public static final int OUTPUT_BYTES = 50 * 1024 * 1024;

	/** A row of a large tabular tool output. */
	public record Row(long id, String name, String email, int visits, boolean active, String country) {
	}

	private static final ToolCall CALL = ToolCall.builder()
		.sessionId("bench-session")
		.toolName("query")
		.toolType("function")
		.toolInput(Map.of("sql", "select * from customers"))
		.build();

	private RunlayerClient client;

	private OutputTruncator truncator;

	private String text;

	private List<Row> rows;

	private ToolExecution textTool;

	private ToolExecution rowsTool;

	@Setup
	public void setUp() throws Exception {
		this.client = RunlayerClient.builder()
			.baseUrl(BenchServer.sharedUrl())
			.allowInsecureTransport(true)
			.apiKey("rl_bench_key")
			.build();
		this.truncator = new OutputTruncator(JsonMapper.builder().build());
		String line = "2026-11-25T15:30:00.000Z INFO  [worker-7] c.e.OrderService - order 4711 shipped to customer 42\n";
		this.text = line.repeat(OUTPUT_BYTES / line.length() + 1).substring(0, OUTPUT_BYTES);
		JsonMapper mapper = JsonMapper.builder().build();
		Row sample = row(1_000_000);
		int rowBytes = mapper.writeValueAsBytes(sample).length + 1;
		int count = OUTPUT_BYTES / rowBytes;
		List<Row> list = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			list.add(row(1_000_000 + i));
		}
		this.rows = List.copyOf(list);
		this.textTool = (in) -> this.text;
		this.rowsTool = (in) -> this.rows;
	}

	private static Row row(long id) {
		return new Row(id, "Customer " + id, "customer" + id + "@example.com", (int) (id % 1000), (id & 1) == 0, "DE");
	}

	@TearDown
	public void tearDown() {
		this.client.close();
	}

	@Benchmark
	public Object toolString() throws Exception {
		return this.textTool.execute(CALL.toolInput());
	}

	@Benchmark
	public Object sdkString() {
		return this.client.runTool(CALL, this.textTool);
	}

	@Benchmark
	public Object truncateString() {
		return this.truncator.bound(this.text, RunlayerClient.DEFAULT_MAX_TOOL_OUTPUT_BYTES, "tool_response");
	}

	@Benchmark
	public Object toolRecords() throws Exception {
		return this.rowsTool.execute(CALL.toolInput());
	}

	@Benchmark
	public Object sdkRecords() {
		return this.client.runTool(CALL, this.rowsTool);
	}

	@Benchmark
	public Object truncateRecords() {
		return this.truncator.bound(this.rows, RunlayerClient.DEFAULT_MAX_TOOL_OUTPUT_BYTES, "tool_response");
	}

}
