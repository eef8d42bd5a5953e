package com.runlayer.spring.ai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.adapters.AdapterOptions;
import com.runlayer.sdk.adapters.RunlayerAdapters;
import com.runlayer.spring.aop.RunlayerSessionId;
import com.runlayer.spring.aop.RunlayerTool;
import com.runlayer.spring.boot.RunlayerAopAutoConfiguration;
import com.runlayer.spring.boot.RunlayerAutoConfiguration;
import com.runlayer.spring.boot.RunlayerSpringAiAutoConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.mcp.AsyncMcpToolCallbackProvider;
import org.springframework.ai.mcp.SyncMcpToolCallbackProvider;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.spring.ai.SpringAiTestApp.CURSOR;
import static com.runlayer.spring.ai.SpringAiTestApp.POST;
import static com.runlayer.spring.ai.SpringAiTestApp.PRE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault matrix over the entry paths a tool call can take: {@code @RunlayerTool} methods (sync, async and
 * Reactor, and one nested in another), Spring AI (call and stream, through a real {@code ChatClient}), and the
 * adapters, each in closed and open mode against each fault of tool/pre and tool/post. Each case checks whether the
 * tool ran, whether its output reached the caller, that tool/pre was asked exactly once (enforced once, no retries
 * configured), and the time against two call budgets plus the documented headroom. The MCP paths
 * ({@link #mcpClientToolsEndInTheDefinedDecisionInBothFailureModes}: the sync and the async MCP client, each through a
 * blocking and a streaming chat) run Spring AI's real MCP client against Spring AI's MCP server on a random port,
 * with the direct MCP source check (cursor route) on, so they also take the faults of that route. One line
 * {@code entry-path fault matrix: N cases, D distinct expected outcomes, M wrong} is printed; the class fails when M is
 * not zero.
 */
class EntryPathFaultMatrixTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	/** Same headroom as the core matrix: scheduling on a loaded 2-core machine. */
	private static final Duration HEADROOM = Duration.ofSeconds(1);

	private static final String OUTPUT = "sunny in Paris";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().containerThreads(32).jettyStopTimeout(100L))
		.build();

	private static final AtomicInteger cases = new AtomicInteger();

	private static final Set<Expected> distinct = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private static final List<String> wrong = new CopyOnWriteArrayList<>();

	/** The MCP server of the MCP paths, started by the first of them. */
	private static McpTestServer mcpServer;

	enum EntryPath {

		ANNOTATION_SYNC, ANNOTATION_ASYNC, ANNOTATION_REACTOR, SPRING_AI_CALL, SPRING_AI_STREAM, ADAPTER,
		/** A {@code @RunlayerTool} whose body calls another {@code @RunlayerTool} bean: each is its own tool call. */
		NESTED,
		/** Spring AI's sync MCP client tool callbacks, a blocking chat; MCP paths have their own test method. */
		MCP_CLIENT,
		/** Spring AI's async MCP client ({@code McpAsyncClient}) tool callbacks, a blocking chat. */
		MCP_ASYNC_CLIENT,
		/** Spring AI's sync MCP client tool callbacks, asked for by a streaming chat ({@code stream()}). */
		MCP_STREAM,
		/** Spring AI's async MCP client tool callbacks, asked for by a streaming chat. */
		MCP_ASYNC_STREAM;

		boolean mcp() {
			return name().startsWith("MCP_");
		}

		boolean asyncClient() {
			return this == MCP_ASYNC_CLIENT || this == MCP_ASYNC_STREAM;
		}

		boolean stream() {
			return this == SPRING_AI_STREAM || this == MCP_STREAM || this == MCP_ASYNC_STREAM;
		}

	}

	/** The fault and where it is: tool/pre or tool/post. */
	enum FaultCase {

		CONTROL(false), PRE_DENY(false), PRE_NEVER_ANSWERED(false), PRE_503(false), PRE_MALFORMED(false),
		PRE_DUPLICATE_KEY(false), PRE_RESET(false), POST_503(true), POST_BLOCKED(true), POST_DUPLICATE_KEY(true);

		final boolean post;

		FaultCase(boolean post) {
			this.post = post;
		}

	}

	/** The faults of the direct MCP source check (cursor route), asked before tool/pre on the MCP path only. */
	enum SourceFault {

		SOURCE_DENY, SOURCE_NEVER_ANSWERED, SOURCE_503, SOURCE_MALFORMED, SOURCE_DUPLICATE_KEY, SOURCE_RESET

	}

	record Expected(int toolRuns, boolean released) {
	}

	/** Tools reached through the {@code @RunlayerTool} interceptor. */
	public static class AnnotatedTools {

		private final AtomicInteger runs = new AtomicInteger();

		public AtomicInteger runs() {
			return this.runs;
		}

		@RunlayerTool(name = "weather_sync")
		public String sync(String city, @RunlayerSessionId String session) {
			this.runs.incrementAndGet();
			return "sunny in " + city;
		}

		@RunlayerTool(name = "weather_async")
		public CompletableFuture<String> async(String city, @RunlayerSessionId String session) {
			return CompletableFuture.supplyAsync(() -> {
				this.runs.incrementAndGet();
				return "sunny in " + city;
			});
		}

		@RunlayerTool(name = "weather_mono")
		public Mono<String> mono(String city, @RunlayerSessionId String session) {
			return Mono.fromSupplier(() -> {
				this.runs.incrementAndGet();
				return "sunny in " + city;
			});
		}

	}

	/** An outer tool that calls the inner {@link AnnotatedTools#sync} through its proxy. */
	public static class OuterTools {

		private final AnnotatedTools inner;

		public OuterTools(AnnotatedTools inner) {
			this.inner = inner;
		}

		@RunlayerTool(name = "weather_outer")
		public String outer(String city, @RunlayerSessionId String session) {
			return this.inner.sync(city, session);
		}

	}

	private static ResponseDefinitionBuilder preAnswer(FaultCase fault) {
		return switch (fault) {
			case PRE_DENY -> okJson("{\"permission\":\"deny\",\"block_reason\":\"policy\"}");
			case PRE_NEVER_ANSWERED -> okJson("{\"permission\":\"allow\"}").withFixedDelay(2500);
			case PRE_503 -> aResponse().withStatus(503).withBody("{}");
			case PRE_MALFORMED -> okJson("{\"permission\":\"allow\"");
			case PRE_DUPLICATE_KEY -> okJson("{\"permission\":\"deny\",\"permission\":\"allow\"}");
			case PRE_RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
			default -> okJson("{\"permission\":\"allow\"}");
		};
	}

	private static ResponseDefinitionBuilder postAnswer(FaultCase fault) {
		return switch (fault) {
			case POST_503 -> aResponse().withStatus(503).withBody("{}");
			case POST_BLOCKED -> okJson("{\"blocked\":true,\"block_reason\":\"secret\"}");
			case POST_DUPLICATE_KEY -> okJson("{\"blocked\":true,\"blocked\":false}");
			default -> okJson("{\"blocked\":false}");
		};
	}

	private static ResponseDefinitionBuilder sourceAnswer(SourceFault fault) {
		return switch (fault) {
			case SOURCE_DENY -> okJson("{\"permission\":\"deny\",\"user_message\":\"server not approved\"}");
			case SOURCE_NEVER_ANSWERED -> okJson("{\"permission\":\"allow\"}").withFixedDelay(2500);
			case SOURCE_503 -> aResponse().withStatus(503).withBody("{}");
			case SOURCE_MALFORMED -> okJson("{\"permission\":\"allow\"");
			case SOURCE_DUPLICATE_KEY -> okJson("{\"permission\":\"deny\",\"permission\":\"allow\"}");
			case SOURCE_RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
		};
	}

	private static Expected expect(SourceFault fault, boolean open) {
		if (fault == SourceFault.SOURCE_DENY) {
			// a policy answer is the same in every mode
			return new Expected(0, false);
		}
		return open ? new Expected(1, true) : new Expected(0, false);
	}

	private static Expected expect(FaultCase fault, boolean open) {
		return switch (fault) {
			case CONTROL -> new Expected(1, true);
			// a policy answer is the same in every mode
			case PRE_DENY -> new Expected(0, false);
			case POST_BLOCKED -> new Expected(1, false);
			// an outage: the failure mode decides
			case PRE_NEVER_ANSWERED, PRE_503, PRE_MALFORMED, PRE_DUPLICATE_KEY, PRE_RESET ->
				open ? new Expected(1, true) : new Expected(0, false);
			case POST_503, POST_DUPLICATE_KEY -> open ? new Expected(1, true) : new Expected(1, false);
		};
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = EntryPath.class, names = "MCP_.*", mode = EnumSource.Mode.MATCH_NONE)
	void everyEntryPathEndsInTheDefinedDecisionInBothFailureModes(EntryPath path) {
		for (boolean open : List.of(false, true)) {
			ScriptedChatModel model = new ScriptedChatModel().callTool("weather", "{\"city\":\"Paris\"}");
			if (path == EntryPath.SPRING_AI_STREAM) {
				model.streamTools();
			}
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(RunlayerAutoConfiguration.class,
						RunlayerAopAutoConfiguration.class, RunlayerSpringAiAutoConfiguration.class,
						ToolCallingAutoConfiguration.class, ChatClientAutoConfiguration.class))
				.withBean(ChatModel.class, () -> model)
				.withBean(AnnotatedTools.class)
				.withBean(OuterTools.class)
				.withPropertyValues("runlayer.base-url=" + wm.baseUrl(), "runlayer.api-key=rl_matrix_key",
						"runlayer.allow-insecure-transport=true", "runlayer.max-retries=0",
						"runlayer.timeout=" + TIMEOUT.toMillis() + "ms", "runlayer.events.shutdown-timeout=100ms",
						"runlayer.enforcement-failure-mode=" + (open ? "open" : "closed"))
				.run((context) -> {
					warmUp(context);
					for (FaultCase fault : FaultCase.values()) {
						runCase(context, path, fault, open);
					}
				});
		}
	}

	/**
	 * The first call in a JVM loads the HTTP client, JSON, AOP and logging classes; on a slow machine that one-off
	 * cost alone can exceed a 1 s budget, and it is not what the matrix measures.
	 */
	private static void warmUp(ApplicationContext context) {
		wm.resetAll();
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		try {
			context.getBean(AnnotatedTools.class).sync("Paris", "warm-up");
		}
		catch (RuntimeException ex) {
			// only the class loading matters
		}
		awaitRequest(PRE);
	}

	/**
	 * Waits (up to 3 s) until the warm-up's first request reached WireMock: a cold first call can give up before
	 * its request is even received, and that request must not land in the first case's journal.
	 */
	private static void awaitRequest(String path) {
		long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		while (wm.findAll(postRequestedFor(urlEqualTo(path))).isEmpty() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static void runCase(ApplicationContext context, EntryPath path, FaultCase fault, boolean open) {
		wm.resetAll();
		wm.stubFor(post("/api/v1/hooks/events").willReturn(okJson("{}")));
		wm.stubFor(post(PRE).willReturn(fault.post ? okJson("{\"permission\":\"allow\"}") : preAnswer(fault)));
		wm.stubFor(post(POST).willReturn(postAnswer(fault)));
		Expected expected = expect(fault, open);
		AnnotatedTools annotated = context.getBean(AnnotatedTools.class);
		WeatherTools weather = new WeatherTools();
		AtomicInteger adapterRuns = new AtomicInteger();
		int annotatedBefore = annotated.runs().get();
		String released = null;
		Throwable error = null;
		long started = System.nanoTime();
		try {
			released = switch (path) {
				case ANNOTATION_SYNC -> annotated.sync("Paris", "s1");
				case NESTED -> context.getBean(OuterTools.class).outer("Paris", "s1");
				case ANNOTATION_ASYNC -> annotated.async("Paris", "s1").get();
				case ANNOTATION_REACTOR -> annotated.mono("Paris", "s1").block(Duration.ofSeconds(10));
				case SPRING_AI_CALL -> context.getBean(ChatClient.Builder.class)
					.build()
					.prompt()
					.user("weather?")
					.tools(weather)
					.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "s1"))
					.call()
					.content();
				case SPRING_AI_STREAM -> String.join("", context.getBean(ChatClient.Builder.class)
					.build()
					.prompt()
					.user("weather?")
					.tools(weather)
					.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "s1"))
					.stream()
					.content()
					.collectList()
					.block(Duration.ofSeconds(10)));
				case ADAPTER -> (String) RunlayerAdapters.runRunlayerAdapterTool("weather_adapter", (input, args) -> {
					adapterRuns.incrementAndGet();
					return OUTPUT;
				}, Map.of("city", "Paris"), AdapterOptions.of(context.getBean(RunlayerClient.class), "s1"));
				case MCP_CLIENT, MCP_ASYNC_CLIENT, MCP_STREAM, MCP_ASYNC_STREAM ->
					throw new IllegalStateException("the MCP paths have their own test method");
			};
		}
		catch (Throwable ex) {
			error = ex;
		}
		long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		int runs = switch (path) {
			case ANNOTATION_SYNC, ANNOTATION_ASYNC, ANNOTATION_REACTOR, NESTED -> annotated.runs().get() - annotatedBefore;
			case SPRING_AI_CALL, SPRING_AI_STREAM -> weather.calls.size();
			case ADAPTER -> adapterRuns.get();
			case MCP_CLIENT, MCP_ASYNC_CLIENT, MCP_STREAM, MCP_ASYNC_STREAM ->
				throw new IllegalStateException("the MCP paths have their own test method");
		};
		int preRequests = wm.findAll(postRequestedFor(urlEqualTo(PRE))).size();
		// once per tool call: a nested call is a second tool call, asked only when the outer one was let through
		int expectedPre = (path == EntryPath.NESTED && expected.toolRuns() == 1) ? 2 : 1;
		long budget = TIMEOUT.multipliedBy((path == EntryPath.NESTED) ? 4 : 2).plus(HEADROOM).toMillis();
		List<String> problems = check(expected, fault.post, runs, released, error, preRequests, expectedPre, millis,
				budget);
		record(path + "/" + fault + "/" + (open ? "OPEN" : "CLOSED"), expected, problems);
	}

	/** What every case asserts, the same on every path. */
	private static List<String> check(Expected expected, boolean postFault, int runs, String released, Throwable error,
			int preRequests, int expectedPre, long millis, long budget) {
		boolean outputReleased = released != null && released.contains(OUTPUT);
		List<String> problems = new ArrayList<>();
		if (runs != expected.toolRuns()) {
			problems.add("tool ran " + runs + " times, expected " + expected.toolRuns());
		}
		if (outputReleased != expected.released()) {
			problems.add("output " + (outputReleased ? "released" : "withheld") + " (returned " + released + ", error "
					+ error + "), expected " + (expected.released() ? "released" : "withheld"));
		}
		if (preRequests != expectedPre) {
			problems.add("tool/pre asked " + preRequests + " times, expected " + expectedPre);
		}
		if (postFault && expected.toolRuns() == 1 && wm.findAll(postRequestedFor(urlEqualTo(POST))).isEmpty()) {
			problems.add("tool/post fault not exercised");
		}
		if (millis > budget) {
			problems.add("took " + millis + " ms, budget " + budget + " ms");
		}
		return problems;
	}

	private static void record(String label, Expected expected, List<String> problems) {
		cases.incrementAndGet();
		distinct.add(expected);
		if (!problems.isEmpty()) {
			wrong.add(label + ": " + problems);
		}
	}

	/**
	 * MCP client tools: Spring AI's MCP tool callbacks (the real sync or async MCP client, streamable HTTP) as the
	 * auto-configuration decorates them, asked for by a scripted model through a real {@code ChatClient}, blocking
	 * ({@code call()}) or streaming ({@code stream()}). One MCP server for all cases and one client context per path
	 * and failure mode. The direct MCP source check is on (user API key and a route path), so every call asks the
	 * cursor route first, then tool/pre, the MCP server, tool/post: the 10 tool/pre and tool/post faults (the route
	 * allowing) and 6 faults of the route itself. Each case checks whether the tool ran on the MCP server, whether
	 * its output reached the caller, that the route and tool/pre were each asked exactly once per call (tool/pre not
	 * at all when the route blocked), and the time against three budgets (route, tool/pre, tool/post) plus the
	 * headroom.
	 */
	@ParameterizedTest(name = "{0}")
	@EnumSource(value = EntryPath.class, names = "MCP_.*", mode = EnumSource.Mode.MATCH_ANY)
	void mcpClientToolsEndInTheDefinedDecisionInBothFailureModes(EntryPath path) {
		McpTestServer server = mcpServer();
		for (boolean open : List.of(false, true)) {
			ScriptedChatModel model = new ScriptedChatModel().callTool("weather_forecast", "{\"city\":\"Paris\"}");
			if (path.stream()) {
				model.streamTools();
			}
			try (ConfigurableApplicationContext context = McpTestServer.client(model, List.of(
					"runlayer.base-url=" + wm.baseUrl(), "runlayer.api-key=rl_matrix_key",
					"runlayer.allow-insecure-transport=true", "runlayer.max-retries=0",
					"runlayer.timeout=" + TIMEOUT.toMillis() + "ms", "runlayer.events.shutdown-timeout=100ms",
					"runlayer.enforcement-failure-mode=" + (open ? "open" : "closed"),
					"runlayer.direct-mcp-source-enforcement-path=" + CURSOR,
					"spring.ai.mcp.client.type=" + (path.asyncClient() ? "ASYNC" : "SYNC"),
					"spring.ai.mcp.client.streamable-http.connections.weather.url=" + server.url()))) {
				stubMcp(okJson("{\"permission\":\"allow\"}"), okJson("{\"permission\":\"allow\"}"),
						okJson("{\"blocked\":false}"));
				try {
					askMcp(context, path);
				}
				catch (RuntimeException ex) {
					// a warm-up: only the class loading and the MCP session matter
				}
				awaitRequest(CURSOR);
				for (FaultCase fault : FaultCase.values()) {
					stubMcp(okJson("{\"permission\":\"allow\"}"),
							fault.post ? okJson("{\"permission\":\"allow\"}") : preAnswer(fault), postAnswer(fault));
					runMcpCase(context, path, fault.toString(), expect(fault, open), fault.post, 1, open);
				}
				for (SourceFault fault : SourceFault.values()) {
					stubMcp(sourceAnswer(fault), okJson("{\"permission\":\"allow\"}"), okJson("{\"blocked\":false}"));
					// tool/pre is asked only when the route let the call through
					runMcpCase(context, path, fault.toString(), expect(fault, open), false,
							expect(fault, open).toolRuns(), open);
				}
			}
		}
	}

	private static synchronized McpTestServer mcpServer() {
		if (mcpServer == null) {
			mcpServer = new McpTestServer("matrix-forecast-server", "sunny");
		}
		return mcpServer;
	}

	private static void stubMcp(ResponseDefinitionBuilder source, ResponseDefinitionBuilder pre,
			ResponseDefinitionBuilder post) {
		wm.resetAll();
		wm.stubFor(post("/api/v1/hooks/events").willReturn(okJson("{}")));
		wm.stubFor(post(CURSOR).willReturn(source));
		wm.stubFor(post(PRE).willReturn(pre));
		wm.stubFor(post(POST).willReturn(post));
	}

	private static String askMcp(ApplicationContext context, EntryPath path) {
		ToolCallbackProvider tools = path.asyncClient() ? context.getBean(AsyncMcpToolCallbackProvider.class)
				: context.getBean(SyncMcpToolCallbackProvider.class);
		ChatClient.ChatClientRequestSpec request = context.getBean(ChatClient.Builder.class)
			.build()
			.prompt()
			.user("Forecast for Paris?")
			.toolCallbacks(tools)
			.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "s1"));
		if (path.stream()) {
			return String.join("", request.stream().content().collectList().block(Duration.ofSeconds(10)));
		}
		return request.call().content();
	}

	private static void runMcpCase(ApplicationContext context, EntryPath path, String fault, Expected expected,
			boolean postFault, int expectedPre, boolean open) {
		int before = mcpServer.calls.size();
		String released = null;
		Throwable error = null;
		long started = System.nanoTime();
		try {
			released = askMcp(context, path);
		}
		catch (Throwable ex) {
			error = ex;
		}
		long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		int runs = mcpServer.calls.size() - before;
		int preRequests = wm.findAll(postRequestedFor(urlEqualTo(PRE))).size();
		long budget = TIMEOUT.multipliedBy(3).plus(HEADROOM).toMillis();
		List<String> problems = check(expected, postFault, runs, released, error, preRequests, expectedPre, millis,
				budget);
		int sourceRequests = wm.findAll(postRequestedFor(urlEqualTo(CURSOR))).size();
		if (sourceRequests != 1) {
			problems.add("cursor route asked " + sourceRequests + " times, expected 1");
		}
		record(path + "/" + fault + "/" + (open ? "OPEN" : "CLOSED"), expected, problems);
	}

	@AfterAll
	static void summary() {
		if (mcpServer != null) {
			mcpServer.close();
		}
		System.out.println("entry-path fault matrix: " + cases.get() + " cases, " + distinct.size()
				+ " distinct expected outcomes, " + wrong.size() + " wrong");
		wrong.forEach((w) -> System.out.println("  wrong: " + w));
		assertThat(new LinkedHashSet<>(wrong)).isEmpty();
		long mcpPaths = java.util.Arrays.stream(EntryPath.values()).filter(EntryPath::mcp).count();
		long otherPaths = EntryPath.values().length - mcpPaths;
		assertThat((long) cases.get()).isEqualTo(otherPaths * FaultCase.values().length * 2
				+ mcpPaths * (FaultCase.values().length + SourceFault.values().length) * 2);
	}

}
