package com.runlayer.spring.actuate;

import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.EnforcementFailureMode;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.ToolCall;
import com.runlayer.sdk.enforcement.ToolEnforcementOptions;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RunlayerMicrometerObserverTests {

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	private static final String EVENTS = "/api/v1/hooks/events";

	private static final String ALLOW = "{\"permission\":\"allow\"}";

	private static final String PASS = "{\"blocked\":false}";

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private RunlayerClient client;

	@BeforeEach
	void meterHandler() {
		this.observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(this.meters));
	}

	@AfterEach
	void closeClient() {
		if (this.client != null) {
			this.client.close();
		}
	}

	@Test
	void allowedCallIsObservedAsAllowAtBothStagesWithToolKeys() {
		stub(ALLOW, PASS);
		assertThat(client(EnforcementFailureMode.CLOSED).runTool(call("Bash", "shell"), (in) -> "ok")).isEqualTo("ok");
		assertThat(outcomes()).containsExactly("pre_tool/allow/allowed", "post_tool/allow/allowed");
		assertThat(this.observations).hasObservationWithNameEqualTo(RunlayerMicrometerObserver.ENFORCEMENT_OBSERVATION)
			.that()
			.hasLowCardinalityKeyValue("runlayer.tool.type", "shell")
			.hasLowCardinalityKeyValue("spring.ai.tool.definition.name", "Bash")
			.hasLowCardinalityKeyValue("runlayer.outcome", "allowed")
			.hasContextualNameEqualTo("runlayer pre_tool Bash")
			.doesNotHaveError();
		assertThat(timerCount("pre_tool", "allow")).isEqualTo(1);
		assertThat(timerCount("post_tool", "allow")).isEqualTo(1);
	}

	@Test
	void rewrittenArgumentsAreObservedAsRewrite() {
		stub("{\"permission\":\"allow\",\"modified_args\":{\"command\":\"ls\"}}", PASS);
		client(EnforcementFailureMode.CLOSED).runTool(call("Bash", "shell"), (in) -> in.get("command"));
		assertThat(outcomes()).containsExactly("pre_tool/rewrite/allowed", "post_tool/allow/allowed");
	}

	@Test
	void deniedCallIsObservedAsDeny() {
		stub("{\"permission\":\"deny\",\"block_reason\":\"no\"}", PASS);
		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> client(EnforcementFailureMode.CLOSED).runTool(call("Bash", "shell"), (in) -> "ran"));
		assertThat(outcomes()).containsExactly("pre_tool/deny/blocked");
		assertThat(timerCount("pre_tool", "deny")).isEqualTo(1);
	}

	@Test
	void blockedOutputIsObservedAsBlock() {
		stub(ALLOW, "{\"blocked\":true,\"block_reason\":\"secret\"}");
		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> client(EnforcementFailureMode.CLOSED).runTool(call("Bash", "shell"), (in) -> "key"));
		assertThat(outcomes()).containsExactly("pre_tool/allow/allowed", "post_tool/block/blocked");
	}

	@Test
	void maskedOutputIsObservedAsMask() {
		stub(ALLOW, "{\"blocked\":false,\"modified_output\":\"***\"}");
		assertThat(client(EnforcementFailureMode.CLOSED).runTool(call("Bash", "shell"), (in) -> "key")).isEqualTo("***");
		assertThat(outcomes()).containsExactly("pre_tool/allow/allowed", "post_tool/mask/allowed");
	}

	@Test
	void outageInClosedModeIsObservedAsOutageWithItsCauseNeverAsAllow() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> client(EnforcementFailureMode.CLOSED).runTool(call("Bash", "shell"), (in) -> "ran"));
		assertThat(outcomes()).containsExactly("pre_tool/outage/blocked");
		assertThat(this.observations).hasObservationWithNameEqualTo(RunlayerMicrometerObserver.ENFORCEMENT_OBSERVATION)
			.that()
			.hasError();
		assertThat(timerCount("pre_tool", "outage")).isEqualTo(1);
		assertThat(this.meters.find("runlayer.enforcement").tag("runlayer.decision", "allow").timers()).isEmpty();
	}

	@Test
	void outageInOpenModeLetsTheToolRunButIsStillObservedAsOutage() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		wm.stubFor(post(POST).willReturn(serverError()));
		assertThat(client(EnforcementFailureMode.OPEN).runTool(call("Bash", "shell"), (in) -> "ran")).isEqualTo("ran");
		assertThat(outcomes()).containsExactly("pre_tool/outage/allowed", "post_tool/outage/allowed");
		assertThat(this.meters.find("runlayer.enforcement").tag("runlayer.decision", "allow").timers()).isEmpty();
	}

	@Test
	void outageOutcomeFollowsTheFailureModeAlsoBesideOtherObservers() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		wm.stubFor(post(POST).willReturn(okJson(PASS)));
		List<String> health = new java.util.concurrent.CopyOnWriteArrayList<>();
		com.runlayer.sdk.observe.RunlayerObserver other = new com.runlayer.sdk.observe.RunlayerObserver() {
			@Override
			public EnforcementScope enforcementStarted(com.runlayer.sdk.EnforcementStage stage,
					com.runlayer.sdk.enforcement.ToolDescriptor tool) {
				return (decision, error) -> health.add(decision.tagValue());
			}
		};
		this.client = builder(EnforcementFailureMode.OPEN).observer(other).build();
		assertThat(this.client.runTool(call("Bash", "shell"), (in) -> "ran")).isEqualTo("ran");
		this.client.close();
		this.client = builder(EnforcementFailureMode.CLOSED).observer(other).build();
		assertThatExceptionOfType(RunlayerBlockedException.class)
			.isThrownBy(() -> this.client.runTool(call("Bash", "shell"), (in) -> "ran"));
		assertThat(outcomes()).containsExactly("pre_tool/outage/allowed", "post_tool/allow/allowed",
				"pre_tool/outage/blocked");
		assertThat(health).containsExactly("outage", "allow", "outage");
	}

	@Test
	void toolSkippedByTheFiltersMakesNoObservationAtAll() {
		this.client = builder(EnforcementFailureMode.CLOSED)
			.toolEnforcement(ToolEnforcementOptions.builder().ignoredToolNames(List.of("Read")).build())
			.build();
		assertThat(this.client.runTool(call("Read", "function"), (in) -> "text")).isEqualTo("text");
		assertThat(this.observations).doesNotHaveAnyObservation();
		assertThat(this.meters.find("runlayer.enforcement").timers()).isEmpty();
		assertThat(wm.getAllServeEvents()).isEmpty();
	}

	@Test
	void anApplicationConventionReplacesTheDefaultOne() {
		stub(ALLOW, PASS);
		RunlayerObservationConvention convention = new DefaultRunlayerObservationConvention("acme.tool.guard") {

			@Override
			protected io.micrometer.common.KeyValue toolName(RunlayerObservationContext context) {
				return io.micrometer.common.KeyValue.of("acme.tool", context.getTool().toolName().toLowerCase());
			}

		};
		this.client = RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey("rl_test_key")
			.observer(new RunlayerMicrometerObserver(this.observations, this.meters, convention))
			.build();
		this.client.runTool(call("Bash", "shell"), (in) -> "ok");
		assertThat(this.observations).hasObservationWithNameEqualTo("acme.tool.guard")
			.that()
			.hasLowCardinalityKeyValue("acme.tool", "bash")
			.hasLowCardinalityKeyValue("runlayer.decision", "allow")
			.doesNotHaveLowCardinalityKeyValueWithKey("spring.ai.tool.definition.name");
		assertThat(this.meters.find("acme.tool.guard").timers()).hasSize(2);
		assertThat(this.meters.find("runlayer.enforcement").timers()).isEmpty();
	}

	@Test
	void theToolNameKeyIsTheOneSpringAiUsesForToolObservations() {
		assertThat(RunlayerObservationDocumentation.LowCardinalityKeyNames.TOOL_NAME.asString()).isEqualTo(
				org.springframework.ai.tool.observation.ToolCallingObservationDocumentation.LowCardinalityKeyNames.TOOL_DEFINITION_NAME
					.asString());
	}

	@Test
	void toolWithoutTypeIsTaggedNone() {
		stub(ALLOW, PASS);
		client(EnforcementFailureMode.CLOSED).runTool(call("Bash", null), (in) -> "ok");
		assertThat(this.observations).hasObservationWithNameEqualTo(RunlayerMicrometerObserver.ENFORCEMENT_OBSERVATION)
			.that()
			.hasLowCardinalityKeyValue("runlayer.tool.type", "none");
	}

	@Test
	void enforcementObservationIsAChildOfTheObservationCurrentOnTheCallersThread() {
		stub(ALLOW, PASS);
		RunlayerClient client = client(EnforcementFailureMode.CLOSED);
		Observation tool = Observation.start("spring.ai.tool", this.observations);
		try (Observation.Scope scope = tool.openScope()) {
			client.runTool(call("Bash", "shell"), (in) -> "ok");
		}
		tool.stop();
		assertThat(this.observations).hasObservationWithNameEqualTo(RunlayerMicrometerObserver.ENFORCEMENT_OBSERVATION)
			.that()
			.hasParentObservationEqualTo(tool);
	}

	@Test
	void telemetryCountersCountSentFailedAndDroppedEventsByEventName() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}")));
		RunlayerClient client = client(EnforcementFailureMode.CLOSED);
		client.emitEvent("UserPromptSubmit", "s1", Map.of("prompt", "hi"));
		client.emitEvent("UserPromptSubmit", "s1", Map.of("prompt", "again"));
		client.eventDispatcher().awaitSession("s1", java.time.Duration.ofSeconds(5));
		wm.stubFor(post(EVENTS).willReturn(serverError()));
		client.emitEvent("Stop", "s1", null);
		client.eventDispatcher().awaitSession("s1", java.time.Duration.ofSeconds(5));
		assertThat(counter(RunlayerMicrometerObserver.TELEMETRY_SENT, "UserPromptSubmit")).isEqualTo(2);
		assertThat(counter(RunlayerMicrometerObserver.TELEMETRY_FAILED, "Stop")).isEqualTo(1);
		assertThat(this.meters.find(RunlayerMicrometerObserver.TELEMETRY_FAILED).tag("event", "UserPromptSubmit").counter())
			.isNull();
	}

	@Test
	void droppedEventsAreCountedAndTheQueueGaugeShowsTheBacklog() {
		wm.stubFor(post(EVENTS).willReturn(okJson("{}").withFixedDelay(1000)));
		this.client = builder(EnforcementFailureMode.CLOSED).eventQueueCapacity(2).build();
		new RunlayerEventQueueMetrics(this.client).bindTo(this.meters);
		for (int i = 0; i < 5; i++) {
			this.client.emitEvent("UserPromptSubmit", "s1", null);
		}
		assertThat(counter(RunlayerMicrometerObserver.TELEMETRY_DROPPED, "UserPromptSubmit")).isEqualTo(3);
		assertThat(this.meters.get(RunlayerEventQueueMetrics.QUEUE_SIZE).gauge().value()).isEqualTo(2);
		assertThat(this.meters.get(RunlayerEventQueueMetrics.QUEUE_CAPACITY).gauge().value()).isEqualTo(2);
		this.client.close();
		assertThat(this.meters.get(RunlayerEventQueueMetrics.QUEUE_SIZE).gauge().value()).isZero();
		assertThat(counter(RunlayerMicrometerObserver.TELEMETRY_SENT, "UserPromptSubmit")).isEqualTo(2);
	}

	private List<String> outcomes() {
		List<String> outcomes = new java.util.ArrayList<>();
		assertThat(this.observations).hasHandledContextsThatSatisfy((contexts) -> contexts.stream()
			.filter((context) -> context.getName().equals(RunlayerMicrometerObserver.ENFORCEMENT_OBSERVATION))
			.forEach((context) -> outcomes.add(context.getLowCardinalityKeyValue("runlayer.stage").getValue() + "/"
					+ context.getLowCardinalityKeyValue("runlayer.decision").getValue() + "/"
					+ context.getLowCardinalityKeyValue("runlayer.outcome").getValue())));
		return outcomes;
	}

	private long timerCount(String stage, String decision) {
		var timer = this.meters.find("runlayer.enforcement").tag("runlayer.stage", stage).tag("runlayer.decision", decision).timer();
		return (timer != null) ? timer.count() : 0;
	}

	private double counter(String name, String event) {
		var counter = this.meters.find(name).tag("event", event).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private void stub(String pre, String post) {
		wm.stubFor(post(PRE).willReturn(okJson(pre)));
		wm.stubFor(post(POST).willReturn(okJson(post)));
	}

	private RunlayerClient client(EnforcementFailureMode mode) {
		this.client = builder(mode).build();
		return this.client;
	}

	private RunlayerClient.Builder builder(EnforcementFailureMode mode) {
		return RunlayerClient.builder()
			.baseUrl(wm.baseUrl())
			.allowInsecureTransport(true)
			.apiKey("rl_test_key")
			.maxRetries(0)
			.enforcementFailureMode(mode)
			.observer(new RunlayerMicrometerObserver(this.observations, this.meters));
	}

	private static ToolCall call(String name, String type) {
		return ToolCall.builder().sessionId("s1").toolName(name).toolType(type).toolInput(Map.of("command", "rm -rf /"))
			.build();
	}

}
