package com.runlayer.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.JdkClientHttpRequestFactory;

/**
 * The cost of the transport's per-request {@link JdkClientHttpRequestFactory} (created per request so that each call
 * gets its own read timeout) against one shared factory. No I/O: creating a request does not send it.
 */
@State(Scope.Benchmark)
public class RequestFactoryBenchmark {

	private final URI uri = URI.create("http://127.0.0.1:1/api/v1/hooks/tool/pre");

	private HttpClient http;

	private ExecutorService executor;

	private JdkClientHttpRequestFactory shared;

	@Setup
	public void setUp() {
		this.executor = Executors.newCachedThreadPool();
		this.http = HttpClient.newBuilder().executor(this.executor).build();
		this.shared = new JdkClientHttpRequestFactory(this.http, this.executor);
		this.shared.setReadTimeout(Duration.ofSeconds(30));
	}

	@TearDown
	public void tearDown() {
		this.executor.shutdownNow();
	}

	@Benchmark
	public ClientHttpRequest sharedFactory() throws Exception {
		return this.shared.createRequest(this.uri, HttpMethod.POST);
	}

	@Benchmark
	public ClientHttpRequest factoryPerRequest() throws Exception {
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(this.http, this.executor);
		factory.setReadTimeout(Duration.ofSeconds(30));
		return factory.createRequest(this.uri, HttpMethod.POST);
	}

}
