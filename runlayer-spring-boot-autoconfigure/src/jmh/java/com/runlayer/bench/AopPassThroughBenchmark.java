package com.runlayer.bench;

import com.runlayer.spring.aop.RunlayerTool;
import com.runlayer.spring.boot.RunlayerAopAutoConfiguration;
import com.runlayer.spring.boot.RunlayerAutoConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Benchmark 2 through the {@code @RunlayerTool} interceptor: a tool method the filters skip
 * ({@code runlayer.tool-enforcement.ignored-tool-names}) and the same bean with {@code runlayer.enabled=false},
 * against a plain call of the same method on an instance Spring never saw.
 */
@State(Scope.Benchmark)
public class AopPassThroughBenchmark {

	private ConfigurableApplicationContext skipped;

	private ConfigurableApplicationContext disabled;

	private FileTools skippedTools;

	private FileTools disabledTools;

	private final FileTools plainTools = new FileTools();

	@Setup
	public void setUp() {
		this.skipped = context("runlayer.tool-enforcement.ignored-tool-names=read_file");
		this.disabled = context("runlayer.enabled=false");
		this.skippedTools = this.skipped.getBean(FileTools.class);
		this.disabledTools = this.disabled.getBean(FileTools.class);
		if (!AopUtils.isAopProxy(this.skippedTools) || AopUtils.isAopProxy(this.disabledTools)) {
			throw new IllegalStateException("expected a Runlayer proxy only when Runlayer is enabled");
		}
	}

	private static ConfigurableApplicationContext context(String property) {
		return new SpringApplicationBuilder(BenchConfiguration.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties("runlayer.base-url=http://127.0.0.1:9", "runlayer.api-key=rl_bench_key",
					"runlayer.allow-insecure-transport=true", property)
			.run();
	}

	@TearDown
	public void tearDown() {
		this.skipped.close();
		this.disabled.close();
	}

	@Benchmark
	public String plainBeanCall() {
		return this.plainTools.read("/tmp/a.txt");
	}

	@Benchmark
	public String interceptedSkipped() {
		return this.skippedTools.read("/tmp/a.txt");
	}

	@Benchmark
	public String runlayerDisabled() {
		return this.disabledTools.read("/tmp/a.txt");
	}

	/** The tool bean. */
	public static class FileTools {

		@RunlayerTool(name = "read_file")
		public String read(String path) {
			return path;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ RunlayerAutoConfiguration.class, RunlayerAopAutoConfiguration.class })
	static class BenchConfiguration {

		@Bean
		FileTools fileTools() {
			return new FileTools();
		}

	}

}
