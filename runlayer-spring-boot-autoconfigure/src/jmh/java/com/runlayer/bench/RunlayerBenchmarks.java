package com.runlayer.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the Runlayer benchmarks against one local Netty server started here and shared (by URL) with every forked
 * benchmark JVM, then prints a summary (scores with error bars, median, p99, the ratios of the goals) and writes it to
 * {@code target/jmh-summary.md}, followed by the one-line summaries of every run so far.
 *
 * <p>Arguments: the groups to run ({@code enforced}, {@code passthrough}, {@code large}, {@code telemetry}); all when
 * none are given. {@code quick} shortens every run to guide work; {@code -f N} sets the forks per benchmark (default 1; the published figures use 3). Run it with
 * {@code mvn -B -Pjmh -pl runlayer-spring-boot-autoconfigure verify [-Dbench.args="enforced -f 3"]}.
 */
public final class RunlayerBenchmarks {

	private static final List<String> ALL = List.of("enforced", "passthrough", "large", "telemetry");

	private static int forks = 1;

	/** {@code quick}: 2 warm-up and 3 measurement iterations of 1 s, to guide work, not to publish. */
	private static boolean quick;

	private static final String RUNS_HEADING = "## One line per run";

	private RunlayerBenchmarks() {
	}

	public static void main(String[] args) throws Exception {
		List<String> groups = new ArrayList<>();
		for (int i = 0; i < args.length; i++) {
			if (args[i].equals("quick")) {
				quick = true;
			}
			else if (args[i].equals("-f") && i + 1 < args.length) {
				forks = Integer.parseInt(args[++i]);
			}
			else if (!args[i].isBlank()) {
				groups.add(args[i]);
			}
		}
		if (groups.isEmpty()) {
			groups = ALL;
		}
		Path target = Path.of("target");
		Files.createDirectories(target);
		long started = System.nanoTime();
		Map<String, Collection<RunResult>> results = new LinkedHashMap<>();
		try (BenchServer server = new BenchServer(Runtime.getRuntime().availableProcessors())) {
			String[] jvm = { "-Xms1g", "-Xmx2g", "-Dlogback.configurationFile=logback-bench.xml",
					"-D" + BenchServer.URL_PROPERTY + "=" + server.url() };
			for (String group : groups) {
				switch (group) {
					case "enforced" -> {
						results.put("enforced-1t", run(base("EnforcedCallBenchmark", jvm, target, "enforced-1t")
							.threads(1)
							.mode(Mode.SampleTime)
							.timeUnit(TimeUnit.MICROSECONDS)
							.warmupIterations(5)
							.warmupTime(TimeValue.seconds(2))
							.measurementIterations(5)
							.measurementTime(TimeValue.seconds(3))));
						results.put("enforced-64t", run(base("EnforcedCallBenchmark", jvm, target, "enforced-64t")
							.threads(64)
							.mode(Mode.Throughput)
							.timeUnit(TimeUnit.SECONDS)
							// 64 threads on 2 cores leave the JIT little time: warm up longer (still climbing after 20 s here)
							.warmupIterations(15)
							.warmupTime(TimeValue.seconds(2))
							.measurementIterations(5)
							.measurementTime(TimeValue.seconds(3))));
					}
					case "passthrough" -> results.put(group, run(base("(PassThroughBenchmark|AopPassThroughBenchmark)", jvm, target, group)
						.mode(Mode.AverageTime)
						.timeUnit(TimeUnit.NANOSECONDS)
						.warmupIterations(3)
						.warmupTime(TimeValue.seconds(1))
						.measurementIterations(5)
						.measurementTime(TimeValue.seconds(1))));
					case "large" -> results.put(group, run(base("LargeOutputBenchmark", jvm, target, group)
						.mode(Mode.AverageTime)
						.timeUnit(TimeUnit.MILLISECONDS)
						.addProfiler(GCProfiler.class)
						.warmupIterations(2)
						.warmupTime(TimeValue.seconds(2))
						.measurementIterations(3)
						.measurementTime(TimeValue.seconds(2))));
					case "telemetry" -> results.put(group, run(base("TelemetryBenchmark", jvm, target, group)
						.mode(Mode.SampleTime)
						.timeUnit(TimeUnit.MICROSECONDS)
						.warmupIterations(5)
						.warmupTime(TimeValue.milliseconds(200))
						.measurementIterations(10)
						.measurementTime(TimeValue.milliseconds(200))));
					default -> throw new IllegalArgumentException("Unknown benchmark group '" + group + "'; known: " + ALL);
				}
			}
		}
		long seconds = (System.nanoTime() - started) / 1_000_000_000;
		List<String> lines = new ArrayList<>();
		String summary = summary(results, seconds, lines);
		String oneLine = "- " + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ", "
				+ String.join(" ", groups) + ", " + forks + " fork(s), " + seconds + " s: "
				+ (lines.isEmpty() ? "no ratios" : String.join("; ", lines));
		Path file = target.resolve("jmh-summary.md");
		List<String> runs = new ArrayList<>();
		if (Files.exists(file)) {
			boolean inRuns = false;
			for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
				if (line.equals(RUNS_HEADING)) {
					inRuns = true;
				}
				else if (inRuns && line.startsWith("- ")) {
					runs.add(line);
				}
			}
		}
		runs.add(oneLine);
		String text = summary + "\n" + RUNS_HEADING + "\n\n" + String.join("\n", runs) + "\n";
		System.out.println();
		System.out.println(text);
		Files.writeString(file, text, StandardCharsets.UTF_8);
	}

	private static ChainedOptionsBuilder base(String benchmark, String[] jvm, Path target, String name) {
		return new OptionsBuilder().include("com\\.runlayer\\.bench\\." + benchmark + "\\.")
			.forks(forks)
			.jvmArgsAppend(jvm)
			.shouldFailOnError(true)
			.resultFormat(ResultFormatType.JSON)
			.result(target.resolve("jmh-" + name + ".json").toString());
	}

	private static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
		if (quick) {
			options.warmupIterations(2)
				.warmupTime(TimeValue.seconds(1))
				.measurementIterations(3)
				.measurementTime(TimeValue.seconds(1));
		}
		return new Runner(options.build()).run();
	}

	private static String summary(Map<String, Collection<RunResult>> results, long seconds, List<String> headline)
			throws IOException {
		StringBuilder out = new StringBuilder();
		out.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, JDK ")
			.append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
			.append(", ").append(forks).append(" fork(s) per benchmark, wall time ").append(seconds)
			.append(" s; errors are JMH's 99.9 % confidence half-widths\n\n");
		out.append("| group | benchmark | mode | score | median | p99 | alloc B/op |\n");
		out.append("| --- | --- | --- | --- | --- | --- | --- |\n");
		Map<String, RunResult> byKey = new LinkedHashMap<>();
		results.forEach((group, runs) -> {
			for (RunResult run : runs) {
				String name = name(run);
				byKey.put(group + ":" + name, run);
				Result<?> primary = run.getPrimaryResult();
				Statistics stats = primary.getStatistics();
				boolean sampled = run.getParams().getMode() == Mode.SampleTime;
				out.append("| ").append(group).append(" | ").append(name).append(" | ")
					.append(run.getParams().getMode().shortLabel()).append(" | ")
					.append(format(primary.getScore())).append(" ± ").append(format(primary.getScoreError()))
					.append(' ').append(primary.getScoreUnit()).append(" | ")
					.append(sampled ? format(stats.getPercentile(50)) : "").append(" | ")
					.append(sampled ? format(stats.getPercentile(99)) : "").append(" | ")
					.append(alloc(run).map(RunlayerBenchmarks::format).orElse("")).append(" |\n");
			}
		});
		out.append('\n');
		List<String> ratios = new ArrayList<>();
		RunResult sdk1 = byKey.get("enforced-1t:runTool");
		RunResult bare1 = byKey.get("enforced-1t:bareHttpClient");
		if (sdk1 != null && bare1 != null) {
			String mean = ratioWithError("runTool / bare HttpClient, mean latency at 1 thread (goal <= 1.10)", sdk1, bare1);
			ratios.add(mean);
			headline.add(mean.replace("runTool / bare HttpClient, ", ""));
			ratio(byKey, "enforced-1t:runTool", "enforced-1t:bareHttpClient", ratios, 50, "median, 1 thread");
			ratio(byKey, "enforced-1t:runTool", "enforced-1t:bareHttpClient", ratios, 99, "p99, 1 thread");
		}
		RunResult sdk64 = byKey.get("enforced-64t:runTool");
		RunResult bare64 = byKey.get("enforced-64t:bareHttpClient");
		if (sdk64 != null && bare64 != null) {
			String throughput = ratioWithError("runTool / bare HttpClient, throughput at 64 threads (goal >= 0.90)",
					sdk64, bare64);
			ratios.add(throughput);
			headline.add(throughput.replace("runTool / bare HttpClient, ", ""));
		}
		added(byKey, "passthrough:runToolSkipped", "passthrough:plainCall", ratios);
		added(byKey, "passthrough:buildCallAndRunToolSkipped", "passthrough:plainCall", ratios);
		added(byKey, "passthrough:interceptedSkipped", "passthrough:plainBeanCall", ratios);
		added(byKey, "passthrough:runlayerDisabled", "passthrough:plainBeanCall", ratios);
		allocDelta(byKey, "large:sdkString", "large:toolString", ratios);
		allocDelta(byKey, "large:sdkRecords", "large:toolRecords", ratios);
		allocDelta(byKey, "large:truncateString", "large:toolString", ratios);
		allocDelta(byKey, "large:truncateRecords", "large:toolRecords", ratios);
		ratios.forEach((line) -> out.append("- ").append(line).append('\n'));
		return out.toString();
	}

	private static String name(RunResult run) {
		String benchmark = run.getParams().getBenchmark();
		String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
		StringBuilder params = new StringBuilder();
		for (String key : run.getParams().getParamsKeys()) {
			params.append(params.isEmpty() ? "" : ",").append(key).append('=').append(run.getParams().getParam(key));
		}
		return params.isEmpty() ? name : name + "(" + params + ")";
	}

	private static java.util.Optional<Double> alloc(RunResult run) {
		for (Map.Entry<String, Result> entry : run.getSecondaryResults().entrySet()) {
			if (entry.getKey().endsWith("gc.alloc.rate.norm")) {
				return java.util.Optional.of(entry.getValue().getScore());
			}
		}
		return java.util.Optional.empty();
	}

	/** a / b with the error bar of a quotient (relative errors added in quadrature). */
	private static String ratioWithError(String label, RunResult a, RunResult b) {
		double x = a.getPrimaryResult().getScore();
		double ex = a.getPrimaryResult().getScoreError();
		double y = b.getPrimaryResult().getScore();
		double ey = b.getPrimaryResult().getScoreError();
		double r = x / y;
		double er = r * Math.sqrt(sq(finite(ex) / x) + sq(finite(ey) / y));
		return String.format(Locale.ROOT, "%s: %.3f ± %.3f (%s ± %s vs %s ± %s %s)", label, r, er, format(x),
				format(finite(ex)), format(y), format(finite(ey)), a.getPrimaryResult().getScoreUnit());
	}

	private static double finite(double value) {
		return Double.isNaN(value) ? 0 : value;
	}

	private static double sq(double value) {
		return value * value;
	}

	private static void ratio(Map<String, RunResult> byKey, String sdk, String bare, List<String> out, double percentile,
			String label) {
		RunResult a = byKey.get(sdk);
		RunResult b = byKey.get(bare);
		if (a != null && b != null) {
			double x = a.getPrimaryResult().getStatistics().getPercentile(percentile);
			double y = b.getPrimaryResult().getStatistics().getPercentile(percentile);
			out.add(String.format(Locale.ROOT, "runTool / bare HttpClient, %s: %.3f (%.1f vs %.1f us)", label, x / y, x, y));
		}
	}

	private static void added(Map<String, RunResult> byKey, String with, String without, List<String> out) {
		RunResult a = byKey.get(with);
		RunResult b = byKey.get(without);
		if (a != null && b != null) {
			out.add(String.format(Locale.ROOT, "%s adds %.1f ns over %s", with, a.getPrimaryResult().getScore()
					- b.getPrimaryResult().getScore(), without));
		}
	}

	private static void allocDelta(Map<String, RunResult> byKey, String sdk, String tool, List<String> out) {
		RunResult a = byKey.get(sdk);
		RunResult b = byKey.get(tool);
		if (a != null && b != null && alloc(a).isPresent() && alloc(b).isPresent()) {
			double delta = alloc(a).get() - alloc(b).get();
			out.add(String.format(Locale.ROOT, "%s allocates %.0f B/op more than %s = %.2f x max_tool_output_bytes (65536)",
					sdk, delta, tool, delta / 65536));
		}
	}

	private static String format(double value) {
		if (Double.isNaN(value)) {
			return "";
		}
		if (Math.abs(value) >= 1000) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		return String.format(Locale.ROOT, "%.3f", value);
	}

}
