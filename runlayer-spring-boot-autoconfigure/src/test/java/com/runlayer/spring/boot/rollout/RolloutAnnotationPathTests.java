package com.runlayer.spring.boot.rollout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.runlayer.sdk.EnforcementStage;
import com.runlayer.sdk.RunlayerBlockedException;
import com.runlayer.sdk.RunlayerClient;
import com.runlayer.sdk.RunlayerMode;
import com.runlayer.sdk.RunlayerPayloadRedactor;
import com.runlayer.sdk.observe.EnforcementDecision;
import com.runlayer.sdk.observe.RunlayerDecision;
import com.runlayer.spring.actuate.RunlayerActuatorAutoConfiguration;
import com.runlayer.spring.actuate.RunlayerCircuitBreakerMetrics;
import com.runlayer.spring.actuate.RunlayerEndpoint;
import com.runlayer.spring.actuate.RunlayerHealthIndicator;
import com.runlayer.spring.actuate.RunlayerMicrometerObserver;
import com.runlayer.spring.boot.RunlayerAopAutoConfiguration;
import com.runlayer.spring.boot.RunlayerAutoConfiguration;
import com.runlayer.spring.boot.RunlayerDecisionEvent;
import com.runlayer.spring.boot.RunlayerMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rolling out on the {@code @RunlayerTool} path with the auto-configuration and a WireMock Runlayer: monitor mode
 * (nothing applied, everything reported: log, {@code runlayer.decisions}, {@link RunlayerDecisionEvent}), per-tool
 * settings and their precedence over the annotation, health and {@code GET /actuator/runlayer}, the redactor bean and
 * the startup WARN for unknown tool names.
 */
class RolloutAnnotationPathTests {

	@RegisterExtension
	static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private static final String PRE = "/api/v1/hooks/tool/pre";

	private static final String POST = "/api/v1/hooks/tool/post";

	/** Collects the published decision events. */
	static final class Decisions implements ApplicationListener<RunlayerDecisionEvent> {

		final List<RunlayerDecision> all = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(RunlayerDecisionEvent event) {
			this.all.add(event.decision());
		}

	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, RunlayerAutoConfiguration.class,
					RunlayerAopAutoConfiguration.class, RunlayerMetricsAutoConfiguration.class,
					RunlayerActuatorAutoConfiguration.class))
			.withPropertyValues("runlayer.base-url=" + wm.baseUrl(), "runlayer.api-key=rl_test_key",
					"runlayer.allow-insecure-transport=true", "runlayer.max-retries=0",
					"management.endpoints.web.exposure.include=runlayer")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(Decisions.class)
			.withBean(RolloutTools.class);
	}

	private static void deny(String reason) {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"deny\",\"block_reason\":\"" + reason + "\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
	}

	@Test
	void monitorModeRunsTheDeniedToolAndReportsEverything() {
		deny("shell is not allowed");
		runner().withPropertyValues("runlayer.mode=monitor").run((context) -> {
			RolloutTools tools = context.getBean(RolloutTools.class);
			assertThat(tools.runCommand("rm -rf build", "sess-9")).isEqualTo("ran rm -rf build");
			assertThat(tools.runs()).isEqualTo(1);
			assertThat(tools.lastCommand()).isEqualTo("rm -rf build");
			List<RunlayerDecision> decisions = context.getBean(Decisions.class).all;
			assertThat(decisions).hasSize(2);
			RunlayerDecision deny = decisions.get(0);
			assertThat(deny.sessionId()).isEqualTo("sess-9");
			assertThat(deny.toolName()).isEqualTo("run_command");
			assertThat(deny.toolUseId()).isNotBlank();
			assertThat(deny.stage()).isEqualTo(EnforcementStage.PRE_TOOL);
			assertThat(deny.decision()).isEqualTo(EnforcementDecision.DENY);
			assertThat(deny.applied()).isFalse();
			assertThat(deny.reason()).isEqualTo("shell is not allowed");
			assertThat(deny.outage()).isFalse();
			assertThat(deny.duration()).isPositive();
			assertThat(decisions.get(1).stage()).isEqualTo(EnforcementStage.POST_TOOL);
			assertThat(decisions.get(1).toolUseId()).isEqualTo(deny.toolUseId());
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get(RunlayerMicrometerObserver.DECISIONS)
				.tag("decision", "deny")
				.tag("applied", "false")
				.tag("stage", "pre_tool")
				.counter()
				.count()).isEqualTo(1.0);
			RunlayerEndpoint.RunlayerDescriptor described = context.getBean(RunlayerEndpoint.class).describe();
			assertThat(described.mode()).isEqualTo("MONITOR");
			assertThat(described.tools()).filteredOn((t) -> t.name().equals("run_command"))
				.singleElement()
				.satisfies((t) -> assertThat(t.mode()).isEqualTo("MONITOR"));
		});
		wm.verify(1, postRequestedFor(urlEqualTo(PRE))
			.withRequestBody(matchingJsonPath("$.payload.tool_input.command", equalTo("rm -rf build"))));
		wm.verify(1, postRequestedFor(urlEqualTo(POST))
			.withRequestBody(matchingJsonPath("$.payload.tool_response", equalTo("ran rm -rf build"))));
	}

	@Test
	void enforceModePublishesAppliedDecisions() {
		deny("no");
		runner().run((context) -> {
			RolloutTools tools = context.getBean(RolloutTools.class);
			assertThatThrownBy(() -> tools.runCommand("ls", "s1")).isInstanceOf(RunlayerBlockedException.class);
			assertThat(tools.runs()).isZero();
			assertThat(context.getBean(Decisions.class).all).singleElement().satisfies((d) -> {
				assertThat(d.applied()).isTrue();
				assertThat(d.mode()).isEqualTo(RunlayerMode.ENFORCE);
			});
		});
	}

	@Test
	void oneToolInMonitorModeByProperty() {
		deny("no");
		runner().withPropertyValues("runlayer.tools.run_command.mode=monitor").run((context) -> {
			RolloutTools tools = context.getBean(RolloutTools.class);
			assertThat(tools.runCommand("ls", "s1")).isEqualTo("ran ls");
			assertThatThrownBy(() -> tools.openTicket("x", "s1")).isInstanceOf(RunlayerBlockedException.class);
			RunlayerEndpoint.RunlayerDescriptor described = context.getBean(RunlayerEndpoint.class).describe();
			assertThat(described.mode()).isEqualTo("ENFORCE");
			assertThat(described.toolSettings()).containsKey("run_command");
			assertThat(described.toolSettings().get("run_command").mode()).isEqualTo("MONITOR");
		});
	}

	@Test
	void toolNamesKeepTheirCaseAndBracketedNamesTheirDots() {
		runner().withPropertyValues("runlayer.tools.lookupTicket.mode=monitor",
				"runlayer.tools[docs.search].failure-mode=open", "runlayer.tools.slow_tool.pre-timeout=250ms")
			.run((context) -> {
				RunlayerClient client = context.getBean(RunlayerClient.class);
				assertThat(client.toolSettings()).containsOnlyKeys("lookupTicket", "docs.search", "slow_tool");
				assertThat(client.mode("lookupTicket")).isEqualTo(RunlayerMode.MONITOR);
				assertThat(client.toolSettings().get("slow_tool").preTimeout())
					.isEqualTo(java.time.Duration.ofMillis(250));
			});
	}

	@Test
	void enforceFalseSkipsTheToolWithoutCallingRunlayer() {
		runner().withPropertyValues("runlayer.tools.run_command.enforce=false").run((context) -> {
			assertThat(context.getBean(RolloutTools.class).runCommand("ls", "s1")).isEqualTo("ran ls");
		});
		wm.verify(0, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void propertyFailureModeWinsOverTheAnnotation() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		wm.stubFor(post(POST).willReturn(serverError()));
		// open_ticket is annotated CLOSED, search_docs OPEN; the properties turn both around
		runner().withPropertyValues("runlayer.tools.open_ticket.failure-mode=open",
				"runlayer.tools.search_docs.failure-mode=closed", "runlayer.circuit-breaker.enabled=false")
			.run((context) -> {
				RolloutTools tools = context.getBean(RolloutTools.class);
				assertThat(tools.openTicket("printer", "s1")).isEqualTo("opened printer");
				assertThatThrownBy(() -> tools.searchDocs("vpn", "s1"))
					.isInstanceOfSatisfying(RunlayerBlockedException.class, (ex) -> assertThat(ex.outage()).isTrue());
				// the actuator shows the failure mode that applies
				assertThat(context.getBean(RunlayerEndpoint.class).describe().tools())
					.filteredOn((t) -> t.name().equals("open_ticket"))
					.singleElement()
					.satisfies((t) -> assertThat(t.failureMode()).isEqualTo("OPEN"));
			});
		// without properties the annotation wins over the global default (closed)
		runner().withPropertyValues("runlayer.circuit-breaker.enabled=false").run((context) -> {
			RolloutTools tools = context.getBean(RolloutTools.class);
			assertThat(tools.searchDocs("vpn", "s1")).isEqualTo("found vpn");
			assertThatThrownBy(() -> tools.openTicket("printer", "s1")).isInstanceOf(RunlayerBlockedException.class);
		});
	}

	@Test
	void healthStaysUpInMonitorModeDuringAnOutageButShowsIt() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		wm.stubFor(post(POST).willReturn(serverError()));
		runner().withPropertyValues("runlayer.mode=monitor", "management.health.runlayer.outage-threshold=1").run((context) -> {
			RolloutTools tools = context.getBean(RolloutTools.class);
			for (int i = 0; i < 3; i++) {
				assertThat(tools.runCommand("ls", "s1")).isEqualTo("ran ls");
			}
			Health health = context.getBean(RunlayerHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("mode", "MONITOR");
			assertThat((Integer) health.getDetails().get("consecutiveOutages")).isGreaterThanOrEqualTo(3);
			assertThat(health.getDetails()).containsKey("lastOutage");
			assertThat(context.getBean(Decisions.class).all).allSatisfy((d) -> {
				assertThat(d.outage()).isTrue();
				assertThat(d.applied()).isFalse();
			});
		});
		runner().withPropertyValues("management.health.runlayer.outage-threshold=1").run((context) -> {
			RolloutTools tools = context.getBean(RolloutTools.class);
			assertThatThrownBy(() -> tools.runCommand("ls", "s1")).isInstanceOf(RunlayerBlockedException.class);
			assertThat(context.getBean(RunlayerHealthIndicator.class).health().getStatus()).isEqualTo(Status.DOWN);
		});
	}

	@Test
	void anOpenBreakerShowsInHealthEndpointAndMetrics() {
		wm.stubFor(post(PRE).willReturn(serverError()));
		runner().withPropertyValues("runlayer.circuit-breaker.sliding-window-size=2").run((context) -> {
			RolloutTools tools = context.getBean(RolloutTools.class);
			for (int i = 0; i < 3; i++) {
				assertThatThrownBy(() -> tools.runCommand("ls", "s1")).isInstanceOf(RunlayerBlockedException.class);
			}
			Health health = context.getBean(RunlayerHealthIndicator.class).health();
			assertThat(health.getDetails().get("circuitBreakers")).asInstanceOf(
					org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("TOOL_PRE", "OPEN")
				.containsEntry("TOOL_POST", "CLOSED");
			assertThat(context.getBean(RunlayerEndpoint.class).describe().circuitBreakers())
				.containsEntry("TOOL_PRE", "OPEN");
			// Boot binds MeterBinder beans with its metrics auto-configuration; bind by hand here
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			context.getBean(RunlayerCircuitBreakerMetrics.class).bindTo(meters);
			assertThat(meters.get(RunlayerCircuitBreakerMetrics.STATE)
				.tag("endpoint", "tool_pre")
				.tag("state", "open")
				.gauge()
				.value()).isEqualTo(1.0);
		});
		wm.verify(2, postRequestedFor(urlEqualTo(PRE)));
	}

	@Test
	void redactorBeanAndPromptSwitchAreApplied() {
		wm.stubFor(post(PRE).willReturn(okJson("{\"permission\":\"allow\"}")));
		wm.stubFor(post(POST).willReturn(okJson("{\"blocked\":false}")));
		RunlayerPayloadRedactor redactor = new RunlayerPayloadRedactor() {
			@Override
			public Map<String, Object> redactToolInput(String toolName, Map<String, Object> input) {
				return Map.of("command", "[redacted]");
			}
		};
		runner().withBean(RunlayerPayloadRedactor.class, () -> redactor)
			.withPropertyValues("runlayer.telemetry.prompts=false")
			.run((context) -> {
				assertThat(context.getBean(RolloutTools.class).runCommand("cat secrets", "s1"))
					.isEqualTo("ran cat secrets");
				assertThat(context.getBean(RunlayerClient.class).sendsPrompts()).isFalse();
			});
		wm.verify(1, postRequestedFor(urlEqualTo(PRE))
			.withRequestBody(matchingJsonPath("$.payload.tool_input.command", equalTo("[redacted]"))));
	}

	@Test
	void unknownToolNamesGiveOneWarnListingTheKnownTools() {
		Logger logger = (Logger) LoggerFactory.getLogger("com.runlayer");
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		try {
			runner().withPropertyValues("runlayer.tools.run_comand.mode=monitor",
					"runlayer.tools.open_ticket.mode=monitor")
				.run((context) -> assertThat(context).hasNotFailed());
		}
		finally {
			logger.detachAppender(appender);
		}
		assertThat(appender.list).filteredOn((e) -> e.getLevel() == Level.WARN)
			.filteredOn((e) -> e.getFormattedMessage().contains("runlayer.tools"))
			.singleElement()
			.satisfies((e) -> assertThat(e.getFormattedMessage()).contains("[run_comand]")
				.contains("run_command")
				.contains("search_docs")
				.doesNotContain("[open_ticket]"));
	}

}
