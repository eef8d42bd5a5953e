package com.runlayer.spring.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.transport.HookEndpoint;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process, programmable Runlayer for tests and offline demos: real HTTP on a random port of 127.0.0.1, the
 * routes and answers of the Runlayer hook API (tool/pre, tool/post, events, the direct MCP source route and the
 * agent-account token route), scripted per tool and recording every request.
 *
 * <pre class="code">
 * try (RunlayerTestServer runlayer = RunlayerTestServer.start();
 *         RunlayerClient client = runlayer.clientBuilder().build()) {
 *     runlayer.onPreTool("run_command").deny("No shell in tests");
 *     // ... exercise code that calls tools through the client ...
 *     assertThat(runlayer).receivedPreTool("run_command").withInput("command", "ls");
 * }
 * </pre>
 *
 * <p>Without a script every tool call is allowed, every output passes and every event is accepted. A hook route needs
 * credentials, as Runlayer does: any non-blank API key, or a bearer token this server issued at its token route (not
 * on the direct MCP source route). Bodies are checked for the fields Runlayer requires (HTTP 422 otherwise), gzip
 * bodies are decoded. Nothing here needs JUnit, AssertJ or Spring's test support, so an application can also run it
 * outside tests (the sample's offline demo does).
 *
 * <p>In a {@code @SpringBootTest} use {@link AutoConfigureRunlayer}; in a plain JUnit test use
 * {@link RunlayerTestExtension}; assert with {@link RunlayerAssertions}. Thread-safe.
 */
public final class RunlayerTestServer implements AutoCloseable {

	/** The API key the test support configures; any non-blank key is accepted. */
	public static final String API_KEY = "rl_test_runlayer_test_server";

	/** The agent-account client id the test support configures for agent-account tests. */
	public static final String AGENT_CLIENT_ID = "runlayer-test-agent";

	/** The agent-account client secret the test support configures for agent-account tests. */
	public static final String AGENT_CLIENT_SECRET = "runlayer-test-agent-secret";

	/** How many requests are kept; older ones are dropped first. */
	static final int MAX_RECORDED = 10_000;

	private static final Logger logger = LoggerFactory.getLogger(RunlayerTestServer.class);

	private static final AtomicInteger THREADS = new AtomicInteger();

	private final HttpServer http;

	private final ThreadPoolExecutor executor;

	private final ScriptBook scripts = new ScriptBook();

	private final List<RunlayerTestScript> defaults;

	private final Deque<RecordedRequest> recorded = new ArrayDeque<>();

	private volatile Duration awaitTimeout = Duration.ofSeconds(5);

	private RunlayerTestServer(List<RunlayerTestScript> defaults) throws IOException {
		this.defaults = List.copyOf(defaults);
		this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.executor = new ThreadPoolExecutor(0, 64, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), (runnable) -> {
			Thread thread = new Thread(runnable, "runlayer-test-server-" + THREADS.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.http.createContext("/", new HookExchangeHandler(this.scripts, this::record));
		this.http.setExecutor(this.executor);
	}

	/**
	 * Starts a server on a free port of the loopback interface.
	 * @param scripts policies applied now and after every {@link #reset()}
	 * @return the running server
	 */
	public static RunlayerTestServer start(RunlayerTestScript... scripts) {
		RunlayerTestServer server;
		try {
			server = new RunlayerTestServer(List.of(scripts));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the Runlayer test server", ex);
		}
		server.applyDefaults();
		server.http.start();
		logger.debug("Runlayer test server listening on {}", server.baseUrl());
		return server;
	}

	/**
	 * The base URL to configure as {@code runlayer.base-url}.
	 * @return e.g. {@code http://127.0.0.1:54321}
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + port();
	}

	/**
	 * The port.
	 * @return the port
	 */
	public int port() {
		return this.http.getAddress().getPort();
	}

	/**
	 * A client builder pointed at this server with the test API key; insecure (http) transport is allowed because the
	 * URL is this loopback server.
	 * @return a new builder; further settings may be changed before {@code build()}
	 */
	public RunlayerClient.Builder clientBuilder() {
		return RunlayerClient.builder().baseUrl(baseUrl()).apiKey(API_KEY).allowInsecureTransport(true);
	}

	/**
	 * A client builder pointed at this server with agent-account credentials, which mint tokens at this server's
	 * token route.
	 * @return a new builder
	 */
	public RunlayerClient.Builder agentClientBuilder() {
		return RunlayerClient.builder()
			.baseUrl(baseUrl())
			.agentClientId(AGENT_CLIENT_ID)
			.agentClientSecret(AGENT_CLIENT_SECRET)
			.allowInsecureTransport(true);
	}

	/**
	 * Scripts the tool/pre answers for one tool.
	 * @param toolName the tool name as the SDK reports it
	 * @return the script
	 */
	public PreToolScript onPreTool(String toolName) {
		return new PreToolScript(this.scripts.add(HookEndpoint.TOOL_PRE, Objects.requireNonNull(toolName, "toolName")));
	}

	/**
	 * Scripts the tool/pre answers for any tool.
	 * @return the script
	 */
	public PreToolScript onPreTool() {
		return new PreToolScript(this.scripts.add(HookEndpoint.TOOL_PRE, null));
	}

	/**
	 * Scripts the tool/post answers for one tool.
	 * @param toolName the tool name
	 * @return the script
	 */
	public PostToolScript onPostTool(String toolName) {
		return new PostToolScript(
				this.scripts.add(HookEndpoint.TOOL_POST, Objects.requireNonNull(toolName, "toolName")));
	}

	/**
	 * Scripts the tool/post answers for any tool.
	 * @return the script
	 */
	public PostToolScript onPostTool() {
		return new PostToolScript(this.scripts.add(HookEndpoint.TOOL_POST, null));
	}

	/**
	 * Scripts the answers to lifecycle events of one name.
	 * @param eventName e.g. {@code Stop}, {@code UserPromptSubmit}
	 * @return the script
	 */
	public EventScript onEvent(String eventName) {
		return new EventScript(this.scripts.add(HookEndpoint.EVENTS, Objects.requireNonNull(eventName, "eventName")));
	}

	/**
	 * Scripts the answers to every lifecycle event.
	 * @return the script
	 */
	public EventScript onEvent() {
		return new EventScript(this.scripts.add(HookEndpoint.EVENTS, null));
	}

	/**
	 * Scripts the direct MCP source checks of one tool.
	 * @param toolName the tool name
	 * @return the script
	 */
	public McpSourceScript onMcpSource(String toolName) {
		return new McpSourceScript(
				this.scripts.add(HookEndpoint.MCP_SOURCE, Objects.requireNonNull(toolName, "toolName")));
	}

	/**
	 * Scripts every direct MCP source check.
	 * @return the script
	 */
	public McpSourceScript onMcpSource() {
		return new McpSourceScript(this.scripts.add(HookEndpoint.MCP_SOURCE, null));
	}

	/**
	 * Scripts the agent-account token route.
	 * @return the script
	 */
	public TokenScript onTokenRequest() {
		return new TokenScript(this.scripts.add(HookEndpoint.OAUTH_TOKEN, null));
	}

	/**
	 * Forgets every recorded request and every rule added since the start, then applies the start scripts again. Tokens
	 * already issued stay valid. The test support calls it before each test.
	 */
	public void reset() {
		this.scripts.clear();
		clearRequests();
		applyDefaults();
	}

	/**
	 * Forgets the recorded requests only.
	 */
	public void clearRequests() {
		synchronized (this.recorded) {
			this.recorded.clear();
		}
	}

	/**
	 * Every request received since the last reset, oldest first (at most the newest 10 000).
	 * @return a snapshot
	 */
	public List<RecordedRequest> requests() {
		synchronized (this.recorded) {
			return List.copyOf(this.recorded);
		}
	}

	/**
	 * The recorded requests that match.
	 * @param filter the filter, e.g. {@code RecordedRequest::isPreTool}
	 * @return a snapshot, oldest first
	 */
	public List<RecordedRequest> requests(Predicate<RecordedRequest> filter) {
		List<RecordedRequest> result = new ArrayList<>();
		for (RecordedRequest request : requests()) {
			if (filter.test(request)) {
				result.add(request);
			}
		}
		return result;
	}

	/**
	 * The tool/pre calls of one tool.
	 * @param toolName the tool name
	 * @return a snapshot, oldest first
	 */
	public List<RecordedRequest> preToolRequests(String toolName) {
		return requests((r) -> r.isPreTool() && r.toolName().equals(toolName));
	}

	/**
	 * The tool/post calls (outputs, not failures) of one tool.
	 * @param toolName the tool name
	 * @return a snapshot, oldest first
	 */
	public List<RecordedRequest> postToolRequests(String toolName) {
		return requests((r) -> r.isPostTool() && r.toolName().equals(toolName));
	}

	/**
	 * The lifecycle events of one name.
	 * @param eventName the event name
	 * @return a snapshot, oldest first
	 */
	public List<RecordedRequest> events(String eventName) {
		return requests((r) -> r.isEvent() && r.eventName().equals(eventName));
	}

	/**
	 * How long the assertions wait for a request that has not arrived yet (events are sent in the background).
	 * @return the timeout, 5 s unless changed
	 */
	public Duration awaitTimeout() {
		return this.awaitTimeout;
	}

	/**
	 * Sets how long the assertions wait for a request that has not arrived yet.
	 * @param timeout the timeout
	 */
	public void awaitTimeout(Duration timeout) {
		this.awaitTimeout = Objects.requireNonNull(timeout, "timeout");
	}

	/**
	 * Stops the server; requests in flight are cut off.
	 */
	@Override
	public void close() {
		this.http.stop(0);
		this.executor.shutdownNow();
	}

	@Override
	public String toString() {
		return "RunlayerTestServer[" + baseUrl() + "]";
	}

	private void applyDefaults() {
		for (RunlayerTestScript script : this.defaults) {
			script.applyTo(this);
		}
	}

	private void record(RecordedRequest request) {
		synchronized (this.recorded) {
			if (this.recorded.size() >= MAX_RECORDED) {
				this.recorded.removeFirst();
			}
			this.recorded.addLast(request);
		}
	}

}
