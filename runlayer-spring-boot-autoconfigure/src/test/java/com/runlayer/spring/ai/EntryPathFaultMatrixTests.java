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
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault matrix over the entry paths a tool call can take: {@code @RunlayerTool} methods (sync, async and
 * Reactor, and one nested in another), Spring AI (call and stream, through a real {@code ChatClient}), and the
 * adapters, each in closed and open
 * mode against each fault of tool/pre and tool/post. Each case checks whether the tool ran, whether its output
 * reached the caller, that tool/pre was asked exactly once (enforced once, no retries configured), and the time
 * against two call budgets plus the documented headroom. One line
 * {@code entry-path fault matrix: N cases, D distinct expected outcomes, M wrong} is printed; the class fails when M is
 * not zero.
 */
class EntryPathFaultMatrixTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	/** Same headroom as the core matrix: scheduling on a loaded 2-core machine. */
	private static final Duration HEADROOM = Duration.ofSeconds(1);

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	private static final String OUTPUT = "sunny in Paris";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().containerThreads(32).jettyStopTimeout(100L))
		.build();

	private static final AtomicInteger cases = new AtomicInteger();

	private static final Set<Expected> distinct = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private static final List<String> wrong = new CopyOnWriteArrayList<>();

	enum EntryPath {

		ANNOTATION_SYNC, ANNOTATION_ASYNC, ANNOTATION_REACTOR, SPRING_AI_CALL, SPRING_AI_STREAM, ADAPTER,
		/** A {@code @RunlayerTool} whose body calls another {@code @RunlayerTool} bean: each is its own tool call. */
		NESTED

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
	@EnumSource(EntryPath.class)
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
		};
		boolean outputReleased = released != null && released.contains(OUTPUT);
		List<String> problems = new ArrayList<>();
		if (runs != expected.toolRuns()) {
			problems.add("tool ran " + runs + " times, expected " + expected.toolRuns());
		}
		if (outputReleased != expected.released()) {
			problems.add("output " + (outputReleased ? "released" : "withheld") + " (returned " + released + ", error "
					+ error + "), expected " + (expected.released() ? "released" : "withheld"));
		}
		int preRequests = wm.findAll(postRequestedFor(urlEqualTo(PRE))).size();
		// once per tool call: a nested call is a second tool call, asked only when the outer one was let through
		int expectedPre = (path == EntryPath.NESTED && expected.toolRuns() == 1) ? 2 : 1;
		if (preRequests != expectedPre) {
			problems.add("tool/pre asked " + preRequests + " times, expected " + expectedPre);
		}
		if (fault.post && expected.toolRuns() == 1 && wm.findAll(postRequestedFor(urlEqualTo(POST))).isEmpty()) {
			problems.add("tool/post fault not exercised");
		}
		long budget = TIMEOUT.multipliedBy((path == EntryPath.NESTED) ? 4 : 2).plus(HEADROOM).toMillis();
		if (millis > budget) {
			problems.add("took " + millis + " ms, budget " + budget + " ms");
		}
		cases.incrementAndGet();
		distinct.add(expected);
		if (!problems.isEmpty()) {
			wrong.add(path + "/" + fault + "/" + (open ? "OPEN" : "CLOSED") + ": " + problems);
		}
	}

	@AfterAll
	static void summary() {
		System.out.println("entry-path fault matrix: " + cases.get() + " cases, " + distinct.size()
				+ " distinct expected outcomes, " + wrong.size() + " wrong");
		wrong.forEach((w) -> System.out.println("  wrong: " + w));
		assertThat(new LinkedHashSet<>(wrong)).isEmpty();
		assertThat(cases.get()).isEqualTo(EntryPath.values().length * FaultCase.values().length * 2);
	}

}
