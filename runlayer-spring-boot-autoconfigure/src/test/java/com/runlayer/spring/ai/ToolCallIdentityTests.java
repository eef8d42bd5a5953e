package com.runlayer.spring.ai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerException;
import com.runlayer.sdk.RunlayerSession;
import com.runlayer.sdk.ToolCallIdentity;
import com.runlayer.sdk.ToolIdentityOverrides;
import com.runlayer.sdk.observe.RunlayerObserver;
import io.micrometer.observation.ObservationRegistry;
import com.runlayer.spring.aop.RunlayerSessionId;
import com.runlayer.spring.aop.RunlayerTool;
import com.runlayer.spring.boot.RunlayerAopAutoConfiguration;
import com.runlayer.spring.boot.RunlayerClientCustomizer;
import com.runlayer.spring.boot.RunlayerToolRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.tool.function.FunctionToolCallback;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.runlayer.spring.ai.SpringAiTestApp.EVENTS;
import static com.runlayer.spring.ai.SpringAiTestApp.POST;
import static com.runlayer.spring.ai.SpringAiTestApp.PRE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One identity and exactly-once enforcement for every way a tool call arrives: the real {@code @RunlayerTool}
 * interceptor, a real {@code ChatClient} from the auto-configured builder with a scripted model, and a WireMock
 * Runlayer.
 */
@ExtendWith(OutputCaptureExtension.class)
class ToolCallIdentityTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ScriptedChatModel model = new ScriptedChatModel();

	private ApplicationContextRunner runner() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		return SpringAiTestApp
			.runner(wm.baseUrl(), this.model, AopAutoConfiguration.class, RunlayerAopAutoConfiguration.class)
			.withBean(FileTools.class)
			.withBean(ShellTools.class)
			.withBean(OuterTools.class)
			.withBean(CountdownTools.class)
			.withBean(AsyncTools.class);
	}

	private String ask(ApplicationContext context, Object tools, String conversationId) {
		return SpringAiTestApp.ask(context, "Do it", tools, conversationId);
	}

	private static void allowAll() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
	}

	private static List<JsonNode> bodies(String path) {
		List<JsonNode> found = new ArrayList<>();
		for (LoggedRequest request : wm.findAll(postRequestedFor(urlEqualTo(path)))) {
			found.add(JSON.readTree(request.getBodyAsString()));
		}
		return found;
	}

	private static List<JsonNode> events(String eventName) {
		return bodies(EVENTS).stream().filter((e) -> eventName.equals(e.get("event_name").stringValue())).toList();
	}

	private static List<String> preToolNames() {
		return bodies(PRE).stream().map((body) -> body.get("tool_name").stringValue()).toList();
	}

	// --- exactly once, never zero -------------------------------------------------------------------------------

	@Test
	void toolAndRunlayerToolOnOneMethodIsEnforcedOnceOnTheModelPath() {
		allowAll();
		this.model.callTool("read_file", "{\"path\":\"a.txt\"}");
		runner().run((context) -> {
			String answer = ask(context, context.getBean(FileTools.class), "conv-1");
			assertThat(answer).contains("contents of a.txt");
		});
		assertThat(bodies(PRE)).hasSize(1);
		assertThat(bodies(POST)).hasSize(1);
	}

	record Why(String why) {
	}

	@Test
	void toolAndRunlayerToolMethodDecoratedBySpringAisArgumentAugmenterIsEnforcedOnce() {
		allowAll();
		this.model.callTool("read_file", "{\"path\":\"a.txt\",\"why\":\"asked\"}");
		runner().run((context) -> assertThat(askAugmented(context)).contains("contents of a.txt"));
		assertThat(preToolNames()).containsExactly("read_file");
		assertThat(bodies(POST)).hasSize(1);
	}

	@Test
	void toolDecoratedBySpringAisArgumentAugmenterDoesNotRunWithoutAnAllow() {
		this.model.callTool("read_file", "{\"path\":\"a.txt\",\"why\":\"asked\"}");
		for (String answer : List.of("{\"permission\":\"deny\",\"block_reason\":\"no reading\"}", "outage")) {
			wm.resetAll();
			wm.stubFor(post(PRE).willReturn(answer.equals("outage") ? serverError() : okJson(answer)));
			runner().run((context) -> {
				assertThat(askAugmented(context)).doesNotContain("contents of a.txt");
				assertThat(context.getBean(FileTools.class).reads()).as(answer).isEmpty();
			});
			assertThat(preToolNames()).as(answer).containsExactly("read_file");
			assertThat(bodies(POST)).as(answer).isEmpty();
		}
	}

	/** One question whose read_file tool comes through Spring AI's AugmentedToolCallbackProvider. */
	private static String askAugmented(ApplicationContext context) {
		org.springframework.ai.tool.ToolCallbackProvider augmented = new org.springframework.ai.tool.augment.AugmentedToolCallbackProvider<>(
				context.getBean(FileTools.class), Why.class, (event) -> {
				}, true);
		return context.getBean(org.springframework.ai.chat.client.ChatClient.Builder.class)
			.build()
			.prompt()
			.user("Do it")
			.toolCallbacks(augmented)
			.advisors((a) -> a.param(org.springframework.ai.chat.memory.ChatMemory.CONVERSATION_ID, "conv-1"))
			.call()
			.content();
	}

	@Test
	void toolCallingAnotherBeansRunlayerToolIsEnforcedTwice() {
		allowAll();
		this.model.callTool("summarize", "{\"path\":\"b.txt\"}");
		runner().run((context) -> {
			String answer = ask(context, context.getBean(OuterTools.class), "conv-1");
			assertThat(answer).contains("summary of contents of b.txt");
		});
		assertThat(preToolNames()).containsExactly("summarize", "read_file");
		assertThat(bodies(PRE)).allSatisfy(
				(body) -> assertThat(body.at("/payload/session_id").stringValue()).isEqualTo("conv-1"));
	}

	@Test
	void nestedRunlayerToolIsBlockedWhenDeniedEvenInsideAnAllowedTool() {
		wm.stubFor(post(PRE).withRequestBody(matchingJsonPath("$.tool_name", equalTo("read_file")))
			.willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"no file reads\"}")));
		wm.stubFor(post(PRE).withRequestBody(matchingJsonPath("$.tool_name", equalTo("summarize")))
			.willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		this.model.callTool("summarize", "{\"path\":\"b.txt\"}");
		runner().run((context) -> {
			ask(context, context.getBean(OuterTools.class), "conv-1");
			assertThat(context.getBean(FileTools.class).reads()).isEmpty();
			assertThat(this.model.lastToolResult()).contains("no file reads").doesNotContain("contents of b.txt");
		});
	}

	@Test
	void runlayerToolCallingItselfThroughTheProxyIsEnforcedAtEveryLevel() {
		allowAll();
		runner().run((context) -> {
			CountdownTools tools = context.getBean(CountdownTools.class);
			assertThat(tools.countdown(2, "s-rec")).isEqualTo("liftoff");
		});
		assertThat(preToolNames()).containsExactly("countdown", "countdown", "countdown");
		assertThat(bodies(POST)).hasSize(3);
	}

	@Test
	void recursiveToolIsEnforcedAtEveryLevelOnTheModelPath() {
		allowAll();
		this.model.callTool("countdown", "{\"n\":1}");
		runner().run((context) -> ask(context, context.getBean(CountdownTools.class), "conv-r"));
		assertThat(preToolNames()).containsExactly("countdown", "countdown");
	}

	@Test
	void toolReturningAFutureOfAnotherAnnotatedCallIsEnforcedTwice() {
		allowAll();
		this.model.callTool("read_later", "{\"path\":\"c.txt\"}");
		runner().run((context) -> {
			AsyncTools tools = context.getBean(AsyncTools.class);
			ask(context, tools, "conv-a");
			assertThat(tools.last().join()).isEqualTo("contents of c.txt");
			assertThat(context.getBean(FileTools.class).reads()).containsExactly("c.txt");
		});
		assertThat(preToolNames()).containsExactlyInAnyOrder("read_later", "read_file");
	}

	// --- one identity ----------------------------------------------------------------------------------------

	@Test
	void oneToolHasOneNameOnEveryPath() {
		allowAll();
		this.model.callTool("read_file", "{\"path\":\"a.txt\"}");
		runner().run((context) -> {
			ask(context, context.getBean(FileTools.class), "conv-1");
			RunlayerSession.run("conv-1", () -> context.getBean(FileTools.class).readFile("d.txt"));
		});
		assertThat(preToolNames()).containsExactly("read_file", "read_file");
	}

	@Test
	void annotationTypeAndServerReachRunlayerOnTheModelPath() {
		allowAll();
		this.model.callTool("run_command", "{\"command\":\"ls\"}");
		runner().run((context) -> ask(context, context.getBean(ShellTools.class), "conv-1"));
		JsonNode pre = bodies(PRE).get(0);
		assertThat(pre.at("/tool_name").stringValue()).isEqualTo("run_command");
		assertThat(pre.at("/payload/tool_type").stringValue()).isEqualTo("shell");
		assertThat(pre.at("/payload/mcp_server_name").stringValue()).isEqualTo("workspace");
	}

	@Test
	void annotationFailureModeClosedHoldsOnTheModelPathOfAnOpenClient() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		this.model.callTool("run_command", "{\"command\":\"ls\"}");
		runner().withPropertyValues("runlayer.enforcement-failure-mode=open").run((context) -> {
			ask(context, context.getBean(ShellTools.class), "conv-1");
			assertThat(context.getBean(ShellTools.class).commands()).isEmpty();
			assertThat(this.model.lastToolResult()).contains("failure mode is closed");
		});
	}

	@Test
	void sessionIdIsTrimmedTheSameWayOnEveryPath() {
		allowAll();
		this.model.callTool("read_file", "{\"path\":\"a.txt\"}");
		runner().run((context) -> {
			ask(context, context.getBean(FileTools.class), " c1 ");
			context.getBean(RunlayerClient.class).eventDispatcher().awaitSession("c1", java.time.Duration.ofSeconds(5));
		});
		assertThat(bodies(PRE).get(0).at("/payload/session_id").stringValue()).isEqualTo("c1");
		assertThat(events("UserPromptSubmit")).singleElement()
			.satisfies((e) -> assertThat(e.at("/payload/session_id").stringValue()).isEqualTo("c1"));
		assertThat(events("Stop")).singleElement()
			.satisfies((e) -> assertThat(e.at("/payload/session_id").stringValue()).isEqualTo("c1"));
	}

	// --- every tool Spring AI can execute ---------------------------------------------------------------------

	@Test
	void toolResolvedByNameThroughTheResolverIsEnforced() {
		allowAll();
		List<String> calls = new CopyOnWriteArrayList<>();
		ToolCallback byName = FunctionToolCallback.builder("forecast", (Map<String, Object> in) -> {
			calls.add(String.valueOf(in.get("city")));
			return "rain in " + in.get("city");
		}).description("Forecast of a city").inputType(Map.class).build();
		this.model.callTool("forecast", "{\"city\":\"Oslo\"}");
		runner().withBean("forecastTool", ToolCallback.class, () -> byName)
			.withPropertyValues("spring.ai.tools.resolution.fallback.enabled=true")
			.run((context) -> {
				String answer = ask(context, null, "conv-f");
				assertThat(calls).containsExactly("Oslo");
				assertThat(answer).contains("rain in Oslo");
			});
		assertThat(preToolNames()).containsExactly("forecast");
	}

	@Test
	void handBuiltChatClientWithTheRunlayerAdvisorIsEnforced(CapturedOutput output) {
		allowAll();
		this.model.callTool("read_file", "{\"path\":\"a.txt\"}");
		runner().run((context) -> {
			RunlayerAdvisor advisor = context.getBean(RunlayerAdvisor.class);
			ChatClient chat = ChatClient.builder(this.model).defaultAdvisors(advisor, advisor.turnRecorder()).build();
			WeatherTools plain = new WeatherTools();
			this.model.callTool("weather", "{\"city\":\"Rome\"}");
			chat.prompt()
				.user("weather?")
				.tools(plain)
				.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, "conv-h"))
				.call()
				.content();
			assertThat(plain.calls).containsExactly("Rome");
		});
		assertThat(preToolNames()).containsExactly("weather");
		assertThat(output).doesNotContain("reached the model with tools");
	}

	@Test
	void handBuiltChatClientWithoutRunlayerIsNamedInOneWarn(CapturedOutput output) {
		allowAll();
		runner().run((context) -> {
			RunlayerChatModelCheck check = context.getBean(RunlayerChatModelCheck.class);
			ObservationRegistry observations = ObservationRegistry.create();
			observations.observationConfig().observationHandler(check);
			ChatModel observed = new ObservedChatModel(this.model, observations);
			RunlayerAdvisor advisor = context.getBean(RunlayerAdvisor.class);
			this.model.callTool("weather", "{\"city\":\"Rome\"}");
			ChatClient.builder(observed)
				.defaultAdvisors(advisor, advisor.turnRecorder())
				.build()
				.prompt()
				.user("weather?")
				.tools(new WeatherTools())
				.call()
				.content();
			assertThat(check.warned()).isFalse();
			ChatClient handBuilt = ChatClient.builder(observed).build();
			WeatherTools unenforced = new WeatherTools();
			for (int i = 0; i < 2; i++) {
				this.model.callTool("weather", "{\"city\":\"Oslo\"}");
				handBuilt.prompt().user("weather?").tools(unenforced).call().content();
			}
			assertThat(unenforced.calls).containsExactly("Oslo", "Oslo");
			assertThat(check.warned()).isTrue();
		});
		assertThat(preToolNames()).containsExactly("weather");
		assertThat(output.getOut().split("reached the model with tools", -1)).hasSize(2);
		assertThat(output).contains("[weather]").contains("RunlayerToolCallbacks.wrap");
	}

	// --- no session, no crash --------------------------------------------------------------------------------

	@Test
	void turnWithoutConversationIdGetsOneFreshSessionForPromptToolsAndStop() {
		allowAll();
		this.model.callTool("read_file", "{\"path\":\"a.txt\"}");
		runner().run((context) -> {
			String answer = ask(context, context.getBean(FileTools.class), null);
			assertThat(answer).contains("contents of a.txt");
			awaitTurnEvents(context);
		});
		assertPromptToolAndStopShareOneFreshSession();
	}

	/** Waits until the events of the turn's session (whose id tool/pre carried) were sent. */
	private static void awaitTurnEvents(ApplicationContext context) {
		String session = bodies(PRE).get(0).at("/payload/session_id").stringValue();
		context.getBean(RunlayerClient.class).eventDispatcher().awaitSession(session, java.time.Duration.ofSeconds(5));
	}

	/** The prompt, the tool call and the Stop of the turn all carry the same fresh (UUID) session id. */
	private static void assertPromptToolAndStopShareOneFreshSession() {
		String session = bodies(PRE).get(0).at("/payload/session_id").stringValue();
		assertThat(java.util.UUID.fromString(session)).isNotNull();
		assertThat(events("UserPromptSubmit")).singleElement()
			.satisfies((e) -> assertThat(e.at("/payload/session_id").stringValue()).isEqualTo(session));
		assertThat(events("Stop")).singleElement()
			.satisfies((e) -> assertThat(e.at("/payload/session_id").stringValue()).isEqualTo(session));
	}

	@Test
	void streamedTurnWithoutConversationIdSharesOneFreshSession() {
		allowAll();
		this.model.streamTools().callTool("read_file", "{\"path\":\"s.txt\"}");
		runner().run((context) -> {
			ChatClient chat = context.getBean(ChatClient.Builder.class).build();
			String answer = String.join("", chat.prompt()
				.user("stream it")
				.tools(context.getBean(FileTools.class))
				.stream()
				.content()
				.collectList()
				.block(java.time.Duration.ofSeconds(10)));
			assertThat(answer).contains("contents of s.txt");
			awaitTurnEvents(context);
		});
		assertThat(bodies(PRE)).hasSize(1);
		assertPromptToolAndStopShareOneFreshSession();
	}

	@Test
	void identityOverridesApplyOnEveryPath() {
		allowAll();
		this.model.callTool("read_file", "{\"path\":\"a.txt\"}");
		ToolIdentityOverrides overrides = (identity) -> identity.toolName().equals("read_file")
				? new ToolCallIdentity(identity.toolName(), "file", identity.mcpServerName(), identity.toolUrl(),
						identity.failureMode())
				: identity;
		runner().withBean(ToolIdentityOverrides.class, () -> overrides).run((context) -> {
			ask(context, context.getBean(FileTools.class), "conv-1");
			RunlayerSession.run("conv-1", () -> context.getBean(FileTools.class).readFile("d.txt"));
		});
		assertThat(bodies(PRE)).hasSize(2)
			.allSatisfy((body) -> assertThat(body.at("/payload/tool_type").stringValue()).isEqualTo("file"));
	}

	@Test
	void severalIdentityOverridesWithoutAPrimaryOneFailTheCallInsteadOfApplyingNone() {
		allowAll();
		ToolIdentityOverrides first = (identity) -> identity;
		ToolIdentityOverrides second = (identity) -> identity;
		runner().withBean("firstOverrides", ToolIdentityOverrides.class, () -> first)
			.withBean("secondOverrides", ToolIdentityOverrides.class, () -> second)
			.run((context) -> assertThatThrownBy(
					() -> RunlayerSession.run("conv-1", () -> context.getBean(FileTools.class).readFile("d.txt")))
				.hasStackTraceContaining("NoUniqueBeanDefinitionException"));
		assertThat(bodies(PRE)).isEmpty();
	}

	@Test
	void directRunlayerToolCallWithoutSessionFailsBeforeAnyRequest() {
		allowAll();
		runner().run((context) -> assertThatThrownBy(() -> context.getBean(FileTools.class).readFile("x"))
			.isInstanceOf(RunlayerException.class)
			.hasMessageContaining("No Runlayer session id for tool 'read_file'"));
		assertThat(bodies(PRE)).isEmpty();
	}

	@Test
	void missingSessionInsideASpringAiToolCallFollowsOnDeny() {
		allowAll();
		runner().run((context) -> {
			RunlayerClient client = context.getBean(RunlayerClient.class);
			ToolCallback feedback = RunlayerToolCallbacks.wrap(client, ToolCallbacks.from(new WeatherTools()))[0];
			assertThatThrownBy(() -> feedback.call("{\"city\":\"Oslo\"}")).isInstanceOf(ToolExecutionException.class)
				.hasMessageContaining("No Runlayer session id for tool 'weather'");
			ToolCallback exception = RunlayerToolCallbacks.wrap(client,
					new RunlayerToolCallbacks.Options(DenialMode.EXCEPTION, true, null),
					ToolCallbacks.from(new WeatherTools()))[0];
			assertThatThrownBy(() -> exception.call("{\"city\":\"Oslo\"}")).isInstanceOf(RunlayerException.class)
				.isNotInstanceOf(ToolExecutionException.class)
				.hasMessageContaining("No Runlayer session id for tool 'weather'");
			assertThatThrownBy(() -> RunlayerSession.run("s", () -> feedback.call("not json")))
				.isInstanceOf(ToolExecutionException.class)
				.hasMessageContaining("not valid JSON");
		});
		assertThat(bodies(PRE)).isEmpty();
	}

	// --- transcript Stop follows the failure mode ---------------------------------------------------------------

	@Test
	void rejectedTranscriptStopIsBestEffortInOpenMode(CapturedOutput output) {
		allowAll();
		List<String> failedEvents = new CopyOnWriteArrayList<>();
		RunlayerObserver observer = new RunlayerObserver() {

			@Override
			public void telemetryFailed(String eventName, Throwable error) {
				failedEvents.add(eventName);
			}

		};
		runner().withPropertyValues("runlayer.enforcement-failure-mode=open")
			.withBean(RunlayerClientCustomizer.class, () -> (builder) -> builder.observer(observer))
			.run((context) -> {
				wm.stubFor(post(EVENTS).withRequestBody(matchingJsonPath("$.event_name", equalTo("Stop")))
					.willReturn(serverError()));
				this.model.callTool("read_file", "{\"path\":\"a.txt\"}");
				assertThat(ask(context, context.getBean(FileTools.class), "conv-o")).contains("contents of a.txt");
			});
		assertThat(failedEvents).containsExactly("Stop");
		assertThat(output).contains("did not accept the transcript Stop of session 'conv-o'");
	}

	@Test
	void rejectedTranscriptStopFailsTheTurnInClosedMode() {
		allowAll();
		runner().run((context) -> {
			wm.stubFor(post(EVENTS).withRequestBody(matchingJsonPath("$.event_name", equalTo("Stop")))
				.willReturn(serverError()));
			this.model.callTool("read_file", "{\"path\":\"a.txt\"}");
			assertThatThrownBy(() -> ask(context, context.getBean(FileTools.class), "conv-c"))
				.isInstanceOf(RunlayerException.class);
		});
	}

	// --- the tool list ---------------------------------------------------------------------------------------

	@Test
	void toolListHasOneEntryPerToolWithItsResolvedIdentity() {
		allowAll();
		this.model.callTool("run_command", "{\"command\":\"ls\"}");
		runner().run((context) -> {
			ask(context, context.getBean(ShellTools.class), "conv-1");
			List<RunlayerToolRegistry.Entry> entries = context.getBean(RunlayerToolRegistry.class).entries();
			assertThat(entries).filteredOn((e) -> e.toolName().equals("run_command"))
				.singleElement()
				.satisfies((e) -> {
					assertThat(e.tool().toolType()).isEqualTo("shell");
					assertThat(e.failureMode()).isEqualTo(com.runlayer.sdk.EnforcementFailureMode.CLOSED);
				});
			assertThat(entries).filteredOn((e) -> e.toolName().equals("read_file")).singleElement();
			assertThat(entries).extracting(RunlayerToolRegistry.Entry::toolName).doesNotContain("readFile");
		});
	}

	/** A model that records Spring AI's chat model observation around each call, as provider models do. */
	static final class ObservedChatModel implements ChatModel {

		private final ScriptedChatModel delegate;

		private final ObservationRegistry observations;

		ObservedChatModel(ScriptedChatModel delegate, ObservationRegistry observations) {
			this.delegate = delegate;
			this.observations = observations;
		}

		@Override
		public ChatResponse call(Prompt prompt) {
			ChatModelObservationContext context = ChatModelObservationContext.builder()
				.prompt(prompt)
				.provider("scripted")
				.build();
			return ChatModelObservationDocumentation.CHAT_MODEL_OPERATION
				.observation(null, new DefaultChatModelObservationConvention(), () -> context, this.observations)
				.observe(() -> this.delegate.call(prompt));
		}

		@Override
		public ChatOptions getOptions() {
			return this.delegate.getOptions();
		}

	}

	/** {@code @Tool} and {@code @RunlayerTool} on one method; the Runlayer name comes from {@code @Tool}. */
	public static class FileTools {

		final List<String> reads = new CopyOnWriteArrayList<>();

		public List<String> reads() {
			return this.reads;
		}

		@Tool(name = "read_file", description = "Read a file")
		@RunlayerTool
		public String readFile(@ToolParam(description = "the path") String path) {
			this.reads.add(path);
			return "contents of " + path;
		}

	}

	/** A shell tool with its Runlayer settings on the annotation. */
	public static class ShellTools {

		final List<String> commands = new CopyOnWriteArrayList<>();

		public List<String> commands() {
			return this.commands;
		}

		@Tool(name = "run_command", description = "Run a shell command")
		@RunlayerTool(type = "shell", mcpServerName = "workspace", failureMode = RunlayerTool.FailureMode.CLOSED)
		public String runCommand(@ToolParam(description = "the command") String command) {
			this.commands.add(command);
			return "ran " + command;
		}

	}

	/** A plain {@code @Tool} whose body calls another bean's {@code @RunlayerTool}. */
	public static class OuterTools {

		private final FileTools files;

		OuterTools(FileTools files) {
			this.files = files;
		}

		@Tool(name = "summarize", description = "Summarize a file")
		public String summarize(@ToolParam(description = "the path") String path) {
			return "summary of " + this.files.readFile(path);
		}

	}

	/** A tool that calls itself through its proxy. */
	public static class CountdownTools {

		private final ObjectProvider<CountdownTools> self;

		CountdownTools(ObjectProvider<CountdownTools> self) {
			this.self = self;
		}

		@RunlayerTool(name = "countdown")
		public String countdown(int n, @RunlayerSessionId String session) {
			return (n <= 0) ? "liftoff" : this.self.getObject().countdown(n - 1, session);
		}

		@Tool(name = "countdown", description = "Count down")
		@RunlayerTool(name = "countdown")
		public String countdownTool(@ToolParam(description = "from") int n) {
			return (n <= 0) ? "liftoff" : this.self.getObject().countdownTool(n - 1);
		}

	}

	/** A {@code @Tool} returning a future of another bean's annotated call, run on another thread. */
	public static class AsyncTools {

		private final FileTools files;

		volatile CompletableFuture<String> last;

		AsyncTools(FileTools files) {
			this.files = files;
		}

		public CompletableFuture<String> last() {
			return this.last;
		}

		@Tool(name = "read_later", description = "Read a file later")
		public CompletableFuture<String> readLater(@ToolParam(description = "the path") String path) {
			this.last = CompletableFuture.supplyAsync(RunlayerSession.wrap(() -> this.files.readFile(path)));
			return this.last;
		}

	}

}
